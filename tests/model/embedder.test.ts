import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Embedder } from "#domain/ports";
import { verifyModelFiles } from "#infra/embedder/model-files";
import { createWorkerEmbedder } from "#infra/embedder/worker-embedder";
import { copyModelRoot } from "../helpers/model-copy";

const MODEL_ROOT = "models";
/** Texts in one batch for the responsiveness test: long citizen-length requests. */
const LARGE_BATCH = 64;
const MAX_TIMER_LAG_MS = 50;

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let index = 0; index < a.length; index += 1) dot += (a[index] ?? 0) * (b[index] ?? 0);
  return dot;
}

describe("real embedding model (bge-small-zh-v1.5 from models/)", () => {
  let embedder: Embedder;

  beforeAll(async () => {
    embedder = createWorkerEmbedder({ modelRoot: MODEL_ROOT, cacheSize: 0 });
    await embedder.ready();
  });
  afterAll(async () => {
    await embedder.close();
  });

  it("returns one 512-d unit vector per text", async () => {
    const vectors = await embedder.embed(["社保卡丢了怎么补办", "楼下烧烤店油烟很大", "12345"]);
    expect(embedder.dimensions).toBe(512);
    expect(vectors).toHaveLength(3);
    for (const vector of vectors) {
      expect(vector).toHaveLength(512);
      expect(Math.hypot(...vector)).toBeCloseTo(1, 3);
    }
  });

  it("scores similar Chinese requests higher than unrelated ones", async () => {
    const [lostCard, lostCardColloquial, noise, streetVendor, vendorColloquial] = await embedder.embed([
      "社会保障卡遗失后如何补办",
      "我医保卡唔见咗，点样补办啊",
      "小区广场舞音响太吵影响休息",
      "流动摊贩占道经营",
      "路边好多走鬼乱摆卖堵住路",
    ]);
    if (!lostCard || !lostCardColloquial || !noise || !streetVendor || !vendorColloquial) {
      throw new Error("missing vectors");
    }
    expect(cosine(lostCard, lostCardColloquial)).toBeGreaterThan(cosine(lostCard, noise) + 0.1);
    expect(cosine(streetVendor, vendorColloquial)).toBeGreaterThan(cosine(streetVendor, lostCard) + 0.1);
  });

  it("keeps the event loop responsive while a large batch runs in the worker", async () => {
    const texts = Array.from({ length: LARGE_BATCH }, (_, index) =>
      `${index}号楼业主反映：小区物业长期不清理垃圾，化粪池堵塞外溢，电梯经常故障困人，多次找物业和居委会都没有解决，`.repeat(
        3,
      ),
    );
    let maxLag = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      maxLag = Math.max(maxLag, now - last - 5);
      last = now;
    }, 5);
    const started = performance.now();
    const vectors = await embedder.embed(texts);
    const elapsed = performance.now() - started;
    clearInterval(timer);
    expect(vectors).toHaveLength(LARGE_BATCH);
    // The batch must take long enough for the lag measurement to mean something.
    expect(elapsed).toBeGreaterThan(200);
    expect(maxLag).toBeLessThan(MAX_TIMER_LAG_MS);
  });

  it("serves repeated texts from its cache without changing them", async () => {
    const cached = createWorkerEmbedder({ modelRoot: MODEL_ROOT, cacheSize: 100 });
    try {
      await cached.ready();
      const [first] = await cached.embed(["公积金提取需要什么材料"]);
      const [second] = await cached.embed(["公积金提取需要什么材料"]);
      expect(second).toBe(first);
    } finally {
      await cached.close();
    }
  });
});

describe("model file verification", () => {
  it("accepts the fetched model", () => {
    expect(verifyModelFiles(MODEL_ROOT).id).toBe("bge-small-zh-v1.5");
  });

  it("refuses a corrupt or missing model with a clear message", () => {
    const copy = copyModelRoot(MODEL_ROOT);
    writeFileSync(join(copy, "bge-small-zh-v1.5", "tokenizer.json"), "{}");
    expect(() => verifyModelFiles(copy)).toThrow(/tokenizer\.json has sha256 .* expected 48cea5d4/);
    expect(() => createWorkerEmbedder({ modelRoot: copy })).toThrow(/failed verification/);
    expect(() => verifyModelFiles(join(copy, "nowhere"))).toThrow(/no model manifest/);
  });
});
