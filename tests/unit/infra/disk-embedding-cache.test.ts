import { appendFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDiskCachedEmbedder } from "#infra/embedder/disk-cache";
import { FakeEmbedder } from "../../helpers/fakes";

/** Counts the texts that reach the model, not just the calls. */
class CountingEmbedder extends FakeEmbedder {
  texts = 0;
  override async embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.texts += texts.length;
    return super.embed(texts);
  }
}

const TEXTS = Array.from({ length: 40 }, (_, index) => `市民反映第${index}号楼电梯故障困人`);

describe("the evaluations' on-disk embedding cache", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "embedding-cache-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("a second run over the same texts embeds nothing new and gets the same vectors", async () => {
    const firstModel = new CountingEmbedder();
    const first = createDiskCachedEmbedder(firstModel, { dir });
    const firstVectors = await first.embed(TEXTS);
    expect(firstModel.texts).toBe(TEXTS.length);
    expect(first.counts()).toEqual({ hits: 0, embedded: TEXTS.length, entries: TEXTS.length, evicted: 0 });

    // A new process: only the files are shared.
    const secondModel = new CountingEmbedder();
    const second = createDiskCachedEmbedder(secondModel, { dir });
    const secondVectors = await second.embed([...TEXTS].reverse());
    expect(secondModel.texts).toBe(0);
    expect(second.counts()).toMatchObject({ hits: TEXTS.length, embedded: 0 });
    expect(secondVectors.reverse()).toEqual(firstVectors);

    // Only the texts not seen before reach the model.
    await second.embed([TEXTS[0] ?? "", "一条新的来电"]);
    expect(secondModel.texts).toBe(1);
  });

  it("keys by model id: another model never answers from this cache", async () => {
    await createDiskCachedEmbedder(new CountingEmbedder(512, "model-a"), { dir }).embed(TEXTS);
    const other = new CountingEmbedder(512, "model-b");
    await createDiskCachedEmbedder(other, { dir }).embed(TEXTS);
    expect(other.texts).toBe(TEXTS.length);
  });

  it("is bounded, and a torn or deleted file only costs time", async () => {
    const bounded = createDiskCachedEmbedder(new CountingEmbedder(), { dir, maxEntries: 10 });
    await bounded.embed(TEXTS);
    expect(bounded.counts().entries).toBe(10);

    const [file] = readdirSync(dir);
    appendFileSync(join(dir, file ?? ""), Buffer.from([1, 2, 3]));
    const afterTear = new CountingEmbedder();
    await createDiskCachedEmbedder(afterTear, { dir }).embed(TEXTS);
    expect(afterTear.texts).toBe(TEXTS.length);

    rmSync(dir, { recursive: true, force: true });
    const afterDelete = new CountingEmbedder();
    const vectors = await createDiskCachedEmbedder(afterDelete, { dir }).embed(TEXTS);
    expect(afterDelete.texts).toBe(TEXTS.length);
    expect(vectors).toHaveLength(TEXTS.length);
  });

  it("when full, drops what the current run did not use, so the run that repeats keeps its cache", async () => {
    const older = TEXTS.slice(0, 10);
    const newer = TEXTS.slice(10, 30);
    await createDiskCachedEmbedder(new CountingEmbedder(), { dir, maxEntries: 25 }).embed(older);

    // A run that reuses 5 of the older texts and needs 20 more: the other 5 older ones make room.
    const run = [...older.slice(0, 5), ...newer];
    const first = createDiskCachedEmbedder(new CountingEmbedder(), { dir, maxEntries: 25 });
    await first.embed(run.slice(0, 12));
    await first.embed(run.slice(12));
    expect(first.counts()).toEqual({ hits: 5, embedded: 20, entries: 25, evicted: 5 });

    const againModel = new CountingEmbedder();
    const again = createDiskCachedEmbedder(againModel, { dir, maxEntries: 25 });
    await again.embed(run);
    expect(againModel.texts).toBe(0);
    expect(again.counts()).toMatchObject({ hits: 25, entries: 25 });
    const droppedModel = new CountingEmbedder();
    await createDiskCachedEmbedder(droppedModel, { dir, maxEntries: 25 }).embed(older.slice(5));
    expect(droppedModel.texts).toBe(5);
  });

  it("embeds a text repeated within one call once", async () => {
    const model = new CountingEmbedder();
    const vectors = await createDiskCachedEmbedder(model, { dir }).embed(["同一句话", "同一句话"]);
    expect(model.texts).toBe(1);
    expect(vectors[0]).toEqual(vectors[1]);
  });
});
