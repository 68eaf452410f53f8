import { describe, expect, it } from "vitest";
import { bestPerItem, DEFAULT_FUSION, fuseRankings } from "#domain/retrieval/fusion";
import { firstHitRank, retrievalMetrics } from "#domain/retrieval/metrics";

const hit = (itemId: string, score: number, matchedText = itemId) => ({ itemId, score, matchedText });

describe("bestPerItem", () => {
  it("keeps each script's best passage, best first", () => {
    expect(bestPerItem([hit("a", 0.5, "a1"), hit("b", 0.7), hit("a", 0.9, "a2")])).toEqual([
      hit("a", 0.9, "a2"),
      hit("b", 0.7),
    ]);
  });
});

describe("fuseRankings", () => {
  it("sums weighted reciprocal ranks and records each signal", () => {
    const fused = fuseRankings(
      { vector: [hit("a", 0.9), hit("b", 0.8)], fulltext: [hit("b", 0.3), hit("c", 0.2)] },
      DEFAULT_FUSION,
    );
    expect(fused.map((entry) => entry.itemId)).toEqual(["b", "a", "c"]);
    const b = fused[0];
    expect(b?.fused).toBeCloseTo(1 / 62 + 0.5 / 61, 10);
    expect(b?.signals).toEqual({ vector: 0.8, fulltext: 0.3 });
    expect(b?.ranks).toEqual({ vector: 2, fulltext: 1 });
    expect(fused[2]?.signals.vector).toBeNull();
  });

  it("with a zero weight a signal does not change the order", () => {
    const fused = fuseRankings(
      { vector: [hit("a", 0.9), hit("b", 0.8)], fulltext: [hit("b", 0.3)] },
      { k: 60, weights: { vector: 1, fulltext: 0 } },
    );
    expect(fused.map((entry) => entry.itemId)).toEqual(["a", "b"]);
  });

  it("is deterministic on ties", () => {
    const fused = fuseRankings({ vector: [], fulltext: [hit("z", 0.1), hit("y", 0.1)] }, DEFAULT_FUSION);
    expect(fused.map((entry) => entry.itemId)).toEqual(["y", "z"]);
  });
});

describe("retrieval metrics", () => {
  it.each([
    [{ expected: ["a"], returned: ["a", "b"] }, 1],
    [{ expected: ["b", "c"], returned: ["a", "c", "b"] }, 2],
    [{ expected: ["x"], returned: ["a", "b"] }, null],
  ])("first hit rank of %j is %s", (testCase, rank) => {
    expect(firstHitRank(testCase)).toBe(rank);
  });

  it("computes recall@k, MRR, no-answer and false-answer rates", () => {
    const metrics = retrievalMetrics([
      { expected: ["a"], returned: ["a"] },
      { expected: ["a"], returned: ["b", "c", "a"] },
      { expected: ["a"], returned: ["b", "c", "d", "e", "f"] },
      { expected: ["a"], returned: ["b", "a"] },
      { expected: [], returned: ["q"] },
      { expected: [], returned: [] },
    ]);
    expect(metrics).toEqual({
      n: 6,
      answerable: 4,
      recallAt1: 0.25,
      recallAt3: 0.75,
      recallAt5: 0.75,
      mrr: (1 + 1 / 3 + 0 + 1 / 2) / 4,
      noAnswerRate: 0.25,
      falseAnswerRate: 0.5,
      confidentRefusal: 0,
      offTopicRejected: 0,
    });
  });

  it("counts the questions the search was not confident about: answerable ones wrongly, off-topic ones rightly", () => {
    const metrics = retrievalMetrics([
      { expected: ["a"], returned: ["a"], confident: true },
      { expected: ["a"], returned: ["a"], confident: false },
      { expected: ["a"], returned: ["b"], confident: true },
      { expected: ["a"], returned: ["a"] },
      { expected: [], returned: ["q"], confident: false },
      { expected: [], returned: ["q"], confident: false },
      { expected: [], returned: ["q"], confident: true },
      { expected: [], returned: [], confident: false },
    ]);
    expect(metrics.confidentRefusal).toBe(0.25);
    expect(metrics.offTopicRejected).toBe(0.75);
    expect(retrievalMetrics([{ expected: ["a"], returned: ["a"] }]).offTopicRejected).toBeNull();
  });
});
