import { describe, expect, it } from "vitest";
import {
  changeOf,
  compareRuns,
  type EvalResultRecord,
  headlineMetrics,
  isEvalRunId,
  type MetricChange,
  type MetricDirection,
  newestFirst,
  parseEvalRunRecord,
  primaryMetric,
  summariseRun,
} from "#domain/evaluation";

const classification = (
  task: string,
  values: Partial<
    Record<"macroF1" | "accuracy" | "top3" | "ece" | "coverageAt95" | "costWeightedError", number>
  >,
  head = task,
): EvalResultRecord => ({
  task,
  head,
  n: 100,
  macroF1: 0.8,
  accuracy: 0.85,
  top3: 0.95,
  ece: 0.1,
  coverageAt95: 0.6,
  costWeightedError: 0.5,
  folds: null,
  ...values,
});

const retrieval = (
  values: Partial<Record<"recallAt1" | "recallAt3" | "recallAt5" | "mrr" | "noAnswerRate", number>>,
) =>
  ({
    task: "retrieval",
    n: 40,
    recallAt1: 0.8,
    recallAt3: 0.9,
    recallAt5: 0.95,
    mrr: 0.85,
    noAnswerRate: 0.05,
    ...values,
  }) satisfies EvalResultRecord;

describe("run ids", () => {
  it.each([
    ["20261127T140451Z-ci", true],
    ["20261127T142556Z-category-5fold", true],
    ["ci_v1.2", true],
    ["a", true],
    ["", false],
    [".", false],
    ["..", false],
    ["../etc", false],
    ["a/../b", false],
    ["a..b", false],
    [".hidden", false],
    ["-rf", false],
    ["a/b", false],
    ["a\\b", false],
    ["%2e%2e", false],
    ["run id", false],
    ["评估", false],
    ["x".repeat(128), true],
    ["x".repeat(129), false],
  ])("%j is valid: %s", (id, valid) => {
    expect(isEvalRunId(id)).toBe(valid);
  });
});

describe("direction of a change", () => {
  it.each<[number | null, number | null, MetricDirection, MetricChange]>([
    [0.8, 0.85, "higher", "better"],
    [0.8, 0.75, "higher", "worse"],
    [0.2, 0.1, "lower", "better"], // ECE went down
    [0.2, 0.3, "lower", "worse"], // cost-weighted error went up
    [0.5, 0.5, "higher", "same"],
    [0.5, 0.5 + 1e-12, "lower", "same"], // float noise
    [null, 0.5, "higher", "unknown"],
    [0.5, null, "lower", "unknown"],
  ])("%s → %s (%s is better) is %s", (a, b, better, change) => {
    expect(changeOf(a, b, better)).toBe(change);
  });
});

describe("headline metrics", () => {
  it("leads with the CI gate's metric and marks the lower-is-better ones", () => {
    const metrics = headlineMetrics(classification("department", {}));
    expect(metrics.map((metric) => metric.key)).toEqual([
      "macroF1",
      "accuracy",
      "top3",
      "ece",
      "coverageAt95",
      "costWeightedError",
    ]);
    expect(metrics.filter((metric) => metric.better === "lower").map((metric) => metric.key)).toEqual([
      "ece",
      "costWeightedError",
    ]);
    const retrievalMetrics = headlineMetrics(retrieval({}));
    expect(retrievalMetrics[0]).toMatchObject({ key: "recallAt3", value: 0.9, format: "percent" });
    expect(retrievalMetrics.find((metric) => metric.key === "noAnswerRate")?.better).toBe("lower");
  });

  it.each([
    [classification("department", { macroF1: 0.87 }), { metric: "macroF1", value: 0.87 }],
    [retrieval({ recallAt3: 0.96 }), { metric: "recallAt3", value: 0.96 }],
  ])("primary metric of %#", (result, expected) => {
    expect(primaryMetric(result)).toEqual(expected);
  });

  it("reports a metric an older report lacks as null", () => {
    const { costWeightedError: _, ...old } = classification("type", {}) as Record<string, unknown>;
    const parsed = parseEvalRunRecord({ name: "old", createdAt: "2026-01-01T00:00:00Z", results: [old] });
    if (!parsed.ok) throw new Error(parsed.reason);
    const [result] = parsed.run.results;
    if (!result) throw new Error("no result");
    expect(headlineMetrics(result).find((metric) => metric.key === "costWeightedError")?.value).toBeNull();
  });
});

