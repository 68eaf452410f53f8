import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Embedder } from "#domain/ports";
import { createWorkerEmbedder } from "#infra/embedder/worker-embedder";

const MODEL_ROOT = "models";
/** The runtimes must agree to this much per dimension, or the stored index is no longer the same index. */
const MAX_ABS_DIFF = 1e-4;

/**
 * Vectors the previous runtime (@xenova/transformers 2.17.2) produced from the same model files,
 * one text at a time and six texts in one batch. The index sync key is the model id alone, which
 * is honest only while these stay equal: if a runtime change ever breaks this test, change the key.
 */
const fixture = JSON.parse(readFileSync("tests/fixtures/xenova-2.17-vectors.json", "utf8")) as {
  texts: { text: string; vector: number[] }[];
  batch: { texts: string[]; vectors: number[][] };
};

function maxAbsDiff(actual: Float32Array | undefined, expected: readonly number[] | undefined): number {
  if (!actual || !expected) throw new Error("missing vector");
  expect(actual).toHaveLength(expected.length);
  let max = 0;
  expected.forEach((value, index) => {
    max = Math.max(max, Math.abs((actual[index] ?? Number.NaN) - value));
  });
  return max;
}

describe.each([
  { threads: 0, label: "onnxruntime's default threads" },
  { threads: 1, label: "one intra-op thread" },
])("the embedding runtime gives the previous runtime's vectors ($label)", ({ threads }) => {
  let embedder: Embedder;

  beforeAll(async () => {
    embedder = createWorkerEmbedder({ modelRoot: MODEL_ROOT, cacheSize: 0, intraOpNumThreads: threads });
    await embedder.ready();
  });
  afterAll(async () => {
    await embedder.close();
  });

  it(`matches ${fixture.texts.length} texts embedded one at a time`, async () => {
    expect(fixture.texts.length).toBeGreaterThanOrEqual(20);
    for (const { text, vector } of fixture.texts) {
      const [actual] = await embedder.embed([text]);
      expect(maxAbsDiff(actual, vector), text.slice(0, 20)).toBeLessThanOrEqual(MAX_ABS_DIFF);
    }
  });

  it("matches a batch (padding and the quantizer's range span the whole batch)", async () => {
    const actual = await embedder.embed(fixture.batch.texts);
    fixture.batch.vectors.forEach((vector, index) => {
      expect(maxAbsDiff(actual[index], vector)).toBeLessThanOrEqual(MAX_ABS_DIFF);
    });
  });
});

describe("closing the embedder while a batch runs", () => {
  /** Long enough for onnxruntime to finish the batch and call back into the (terminated) worker. */
  const AFTER_CLOSE_MS = 3_000;

  it("lets the batch finish instead of aborting the process (uncaught Napi::Error, exit 134)", async () => {
    const embedder = createWorkerEmbedder({ modelRoot: MODEL_ROOT, cacheSize: 0 });
    await embedder.ready();
    const texts = Array.from({ length: 32 }, (_, index) =>
      `${index}号楼业主反映：小区物业长期不清理垃圾，化粪池堵塞外溢，电梯经常故障困人，`.repeat(4),
    );
    const running = embedder.embed(texts);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await embedder.close();
    // Were the process aborted, vitest would report this file's worker as crashed.
    await new Promise((resolve) => setTimeout(resolve, AFTER_CLOSE_MS));
    expect(await running).toHaveLength(texts.length);
    await expect(embedder.embed(["关闭之后"])).rejects.toThrow(/closed/);
  });
});

describe("batches of similar length", () => {
  it("embeds the oldest text first: a call's full text is not kept waiting behind its short clauses", async () => {
    const grouped = createWorkerEmbedder({ modelRoot: MODEL_ROOT, cacheSize: 0 });
    await grouped.ready();
    try {
      const finished: string[] = [];
      // As suggest queues them: the full text (search and neighbours wait on it), then in the
      // same tick the clauses the urgency detector compares.
      const text =
        "我家楼道里从早上开始就有很浓的燃气味，邻居说可能是楼上的管道漏了，我们已经打开窗户了，家里还有老人和小孩，物业电话一直打不通，请问应该找哪个部门尽快来处理一下";
      const clauses = ["楼道里有很浓的燃气味", "可能是管道漏了", "物业电话打不通", "请尽快来处理"];
      await Promise.all([
        grouped.embed([text]).then(() => finished.push("text")),
        grouped.embed(clauses).then(() => finished.push("clauses")),
      ]);
      expect(finished).toEqual(["text", "clauses"]);
    } finally {
      await grouped.close();
    }
  });

  it("gives every text of a mixed-length request its vector, in order", async () => {
    const grouped = createWorkerEmbedder({ modelRoot: MODEL_ROOT, cacheSize: 0 });
    await grouped.ready();
    try {
      const texts = fixture.texts.map((entry) => entry.text);
      const vectors = await grouped.embed(texts);
      // Batched differently from the fixture's one-at-a-time vectors: close, not equal (dynamic quantization).
      vectors.forEach((vector, index) => {
        const expected = fixture.texts[index]?.vector ?? [];
        let dot = 0;
        expected.forEach((value, dimension) => {
          dot += value * (vector[dimension] ?? 0);
        });
        expect(dot, texts[index]?.slice(0, 20)).toBeGreaterThan(0.95);
      });
    } finally {
      await grouped.close();
    }
  });
});
