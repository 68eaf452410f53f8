import { describe, expect, it } from "vitest";
import { classificationReport } from "#domain/classifier/metrics";
import { baselineOf, compareToBaseline } from "../../../eval/lib/baseline";
import type { ClassificationResult, RetrievalResult } from "../../../eval/lib/harness";
import { reportHtml, summaryMarkdown } from "../../../eval/lib/report";

function result(): ClassificationResult {
  const report = classificationReport([
    {
      ranked: [
        { label: "rsj", probability: 0.9 },
        { label: "zjj", probability: 0.1 },
      ],
      gold: ["rsj"],
    },
    { ranked: [{ label: "zjj", probability: 0.7 }], gold: ["rsj"] },
    { ranked: [{ label: "cgj", probability: 0.55 }], gold: ["cgj", "zjj"] },
  ]);
  return {
    task: "department",
    head: "department",
    n: report.n,
    accuracy: report.accuracy,
    macroF1: report.macroF1,
    top3: report.top3,
    ece: report.ece,
    coverageAt95: report.coverageAt95,
    costWeightedError: 5 * (1 - report.accuracy),
    perClass: report.perClass,
    confusion: report.confusion,
    reliability: report.reliability,
    precisionCoverage: report.precisionCoverage,
    ablation: {
      knn: { accuracy: 0.5, macroF1: 0.4, top3: 1 },
      fused: { accuracy: report.accuracy, macroF1: report.macroF1, top3: report.top3 },
    },
    latency: { p50Ms: 12, p95Ms: 30 },
    folds: null,
    trainedOn: 10,
  };
}

describe("evaluation report", () => {
  const run = {
    name: "unit",
    createdAt: "2026-03-02T00:00:00Z",
    modelVersion: "v1",
    embeddingModel: "fake",
    inputs: {},
    results: [result()],
  };

  it("renders a self-contained HTML page with the four charts as SVG", () => {
    const html = reportHtml(run);
    expect(html).not.toMatch(/<script|(src|href)="https?:/);
    for (const chart of ["confusion", "reliability", "precision-coverage", "per-class"]) {
      const match = new RegExp(`<svg class="chart" data-chart="${chart}"[^>]*>([\\s\\S]*?)</svg>`).exec(html);
      expect(match, chart).not.toBeNull();
      expect(match?.[1]).toMatch(/<(rect|path|circle)/);
    }
    // The confusion heat map has one cell per gold×predicted pair of the shown labels.
    const confusion = /data-chart="confusion"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? "";
    expect((confusion.match(/<rect /g) ?? []).length).toBe(9);
  });

  it("summarises headline metrics and the ablation in Markdown", () => {
    const markdown = summaryMarkdown(run);
    expect(markdown).toContain("macro-F1");
    expect(markdown).toContain("| knn |");
  });

  it("gates on drops beyond the tolerance only", () => {
    const current = result();
    expect(
      compareToBaseline([current], { department: { metric: "macroF1", value: current.macroF1 + 0.02 } }, 0.03)
        .ok,
    ).toBe(true);
    expect(
      compareToBaseline([current], { department: { metric: "macroF1", value: current.macroF1 + 0.05 } }, 0.03)
        .ok,
    ).toBe(false);
  });

  it("gates a named run (one task on a second test set) against its own baseline line", () => {
    const current = { ...result(), name: "department-dev" };
    const baseline = {
      department: { metric: "macroF1", value: 0 },
      "department-dev": { metric: "macroF1", value: current.macroF1 + 0.05 },
    };
    const outcome = compareToBaseline([current], baseline, 0.03);
    expect(outcome.ok).toBe(false);
    expect(outcome.lines[0]).toMatch(/^✗ department-dev /);
  });

  it("gates retrieval's off-topic rejection (a drop) and answerable refusal (a rise) besides recall@3", () => {
    const retrieval: RetrievalResult = {
      task: "retrieval",
      n: 679,
      recallAt1: 0.9,
      recallAt3: 0.98,
      recallAt5: 0.99,
      mrr: 0.94,
      noAnswerRate: 0.01,
      falseAnswerRate: 1,
      confidentRefusal: 0.046,
      offTopicRejected: 0.91,
      perDepartment: {},
      latency: { meanMs: 20 },
    };
    const baseline = baselineOf([retrieval]);
    expect(Object.keys(baseline)).toEqual([
      "retrieval",
      "retrieval.offTopicRejected",
      "retrieval.confidentRefusal",
    ]);
    expect(compareToBaseline([retrieval], baseline, 0.03).ok).toBe(true);
    const rejectsLess = compareToBaseline([{ ...retrieval, offTopicRejected: 0.85 }], baseline, 0.03);
    expect(rejectsLess.ok).toBe(false);
    expect(rejectsLess.lines.find((line) => line.startsWith("✗"))).toMatch(/offTopicRejected 0\.8500/);
    const refusesMore = compareToBaseline([{ ...retrieval, confidentRefusal: 0.09 }], baseline, 0.03);
    expect(refusesMore.ok).toBe(false);
    expect(refusesMore.lines.find((line) => line.startsWith("✗"))).toMatch(
      /confidentRefusal .*lower is better/,
    );
    // Refusing fewer answerable questions is no regression.
    expect(compareToBaseline([{ ...retrieval, confidentRefusal: 0 }], baseline, 0.03).ok).toBe(true);
  });
});