describe("comparing two runs", () => {
  const a = {
    results: [
      classification("department", { macroF1: 0.8, ece: 0.2, costWeightedError: 0.6 }),
      classification("category", { macroF1: 0.5 }),
      retrieval({ recallAt3: 0.9, noAnswerRate: 0.1 }),
      classification("urgent", {}),
    ],
  };
  const b = {
    results: [
      retrieval({ recallAt3: 0.85, noAnswerRate: 0.05 }),
      classification("department", { macroF1: 0.85, ece: 0.25, costWeightedError: 0.4 }),
      classification("category", { macroF1: 0.9 }, "category1"),
      classification("marketEntity", {}),
    ],
  };
  const comparison = compareRuns(a, b);
  const row = (task: string, metric: string) =>
    comparison.tasks.find((entry) => entry.key === task)?.metrics.find((entry) => entry.key === metric);

  it.each<[string, string, number, number, MetricChange]>([
    ["department", "macroF1", 0.8, 0.85, "better"],
    ["department", "ece", 0.2, 0.25, "worse"],
    ["department", "costWeightedError", 0.6, 0.4, "better"],
    ["department", "accuracy", 0.85, 0.85, "same"],
    ["retrieval", "recallAt3", 0.9, 0.85, "worse"],
    ["retrieval", "noAnswerRate", 0.1, 0.05, "better"],
  ])("%s %s: A %s, B %s → %s", (task, metric, valueA, valueB, change) => {
    const entry = row(task, metric);
    expect(entry).toMatchObject({ a: valueA, b: valueB, change });
    expect(entry?.delta).toBeCloseTo(valueB - valueA, 12);
  });

  it("matches tasks by task and head, in A's order, and lists the rest", () => {
    expect(comparison.tasks.map((task) => task.key)).toEqual(["department", "retrieval"]);
    // Full category paths and first-level categories are different questions: not compared.
    expect(comparison.onlyInA).toEqual(["category", "urgent"]);
    expect(comparison.onlyInB).toEqual(["category:category1", "marketEntity"]);
  });

  it("tells repeated tasks apart and compares a run with itself as unchanged", () => {
    const twice = {
      results: [classification("department", {}), classification("department", { macroF1: 0.6 })],
    };
    const self = compareRuns(twice, twice);
    expect(self.tasks.map((task) => task.key)).toEqual(["department", "department#2"]);
    expect(self.tasks.flatMap((task) => task.metrics).every((metric) => metric.change === "same")).toBe(true);
  });
});

describe("reading and listing runs", () => {
  it.each([
    ["not an object", "ci"],
    ["no results", { name: "ci", createdAt: "2026-01-01T00:00:00Z" }],
    ["bad date", { name: "ci", createdAt: "yesterday", results: [] }],
    [
      "classification without macro-F1",
      { name: "ci", createdAt: "2026-01-01T00:00:00Z", results: [{ task: "type", n: 3 }] },
    ],
    [
      "retrieval without recall@3",
      { name: "ci", createdAt: "2026-01-01T00:00:00Z", results: [{ task: "retrieval", n: 3 }] },
    ],
  ])("rejects a report with %s", (_, value) => {
    const parsed = parseEvalRunRecord(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason.length).toBeGreaterThan(0);
  });

  it("summarises a run, ignoring what the page does not show", () => {
    const parsed = parseEvalRunRecord({
      name: "ci",
      createdAt: "2026-11-27T14:04:51.243Z",
      modelVersion: "v1",
      embeddingModel: "bge-small-zh-v1.5",
      inputs: { suite: "eval/suites/ci.json" },
      results: [
        { ...classification("category", {}, "category1"), folds: 5, confusion: { a: { a: 1 } } },
        retrieval({}),
      ],
    });
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.run.results[0]).not.toHaveProperty("confusion");
    const summary = summariseRun({ ...parsed.run, id: "20261127T140451Z-ci" });
    expect(summary).toMatchObject({ id: "20261127T140451Z-ci", name: "ci", modelVersion: "v1" });
    expect(summary.tasks.map((task) => [task.key, task.head, task.folds, task.primary.key])).toEqual([
      ["category:category1", "category1", 5, "macroF1"],
      ["retrieval", null, null, "recallAt3"],
    ]);
  });

  it("orders runs newest first, then by id", () => {
    const runs = [
      { id: "b", createdAt: "2026-01-01T00:00:00Z" },
      { id: "c", createdAt: "2026-02-01T00:00:00Z" },
      { id: "a", createdAt: "2026-01-01T00:00:00Z" },
    ];
    expect(newestFirst(runs).map((run) => run.id)).toEqual(["c", "b", "a"]);
    expect(runs[0]?.id).toBe("b");
  });
});
