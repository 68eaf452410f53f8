import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import { LRUCache } from "lru-cache";
import { ModelUnavailableError } from "#domain/errors";
import type { Embedder } from "#domain/ports";
import { verifyModelFiles } from "./model-files";

export interface WorkerEmbedderOptions {
  /** Folder holding manifest.json and <modelId>/ (the transformers.js local layout). */
  modelRoot: string;
  workers?: number;
  maxBatchSize?: number;
  cacheSize?: number;
  /** onnxruntime's intra-op threads per worker (0: its own default, all cores). */
  intraOpNumThreads?: number;
  /**
   * Milliseconds a newly queued text waits for others to share its batch (micro-batching);
   * 0: only texts queued in the same tick share one.
   */
  batchWindowMs?: number;
  /** Batch only texts of similar length (default true); false: the oldest texts, whatever their length. */
  lengthGrouping?: boolean;
}

interface Pending {
  text: string;
  key: string;
  resolve: (vector: Float32Array) => void;
  reject: (error: Error) => void;
}

interface WorkerSlot {
  worker: Worker;
  busy: boolean;
  exited: boolean;
  ready: Promise<void>;
}

type WorkerMessage =
  | { type: "ready" }
  | { type: "failed"; message: string }
  | { type: "result"; id: number; data: Float32Array; dims: number[] }
  | { type: "error"; id: number; message: string }
  | { type: "closed" };

const WORKER_URL = new URL("./embed-worker.mjs", import.meta.url);
/** How long close() waits for running batches before terminating the workers. */
const CLOSE_DRAIN_MS = 15_000;
/** A batch holds texts at most this many times as long as its shortest… */
const LENGTH_GROUP_RATIO = 2;
/** …counting texts shorter than this as this long (short texts batch together freely). */
const LENGTH_GROUP_FLOOR = 16;

let bindingHeld = false;
/**
 * onnxruntime-node (1.21, under @huggingface/transformers) registers its native binding only the
 * first time the library is loaded into the process: once every worker that loaded it has exited,
 * the next worker fails with "Module did not self-register" (a restarted or second embedder, the
 * model tests). Holding the binding in the main thread keeps it registered for every later worker.
 * Only the library is loaded here; onnxruntime itself is initialised in the workers.
 */
function holdOnnxRuntimeBinding(): void {
  if (bindingHeld) return;
  const require = createRequire(import.meta.url);
  const transformers = require.resolve("@huggingface/transformers");
  const onnxPackage = require.resolve("onnxruntime-node/package.json", { paths: [dirname(transformers)] });
  require(
    join(dirname(onnxPackage), "bin", "napi-v3", process.platform, process.arch, "onnxruntime_binding.node"),
  );
  bindingHeld = true;
}

/**
 * The real embedder: bge-small-zh in worker threads, with request batching and an LRU cache
 * keyed by a hash of the text. Verifies the model's checksums before loading it.
 *
 * @example
 * const embedder = createWorkerEmbedder({ modelRoot: "models" });
 * await embedder.ready();
 * const [vector] = await embedder.embed(["社保卡怎么补办"]); // Float32Array(512), unit length
 */
