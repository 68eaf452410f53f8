import { createHash } from "node:crypto";
import type { Clock, Embedder, Segmenter } from "#domain/ports";

/**
 * Deterministic embedder for tests of code around the model: a text's vector is built from the
 * hashes of its character bigrams, so texts sharing words are closer. Unit length, like the model.
 */
export class FakeEmbedder implements Embedder {
  calls = 0;
  constructor(
    readonly dimensions = 512,
    readonly modelId = "fake-embedder",
  ) {}

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.calls += 1;
    return texts.map((text) => this.vectorOf(text));
  }

  vectorOf(text: string): Float32Array {
    const vector = new Float32Array(this.dimensions);
    const chars = [...text];
    const grams = chars.length < 2 ? chars : chars.slice(1).map((char, index) => `${chars[index]}${char}`);
    for (const gram of grams) {
      const digest = createHash("sha1").update(gram).digest();
      const slot = digest.readUInt32BE(0) % this.dimensions;
      vector[slot] = (vector[slot] ?? 0) + (digest.readUInt8(4) % 2 === 0 ? 1 : -1);
    }
    const norm = Math.hypot(...vector) || 1;
    return vector.map((value) => value / norm);
  }

  async ready(): Promise<void> {}
  async close(): Promise<void> {}
}

/**
 * The fake model's bigram vectors put paraphrases far apart; this one gives the meaning a real
 * model would: a text matching `problems[k]` points along dimension k, plus `noise` times its own
 * bigram vector (each text stays its own). Other texts point along `others` when given, else keep
 * their bigram vector.
 */
export class ProblemEmbedder extends FakeEmbedder {
  constructor(
    private readonly problems: readonly RegExp[],
    private readonly noise: number,
    private readonly others: number | null = null,
  ) {
    super();
  }

  override vectorOf(text: string): Float32Array {
    const own = super.vectorOf(text);
    const found = this.problems.findIndex((pattern) => pattern.test(text));
    const direction = found >= 0 ? found : this.others;
    if (direction === null) return own;
    const vector = own.map((value) => value * this.noise);
    vector[direction] = (vector[direction] ?? 0) + 1;
    const norm = Math.hypot(...vector);
    return vector.map((value) => value / norm);
  }
}

/** Splits on whitespace and punctuation, and keeps CJK runs as character bigrams. */
export class FakeSegmenter implements Segmenter {
  cut(text: string): string[] {
    return text.split(/[\s\p{P}]+/u).filter(Boolean);
  }
  cutForSearch(text: string): string[] {
    return this.cut(text);
  }
}

export class FixedClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(date: Date): void {
    this.current = date;
  }
}
