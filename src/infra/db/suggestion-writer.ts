import type { SuggestionRepository } from "#domain/cases";
import { type BatchQueueOptions, createBatchQueue, type QueuedWrites } from "./batch-queue";
import type { Db } from "./client";
import { suggestions } from "./schema/index";

type NewSuggestion = Parameters<SuggestionRepository["insert"]>[0];

/** Pacing of the writes (see BatchQueueOptions). */
export type SuggestionWriterOptions = Omit<BatchQueueOptions<NewSuggestion>, "write">;

export interface SuggestionWriter extends SuggestionRepository, QueuedWrites {}

/**
 * Takes the suggestion insert off the request path (a batch queue: one multi-row insert every
 * `flushIntervalMs`, and on `close`; nothing is dropped). Reads that could see a waiting row (get,
 * feedback, retention) flush first, so a client that gives feedback right after its suggestion
 * still finds it.
 *
 * @example
 * const writer = createSuggestionWriter(db, createSuggestionRepository(db));
 * await writer.insert(record); // queued
 * await writer.close();         // written
 */
export function createSuggestionWriter(
  db: Db,
  inner: SuggestionRepository,
  options: SuggestionWriterOptions = {},
): SuggestionWriter {
  const queue = createBatchQueue<NewSuggestion>({
    ...options,
    async write(batch) {
      await db.insert(suggestions).values(
        batch.map((record) => ({
          id: record.id,
          createdAt: record.createdAt,
          text: record.text,
          request: record.request,
          result: record.result,
          modelVersion: record.modelVersion,
          actor: record.actor,
          actorKeyId: record.actorKeyId,
        })),
      );
    },
  });
  const flush = queue.flush;
  const hasPending = (id: string) => queue.waiting().some((record) => record.id === id);

  return {
    ...inner,
    insert: queue.push,
    async get(id) {
      if (hasPending(id)) await flush();
      return inner.get(id);
    },
    async setFeedback(id, feedback, at) {
      if (hasPending(id)) await flush();
      return inner.setFeedback(id, feedback, at);
    },
    async forgetPersonalDataBefore(before) {
      if (queue.pending() > 0) await flush();
      return inner.forgetPersonalDataBefore(before);
    },
    flush,
    close: queue.close,
    pending: queue.pending,
  };
}
