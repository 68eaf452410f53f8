import type { SuggestionRepository } from "#domain/cases";
import type { Db } from "./client";
import { suggestions } from "./schema/index";

type NewSuggestion = Parameters<SuggestionRepository["insert"]>[0];

export interface SuggestionWriterOptions {
  /** Milliseconds a stored suggestion may wait for others to share its insert. */
  flushIntervalMs?: number;
  /** Rows per insert statement. */
  maxBatch?: number;
  /**
   * Rows that may wait at most; beyond it `insert` waits for a flush (back-pressure while the
   * database is slow or down), so nothing is dropped.
   */
  maxPending?: number;
  onError?: (error: unknown, pending: number) => void;
}

export interface SuggestionWriter extends SuggestionRepository {
  /** Writes every waiting suggestion now; rejects if the database refuses them (they stay queued). */
  flush(): Promise<void>;
  /** Stops the timer and writes what is still waiting (shutdown): call before closing the database. */
  close(): Promise<void>;
  pending(): number;
}

/**
 * Takes the suggestion insert off the request path: `insert` queues the row and returns at once;
 * rows are written together in one multi-row statement every `flushIntervalMs`, and on `close`.
 * Reads that could see a waiting row (get, feedback, retention) flush first, so a client that
 * gives feedback right after its suggestion still finds it. A failed write keeps its rows queued
 * and is retried on the next tick; nothing is dropped.
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
  const flushIntervalMs = options.flushIntervalMs ?? 50;
  const maxBatch = options.maxBatch ?? 200;
  const maxPending = options.maxPending ?? 5_000;
  let queue: NewSuggestion[] = [];
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
      const batch = queue.slice(0, maxBatch);
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
      // Removed only once written: a failure leaves them for the next attempt.
      queue = queue.slice(batch.length);
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

  const hasPending = (id: string) => queue.some((record) => record.id === id);

  return {
    ...inner,
    async insert(record) {
      if (closed) {
        await inner.insert(record);
        return;
      }
      queue.push(record);
      if (queue.length >= maxPending) await flush();
      else schedule();
    },
    async get(id) {
      if (hasPending(id)) await flush();
      return inner.get(id);
    },
    async setFeedback(id, feedback, at) {
      if (hasPending(id)) await flush();
      return inner.setFeedback(id, feedback, at);
    },
    async forgetPersonalDataBefore(before) {
      if (queue.length > 0) await flush();
      return inner.forgetPersonalDataBefore(before);
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
}
