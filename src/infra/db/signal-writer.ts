import { sql } from "drizzle-orm";
import type { AnalyticsRepository, RequestSignal } from "#domain/analytics/repository";
import { cosineSimilarity } from "#domain/analytics/vectors";
import type { Db } from "./client";
import { requestSignals } from "./schema/index";

type NewSignal = Parameters<AnalyticsRepository["saveSignal"]>[0];

export interface SignalWriterOptions {
  /** Milliseconds a saved signal may wait for others to share its insert. */
  flushIntervalMs?: number;
  /** Rows per insert statement. */
  maxBatch?: number;
  /** Rows that may wait at most; beyond it `saveSignal` waits for a flush (back-pressure), so nothing is dropped. */
  maxPending?: number;
  onError?: (error: unknown, pending: number) => void;
}

export interface SignalWriter extends AnalyticsRepository {
  /** Writes every waiting signal now; rejects if the database refuses them (they stay queued). */
  flush(): Promise<void>;
  /** Stops the timer and writes what is still waiting (shutdown): call before closing the database. */
  close(): Promise<void>;
  pending(): number;
}

/**
 * Takes the analytics' request-signal write off the suggest's request path, as the suggestion
 * writer does for the suggestion: `saveSignal` queues the row and returns at once; rows are written
 * together in one multi-row upsert every `flushIntervalMs`, and on `close`. `nearestOpen` (the 并单
 * lookup every suggest makes) adds the waiting signals to what the database returns instead of
 * waiting for them to be written, so a request right after another still sees it; every other
 * method writes the waiting signals first. A failed write keeps its rows queued and is retried on
 * the next tick; nothing is dropped. Another replica sees a signal once it is written (at most
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
  const flushIntervalMs = options.flushIntervalMs ?? 50;
  const maxBatch = options.maxBatch ?? 200;
  const maxPending = options.maxPending ?? 5_000;
  let queue: NewSignal[] = [];
  let writing: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  function schedule(): void {
    if (timer || closed || queue.length === 0) return;
    timer = setTimeout(() => {
      timer = null;
      flush().catch((error: unknown) => {
        options.onError?.(error, queue.length);
        schedule();
      });
    }, flushIntervalMs);
    // A waiting batch must not keep a finished process alive; close() writes it.
    timer.unref();
  }

  async function writeOnce(): Promise<void> {
    while (queue.length > 0) {
      const taken = queue.slice(0, maxBatch);
      // One statement may not upsert a row twice: a later save of the same id replaces the earlier.
      const latest = new Map(taken.map((signal) => [signal.id, signal]));
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
      // Removed only once written: a failure leaves them for the next attempt.
      queue = queue.slice(taken.length);
    }
  }

  function flush(): Promise<void> {
    // One writer at a time: a flush asked for while one runs waits for it, then writes the rest.
    const run = (writing ?? Promise.resolve()).catch(() => {}).then(writeOnce);
    const current = run.finally(() => {
      if (writing === current) writing = null;
    });
    writing = current;
    return current;
  }

  // Every read or change of the stored signals (including methods added later) sees the waiting ones.
  const writtenFirst = Object.fromEntries(
    Object.entries(inner).map(([name, method]) => [
      name,
      typeof method === "function"
        ? async (...args: unknown[]) => {
            if (queue.length > 0) await flush();
            return (method as (...values: unknown[]) => unknown).apply(inner, args);
          }
        : method,
    ]),
  ) as unknown as AnalyticsRepository;

  return {
    ...writtenFirst,
    async saveSignal(signal) {
      if (closed) {
        await inner.saveSignal(signal);
        return;
      }
      queue.push(signal);
      if (queue.length >= maxPending) await flush();
      else schedule();
    },
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
      const merged: RequestSignal[] = stored.filter((signal) => !replaced.has(signal.id));
      for (const signal of waiting) {
        const similarity = cosineSimilarity(embedding, signal.embedding);
        const position = merged.findIndex(
          (other) => cosineSimilarity(embedding, other.embedding) < similarity,
        );
        const topicId = replaced.get(signal.id)?.topicId ?? null;
        merged.splice(position === -1 ? merged.length : position, 0, { ...signal, topicId });
      }
      return merged.slice(0, limit);
    },
    flush,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await flush();
    },
    pending: () => queue.length,
  };

  /** The waiting signals, one per id (the latest save). */
  function latestWaiting(): NewSignal[] {
    return [...new Map(queue.map((signal) => [signal.id, signal])).values()];
  }
}