export function createWorkerEmbedder(options: WorkerEmbedderOptions): Embedder {
  const modelRoot = resolve(options.modelRoot);
  const manifest = verifyModelFiles(modelRoot);
  holdOnnxRuntimeBinding();
  const maxBatchSize = options.maxBatchSize ?? 32;
  const cache =
    (options.cacheSize ?? 10_000) > 0
      ? new LRUCache<string, Float32Array>({ max: options.cacheSize ?? 10_000 })
      : undefined;
  const queue: Pending[] = [];
  const inflight = new Map<number, { batch: Pending[]; slot: WorkerSlot }>();
  let nextId = 1;
  let closed = false;
  let failure: Error | undefined;

  const slots: WorkerSlot[] = Array.from({ length: options.workers ?? 1 }, () => {
    const worker = new Worker(WORKER_URL, {
      workerData: {
        modelRoot,
        modelId: manifest.id,
        pooling: manifest.pooling,
        quantized: manifest.quantized,
        intraOpNumThreads: options.intraOpNumThreads ?? 0,
      },
    });
    const slot: WorkerSlot = { worker, busy: false, exited: false, ready: Promise.resolve() };
    worker.once("exit", () => {
      slot.exited = true;
    });
    slot.ready = new Promise<void>((resolveReady, rejectReady) => {
      worker.on("message", (message: WorkerMessage) => {
        switch (message.type) {
          case "ready":
            resolveReady();
            pump();
            return;
          case "failed":
            failure = new ModelUnavailableError(`embedding model failed to load: ${message.message}`);
            rejectReady(failure);
            failAll(failure);
            return;
          case "result":
            settle(message.id, (batch) => {
              const dims = message.dims.at(-1) ?? manifest.dimensions;
              batch.forEach((pending, index) => {
                const vector = message.data.slice(index * dims, (index + 1) * dims);
                cache?.set(pending.key, vector);
                pending.resolve(vector);
              });
            });
            return;
          case "error":
            settle(message.id, (batch) => {
              for (const pending of batch) pending.reject(new ModelUnavailableError(message.message));
            });
            return;
        }
      });
      worker.on("error", (error) => {
        failure = new ModelUnavailableError(`embedding worker crashed: ${error.message}`);
        rejectReady(failure);
        failAll(failure);
      });
    });
    // Readiness is awaited through ready(); keep an unobserved rejection from crashing the process.
    slot.ready.catch(() => {});
    return slot;
  });

  function settle(id: number, apply: (batch: Pending[]) => void): void {
    const entry = inflight.get(id);
    if (!entry) return;
    inflight.delete(id);
    entry.slot.busy = false;
    apply(entry.batch);
    pump();
  }

  const busyWorkers = () => slots.filter((slot) => slot.busy).length;

  function failAll(error: Error): void {
    for (const pending of queue.splice(0)) pending.reject(error);
    for (const [id, entry] of inflight) {
      inflight.delete(id);
      for (const pending of entry.batch) pending.reject(error);
    }
  }

  /**
   * The next batch: the oldest queued text, with those of the next queued texts whose length is
   * close to it. A batch is padded to its longest text, so a call's short clauses batched with its
   * full text would each cost as much as the text; grouped by length they cost what they are. The
   * oldest text always goes first: suggest waits on the full text's vector (search, neighbours)
   * and queues it before the clauses the urgency detector needs later, and under load a long text
   * must not wait behind every short one that arrives after it. Texts left out go back to the front.
   */
  function takeBatch(): Pending[] {
    const window = queue.splice(0, maxBatchSize);
    if (!lengthGrouping || window.length < 2) return window;
    const effective = (pending: Pending) => Math.max(LENGTH_GROUP_FLOOR, pending.text.length);
    const anchor = effective(window[0] as Pending);
    const near = window.filter(
      (pending) =>
        effective(pending) <= anchor * LENGTH_GROUP_RATIO &&
        effective(pending) * LENGTH_GROUP_RATIO >= anchor,
    );
    // Within twice the shortest of them: the anchor stays (the shortest is at least half of it).
    const shortest = Math.min(...near.map(effective));
    const batch = near.filter((pending) => effective(pending) <= shortest * LENGTH_GROUP_RATIO);
    const rest = window.filter((pending) => !batch.includes(pending));
    queue.unshift(...rest);
    return batch;
  }

  // Requests queued in the same tick share a batch; one batch per idle worker at a time.
  let pumpScheduled = false;
  const batchWindowMs = options.batchWindowMs ?? 0;
  const lengthGrouping = options.lengthGrouping ?? true;
  function pump(arrival = false): void {
    if (pumpScheduled) return;
    pumpScheduled = true;
    const wait = arrival && batchWindowMs > 0 && queue.length < maxBatchSize;
    (wait ? (run: () => void) => setTimeout(run, batchWindowMs) : setImmediate)(() => {
      pumpScheduled = false;
      for (const slot of slots) {
        if (queue.length === 0) return;
        if (slot.busy) continue;
        const batch = takeBatch();
        const id = nextId++;
        slot.busy = true;
        inflight.set(id, { batch, slot });
        slot.worker.postMessage({ type: "embed", id, texts: batch.map((pending) => pending.text) });
      }
    });
  }

  return {
    modelId: manifest.id,
    dimensions: manifest.dimensions,
    queueDepth: () => queue.length,
    ready: async () => {
      await Promise.all(slots.map((slot) => slot.ready));
    },
    embed: (texts) => {
      if (closed) return Promise.reject(new ModelUnavailableError("embedder is closed"));
      if (failure) return Promise.reject(failure);
      return Promise.all(
        texts.map((text) => {
          const key = createHash("sha1").update(text).digest("base64");
          const cached = cache?.get(key);
          if (cached) return Promise.resolve(cached);
          return new Promise<Float32Array>((resolveVector, rejectVector) => {
            queue.push({ text, key, resolve: resolveVector, reject: rejectVector });
            pump(true);
          });
        }),
      );
    },
    close: async () => {
      closed = true;
      const error = new ModelUnavailableError("embedder is closed");
      for (const pending of queue.splice(0)) pending.reject(error);
      // onnxruntime-node 1.21 runs inference on its own threads: a worker terminated while a batch
      // runs aborts the whole process when the batch completes (uncaught Napi::Error). Wait for
      // running batches (bounded), then terminate.
      const deadline = performance.now() + CLOSE_DRAIN_MS;
      while (busyWorkers() > 0 && !failure && performance.now() < deadline) {
        await new Promise((resolveWait) => setTimeout(resolveWait, 10));
      }
      failAll(error);
      await Promise.all(
        slots.map(async (slot) => {
          if (slot.exited) return;
          const released = new Promise<void>((resolveReleased) => {
            slot.worker.on("message", (message: { type: string }) => {
              if (message.type === "closed") resolveReleased();
            });
            slot.worker.once("exit", () => resolveReleased());
            setTimeout(resolveReleased, CLOSE_DRAIN_MS).unref();
          });
          slot.worker.postMessage({ type: "close" });
          await released;
          await slot.worker.terminate();
        }),
      );
    },
  };
}
