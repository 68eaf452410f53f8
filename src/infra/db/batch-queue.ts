/** How a batch queue writes and paces its rows. */
export interface BatchQueueOptions<Row> {
  /** Writes one batch (at most `maxBatch` rows) in one statement; a rejection keeps them queued. */
  write(batch: readonly Row[]): Promise<void>;
  /** Milliseconds a queued row may wait for others to share its write. */
  flushIntervalMs?: number;
  /** Rows per write. */
  maxBatch?: number;
  /** Rows that may wait at most; beyond it `push` waits for a flush (back-pressure), so nothing is dropped. */
  maxPending?: number;
  /** A timed flush failed; its rows stay queued and are retried on the next tick. */
  onError?: (error: unknown, pending: number) => void;
}

/** What a writer built on a batch queue offers besides its repository's methods. */
export interface QueuedWrites {
  /** Writes every waiting row now; rejects if the database refuses them (they stay queued). */
  flush(): Promise<void>;
  /** Stops the timer and writes what is still waiting (shutdown): call before closing the database. */
  close(): Promise<void>;
  /** How many rows wait. */
  pending(): number;
}

export interface BatchQueue<Row> extends QueuedWrites {
  /** Queues a row (or, once closed, writes it at once). */
  push(row: Row): Promise<void>;
  /** The rows waiting, oldest first. */
  waiting(): readonly Row[];
}

/**
 * Takes a write off the request path: `push` queues the row and returns at once; rows are written
 * together every `flushIntervalMs` (one writer at a time), and on `close`. A failed write keeps
 * its rows queued and is retried on the next tick; nothing is dropped. The suggestion and the
 * request-signal writers are built on it.
 *
 * @example
 * const queue = createBatchQueue({ write: (rows) => db.insert(table).values([...rows]) });
 * await queue.push(row); // queued
 * await queue.close();   // written
 */
export function createBatchQueue<Row>(options: BatchQueueOptions<Row>): BatchQueue<Row> {
  const flushIntervalMs = options.flushIntervalMs ?? 50;
  const maxBatch = options.maxBatch ?? 200;
  const maxPending = options.maxPending ?? 5_000;
  let queue: Row[] = [];
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
      await options.write(batch);
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

  return {
    async push(row) {
      if (closed) {
        await options.write([row]);
        return;
      }
      queue.push(row);
      if (queue.length >= maxPending) await flush();
      else schedule();
    },
    flush,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await flush();
    },
    waiting: () => queue,
    pending: () => queue.length,
  };
}
