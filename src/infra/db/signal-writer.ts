import { sql } from "drizzle-orm";
import type { AnalyticsRepository, NearbySignal } from "#domain/analytics/repository";
import { cosineSimilarity } from "#domain/analytics/vectors";
import { type BatchQueueOptions, createBatchQueue, type QueuedWrites } from "./batch-queue";
import type { Db } from "./client";
import { requestSignals } from "./schema/index";

type NewSignal = Parameters<AnalyticsRepository["saveSignal"]>[0];

/** Pacing of the writes (see BatchQueueOptions). */
export type SignalWriterOptions = Omit<BatchQueueOptions<NewSignal>, "write">;

export interface SignalWriter extends AnalyticsRepository, QueuedWrites {}

/**
 * Takes the analytics' request-signal write off the suggest's request path (a batch queue: one
 * multi-row upsert every `flushIntervalMs`, and on `close`; nothing is dropped). `nearestOpen` (the 并单
 * lookup every suggest makes) adds the waiting signals to what the database returns instead of
 * waiting for them to be written, so a request right after another still sees it; every other
 * method writes the waiting signals first. Another replica sees a signal once it is written (at most
 * `flushIntervalMs` later).
 *
 * @example
 * const writer = createSignalWriter(db, createAnalyticsRepository(db));
 * await writer.saveSignal(signal); // queued
 * await writer.close();             // written
 */
export function createSignalWriter(
  db: Db,
  inner: AnalyticsRepository,
  options: SignalWriterOptions = {},
): SignalWriter {
  const queue = createBatchQueue<NewSignal>({
    ...options,
    async write(batch) {
      // One statement may not upsert a row twice: a later save of the same id replaces the earlier.
      const latest = new Map(batch.map((signal) => [signal.id, signal]));
      await db
        .insert(requestSignals)
        .values(
          [...latest.values()].map((signal) => ({ ...signal, embedding: Array.from(signal.embedding) })),
        )
        .onConflictDoUpdate({
          target: requestSignals.id,
          // The same columns saveSignal replaces, from each row's own values.
          set: {
            summary: sql`excluded.summary`,
            places: sql`excluded.places`,
            districts: sql`excluded.districts`,
            terms: sql`excluded.terms`,
            category: sql`excluded.category`,
            department: sql`excluded.department`,
            likes: sql`excluded.likes`,
            closedAt: sql`excluded.closed_at`,
          },
        });
    },
  });
  const flush = queue.flush;

  // Every read or change of the stored signals (including methods added later) sees the waiting ones.
  const writtenFirst = Object.fromEntries(
    Object.entries(inner).map(([name, method]) => [
      name,
      typeof method === "function"
        ? async (...args: unknown[]) => {
            if (queue.pending() > 0) await flush();
            return (method as (...values: unknown[]) => unknown).apply(inner, args);
          }
        : method,
    ]),
  ) as unknown as AnalyticsRepository;

  return {
    ...writtenFirst,
    saveSignal: queue.push,
    async nearestOpen(embedding, since, limit, excludeId) {
      const stored = await inner.nearestOpen(embedding, since, limit, excludeId);
      const waiting = latestWaiting().filter(
        (signal) =>
          signal.at.getTime() >= since.getTime() && signal.closedAt === null && signal.id !== excludeId,
      );
      if (waiting.length === 0) return stored;
      // A waiting signal replaces its stored row (a later save), and takes its place by similarity.
      const replaced = new Map(
        stored
          .filter((signal) => waiting.some((other) => other.id === signal.id))
          .map((signal) => [signal.id, signal]),
      );
      const merged: NearbySignal[] = stored.filter((signal) => !replaced.has(signal.id));
      for (const { embedding: vector, ...signal } of waiting) {
        const similarity = cosineSimilarity(embedding, vector);
        const position = merged.findIndex((other) => other.similarity < similarity);
        const topicId = replaced.get(signal.id)?.topicId ?? null;
        merged.splice(position === -1 ? merged.length : position, 0, { ...signal, topicId, similarity });
      }
      return merged.slice(0, limit);
    },
    flush,
    close: queue.close,
    pending: queue.pending,
  };

  /** The waiting signals, one per id (the latest save). */
  function latestWaiting(): NewSignal[] {
    return [...new Map(queue.waiting().map((signal) => [signal.id, signal])).values()];
  }
}
