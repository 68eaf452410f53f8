import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Embedder } from "#domain/ports";

const HASH_BYTES = 32;

export interface DiskEmbeddingCacheOptions {
  /** Folder of the cache files (one per model); deleting it only costs the next run its time. */
  dir: string;
  /** Vectors kept at most (≈ 2 kB each at 512 dimensions); beyond it new texts are embedded but not stored. */
  maxEntries?: number;
}

export interface CacheCounts {
  /** Texts answered from the cache. */
  hits: number;
  /** Texts the model embedded. */
  embedded: number;
  /** Vectors in the cache now (loaded plus stored by this run). */
  entries: number;
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
  const maxEntries = options.maxEntries ?? 100_000;
  const dimensions = inner.dimensions;
  const recordBytes = HASH_BYTES + dimensions * 4;
  // The model id is in the file name and in every key: another model can never answer.
  const file = join(options.dir, `${inner.modelId.replace(/[^\w.-]/g, "_")}-${dimensions}.bin`);
  const keyOf = (text: string) =>
    createHash("sha256").update(inner.modelId).update("\0").update(text).digest();
  const vectors = new Map<string, Float32Array>();
  let hits = 0;
  let embedded = 0;

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

  function store(records: { key: Buffer; vector: Float32Array }[]): void {
    const room = Math.max(0, maxEntries - vectors.size);
    const kept = records.slice(0, room);
    if (kept.length === 0) return;
    const chunk = Buffer.alloc(kept.length * recordBytes);
    kept.forEach(({ key, vector }, index) => {
      key.copy(chunk, index * recordBytes);
      Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).copy(
        chunk,
        index * recordBytes + HASH_BYTES,
      );
      vectors.set(key.toString("base64"), vector);
    });
    appendFileSync(file, chunk);
  }

  return {
    modelId: inner.modelId,
    dimensions,
    ready: () => inner.ready(),
    close: () => inner.close(),
    ...(inner.queueDepth ? { queueDepth: () => inner.queueDepth?.() ?? 0 } : {}),
    counts: () => ({ hits, embedded, entries: vectors.size }),
    async embed(texts) {
      const keys = texts.map(keyOf);
      const result: (Float32Array | undefined)[] = keys.map((key) => vectors.get(key.toString("base64")));
      const missing: number[] = [];
      const seen = new Map<string, number>();
      result.forEach((vector, index) => {
        if (vector) {
          hits += 1;
          return;
        }
        const key = keys[index]?.toString("base64") ?? "";
        if (!seen.has(key)) {
          seen.set(key, missing.length);
          missing.push(index);
        }
      });
      if (missing.length > 0) {
        const computed = await inner.embed(missing.map((index) => texts[index] ?? ""));
        embedded += computed.length;
        const records: { key: Buffer; vector: Float32Array }[] = [];
        missing.forEach((index, position) => {
          const vector = computed[position];
          const key = keys[index];
          if (!vector || !key) return;
          records.push({ key, vector });
        });
        store(records.filter(({ key }) => !vectors.has(key.toString("base64"))));
        result.forEach((vector, index) => {
          if (vector) return;
          const key = keys[index]?.toString("base64") ?? "";
          result[index] = computed[seen.get(key) ?? -1];
        });
      }
      return result.map((vector) => {
        if (!vector) throw new Error("embedding cache: a vector is missing");
        return vector;
      });
    },
  };
}
