import { describe, expect, it } from "vitest";
import { baselineKeys, compareToBaseline } from "../../../eval/lib/baseline";
import { type ClassificationResult, urgencyFigures } from "../../../eval/lib/harness";
import { summaryMarkdown } from "../../../eval/lib/report";

describe("urgency figures in the eval report", () => {
  const rows = [
    { id: "u-1", gold: true, flagged: true, matched: ["gas-leak"], item: "gas-leak" },
    { id: "u-2", gold: true, flagged: true, matched: ["gas-poisoning"], item: "gas-leak" },
    { id: "u-3", gold: true, flagged: false, matched: [], item: "landslide" },
    { id: "u-4", gold: false, flagged: true, matched: ["fire"] },
    { id: "u-5", gold: false, flagged: false, matched: [] },
  ];

  it("computes recall and precision of the flag and recall per gold item", () => {
    const figures = urgencyFigures(rows);
    expect(figures).toMatchObject({
      truePositives: 2,
      falsePositives: 1,
      falseNegatives: 1,
      missed: ["u-3"],
    });
    expect(figures.recall).toBeCloseTo(2 / 3);
    expect(figures.precision).toBeCloseTo(2 / 3);
    expect(figures.perItem).toEqual({
      "gas-leak": { n: 2, recall: 1, itemRecall: 0.5 },
      landslide: { n: 1, recall: 0, itemRecall: 0 },
    });
  });

  const result = (task: ClassificationResult["task"], macroF1: number): ClassificationResult => ({
    task,
    head: task,
    n: 5,
    accuracy: 0.6,
    macroF1,
    top3: 1,
    ece: 0.1,
    coverageAt95: 0,
    costWeightedError: 1.2,
    perClass: {},
    confusion: {},
    reliability: [],
    precisionCoverage: [],
    ablation: {},
    latency: { p50Ms: 1, p95Ms: 2 },
    folds: null,
    trainedOn: null,
    urgency: urgencyFigures(rows),
  });

  it("keys a task run on a second dataset apart in the baseline gate", () => {
    const results = [result("urgent", 0.8), result("urgent", 0.6)];
    expect(baselineKeys(results)).toEqual(["urgent", "urgent#2"]);
    const outcome = compareToBaseline(
      results,
      { urgent: { metric: "macroF1", value: 0.8 }, "urgent#2": { metric: "macroF1", value: 0.7 } },
      0.03,
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.lines[1]).toMatch(/^✗ urgent#2/);
  });

  it("shows recall, precision and the per-item table in the summary", () => {
    const markdown = summaryMarkdown({
      name: "unit",
      createdAt: "2026-12-02T00:00:00Z",
      modelVersion: null,
      embeddingModel: "fake",
      inputs: {},
      results: [result("urgent", 0.8)],
    });
    expect(markdown).toContain("召回率 **66.7%** · 精确率 **66.7%**");
    expect(markdown).toContain("| gas-leak | 2 | 100.0% | 50.0% |");
    expect(markdown).toContain("漏报：u-3");
  });
});
