import { createHash } from "node:crypto";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import type { Embedder } from "#domain/ports";

const HASH_BYTES = 32;

export interface DiskEmbeddingCacheOptions {
  /** Folder of the cache files (one per model); deleting it only costs the next run its time. */
  dir: string;
  /**
   * Vectors kept at most (≈ 2 kB each at 512 dimensions). When a run needs room, the vectors it has
   * not used are dropped first (the file is rewritten with the ones it used), so the evaluation
   * that runs again keeps its cache; only a run needing more than this on its own goes uncached.
   */
  maxEntries?: number;
}

export interface CacheCounts {
  /** Texts answered from the cache. */
  hits: number;
  /** Texts the model embedded. */
  embedded: number;
  /** Vectors in the cache now (loaded plus stored by this run, less those evicted). */
  entries: number;
  /** Vectors dropped by this run to make room (ones it had not used). */
  evicted: number;
}

export interface DiskCachedEmbedder extends Embedder {
  counts(): CacheCounts;
}

/**
 * An embedder that remembers vectors on disk, keyed by the model id and the sha256 of the text, so
 * an evaluation that runs the same texts again embeds only the new ones. Records are appended as
 * they are computed (a run that dies keeps what it did); a file that is torn or belongs to other
 * dimensions is ignored and replaced. Only for evaluations and benchmarks: the server never reads it.
 *
 * @example
 * const embedder = createDiskCachedEmbedder(runtime.deps.embedder, { dir: ".cache/embeddings" });
 * await embedder.embed(texts); // the second run: counts().embedded === 0
 */
export function createDiskCachedEmbedder(
  inner: Embedder,
  options: DiskEmbeddingCacheOptions,
): DiskCachedEmbedder {
  // One TipDM cross-validation uses ~65k texts (every clause the urgency detector embeds), the CI
  // suite ~35k: the default keeps both (≈ 0.5 GB).
  const maxEntries = options.maxEntries ?? 250_000;
  const dimensions = inner.dimensions;
  const recordBytes = HASH_BYTES + dimensions * 4;
  // The model id is in the file name and in every key: another model can never answer.
  const file = join(options.dir, `${inner.modelId.replace(/[^\w.-]/g, "_")}-${dimensions}.bin`);
  // Keys are the hash in base64 (the Map's key); the file holds its bytes.
  const keyOf = (text: string) =>
    createHash("sha256").update(inner.modelId).update("\0").update(text).digest("base64");
  const vectors = new Map<string, Float32Array>();
  // Keys this run has read or written: what eviction keeps.
  const used = new Set<string>();
  let hits = 0;
  let embedded = 0;
  let evicted = 0;

  mkdirSync(options.dir, { recursive: true });
  if (existsSync(file)) {
    const bytes = readFileSync(file);
    if (bytes.length % recordBytes !== 0) {
      // A torn tail (a run killed mid-write) or another layout: start again rather than misread.
      rmSync(file);
    } else {
      for (let offset = 0; offset < bytes.length && vectors.size < maxEntries; offset += recordBytes) {
        const key = bytes.subarray(offset, offset + HASH_BYTES).toString("base64");
        const copy = new Uint8Array(bytes.subarray(offset + HASH_BYTES, offset + recordBytes));
        vectors.set(key, new Float32Array(copy.buffer));
      }
    }
  }

  function recordOf(key: string, vector: Float32Array, into: Buffer, index: number): void {
    Buffer.from(key, "base64").copy(into, index * recordBytes);
    Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).copy(
      into,
      index * recordBytes + HASH_BYTES,
    );
  }

  /** Drops the vectors this run has not used and rewrites the file with the rest (atomically). */
  function evictUnused(): void {
    const kept = [...vectors.entries()].filter(([key]) => used.has(key));
    if (kept.length === vectors.size) return;
    const bytes = Buffer.alloc(kept.length * recordBytes);
    kept.forEach(([key, vector], index) => {
      recordOf(key, vector, bytes, index);
    });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, bytes);
    renameSync(temporary, file);
    evicted += vectors.size - kept.length;
    vectors.clear();
    for (const [key, vector] of kept) vectors.set(key, vector);
  }

  function store(records: { key: string; vector: Float32Array }[]): void {
    if (vectors.size + records.length > maxEntries) evictUnused();
    const room = Math.max(0, maxEntries - vectors.size);
    const kept = records.slice(0, room);
    if (kept.length === 0) return;
    const chunk = Buffer.alloc(kept.length * recordBytes);
    kept.forEach(({ key, vector }, index) => {
      recordOf(key, vector, chunk, index);
      vectors.set(key, vector);
      used.add(key);
    });
    appendFileSync(file, chunk);
  }

  return {
    modelId: inner.modelId,
    dimensions,
    ready: () => inner.ready(),
    close: () => inner.close(),
    ...(inner.queueDepth ? { queueDepth: () => inner.queueDepth?.() ?? 0 } : {}),
    counts: () => ({ hits, embedded, entries: vectors.size, evicted }),
    async embed(texts) {
      const keys = texts.map(keyOf);
      const result: (Float32Array | undefined)[] = keys.map((key) => vectors.get(key));
      const missing: number[] = [];
      const seen = new Map<string, number>();
      result.forEach((vector, index) => {
        const key = keys[index] ?? "";
        if (vector) {
          hits += 1;
          used.add(key);
          return;
        }
        if (!seen.has(key)) {
          seen.set(key, missing.length);
          missing.push(index);
        }
      });
      if (missing.length > 0) {
        const computed = await inner.embed(missing.map((index) => texts[index] ?? ""));
        embedded += computed.length;
        const records: { key: string; vector: Float32Array }[] = [];
        missing.forEach((index, position) => {
          const vector = computed[position];
          const key = keys[index];
          if (!vector || !key) return;
          records.push({ key, vector });
        });
        store(records.filter(({ key }) => !vectors.has(key)));
        result.forEach((vector, index) => {
          if (vector) return;
          result[index] = computed[seen.get(keys[index] ?? "") ?? -1];
        });
      }
      return result.map((vector) => {
        if (!vector) throw new Error("embedding cache: a vector is missing");
        return vector;
      });
    },
  };
}
