import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Embedder } from "#domain/ports";
import { detectUrgency, type UrgencyIndex } from "#domain/urgency/detect";
import { createWorkerEmbedder } from "#infra/embedder/worker-embedder";
import { loadKnowledge } from "#infra/knowledge-fs/load-knowledge";
import { clauseVectors } from "#services/urgency-clauses";
import { lazyUrgencyIndex } from "#services/urgency-index";

const MODEL_ROOT = "models";
const LOAD_TIMEOUT_MS = 120_000;

// The similarity path alone (cue patterns removed): paraphrases of the emergency list's phrasings,
// none of them a phrasing itself, must reach their item through the real model.
const PARAPHRASES: readonly (readonly [string, string])[] = [
  ["楼道里燃气味特别浓", "gas-leak"],
  ["电梯坏了停在半空，里面有人", "elevator-entrapment"],
  ["小区地下车库进水了，水越来越深", "typhoon-waterlogging"],
  ["后面山上的裂缝越来越宽了", "landslide"],
  ["家里停电了，老人的制氧机用不了", "power-outage-medical"],
];
const CALM = ["想问一下燃气费怎么交", "电梯年检归哪个部门管", "社保卡丢了怎么补办", "上个月电梯困过人"];

describe("urgency by similarity with the real model", () => {
  let embedder: Embedder;
  let similarityOnly: UrgencyIndex;

  beforeAll(async () => {
    embedder = createWorkerEmbedder({ modelRoot: MODEL_ROOT, cacheSize: 0 });
    await embedder.ready();
    const index = await lazyUrgencyIndex(embedder, loadKnowledge("knowledge").bundle.emergencies)();
    similarityOnly = { items: index.items.map((item) => ({ ...item, cues: [] })) };
  }, LOAD_TIMEOUT_MS);
  afterAll(async () => {
    await embedder.close();
  });

  const detect = async (text: string) => {
    const textVector = embedder.embed([text]).then(([vector]) => vector ?? new Float32Array());
    const vectors = await clauseVectors(embedder, text, textVector);
    return detectUrgency(similarityOnly, text, vectors, await textVector);
  };

  it("embeds every item's phrasings once", () => {
    for (const item of similarityOnly.items) {
      expect(item.phrasingVectors.length, item.id).toBeGreaterThan(0);
      expect(Math.hypot(...(item.phrasingVectors[0] ?? []))).toBeCloseTo(1, 3);
    }
  });

  it.each(PARAPHRASES)("%s reaches %s by similarity", async (text, id) => {
    const result = await detect(text);
    const match = result.matched.find((entry) => entry.itemId === id);
    expect(match, JSON.stringify(result.matched)).toBeDefined();
    expect(match?.by).toBe("similarity");
    expect(match?.score).toBeGreaterThanOrEqual(0.8);
  });

  it.each(CALM)("%s is not urgent by similarity", async (text) => {
    expect((await detect(text)).matched).toEqual([]);
  });
});
