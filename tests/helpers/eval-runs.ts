import { join } from "node:path";
import { classificationReport } from "#domain/classifier/metrics";
import { type EvalRunStore, isEvalRunId, type StoredEvalRun } from "#domain/evaluation";
import type { ClassificationResult, ClassificationTask, RetrievalResult } from "../../eval/lib/harness";
import { type EvalRun, writeReport } from "../../eval/lib/report";

/** Runs kept in memory (the default store of `buildTestDeps`: no runs unless a test adds some). */
export class MemoryEvalRunStore implements EvalRunStore {
  constructor(
    readonly runs: StoredEvalRun[] = [],
    readonly reports: Map<string, string> = new Map(),
  ) {}
  async list(): Promise<StoredEvalRun[]> {
    return [...this.runs];
  }
  async get(id: string): Promise<StoredEvalRun | null> {
    return isEvalRunId(id) ? (this.runs.find((run) => run.id === id) ?? null) : null;
  }
  async reportHtml(id: string): Promise<string | null> {
    return this.reports.get(id) ?? null;
  }
}

/**
 * A small but complete classification result (real confusion, reliability and curves from three
 * predictions, so the HTML report draws its charts), with the headline numbers overridden.
 */
export function classificationResultFixture(
  task: ClassificationTask,
  overrides: Partial<
    Pick<
      ClassificationResult,
      "macroF1" | "accuracy" | "top3" | "ece" | "coverageAt95" | "costWeightedError" | "n"
    >
  > = {},
): ClassificationResult {
  const report = classificationReport([
    {
      ranked: [
        { label: "rsj", probability: 0.9 },
        { label: "zjj", probability: 0.1 },
      ],
      gold: ["rsj"],
    },
    { ranked: [{ label: "zjj", probability: 0.7 }], gold: ["rsj"] },
    { ranked: [{ label: "cgj", probability: 0.55 }], gold: ["cgj"] },
  ]);
  return {
    task,
    head: task,
    n: report.n,
    accuracy: report.accuracy,
    macroF1: report.macroF1,
    top3: report.top3,
    ece: report.ece,
    coverageAt95: report.coverageAt95,
    costWeightedError: 1 - report.accuracy,
    perClass: report.perClass,
    confusion: report.confusion,
    reliability: report.reliability,
    precisionCoverage: report.precisionCoverage,
    ablation: { fused: { accuracy: report.accuracy, macroF1: report.macroF1, top3: report.top3 } },
    latency: { p50Ms: 12, p95Ms: 30 },
    folds: null,
    trainedOn: 3,
    ...overrides,
  };
}

export function retrievalResultFixture(overrides: Partial<RetrievalResult> = {}): RetrievalResult {
  return {
    task: "retrieval",
    n: 40,
    recallAt1: 0.8,
    recallAt3: 0.9,
    recallAt5: 0.95,
    mrr: 0.86,
    noAnswerRate: 0.05,
    falseAnswerRate: null,
    confidentRefusal: 0.02,
    offTopicRejected: null,
    perDepartment: { rsj: { n: 40, recallAt3: 0.9 } },
    latency: { meanMs: 20 },
    ...overrides,
  };
}

/** A whole run as `npm run eval` writes it (feed it to eval/lib/report.ts `writeReport`). */
export function evalRunFixture(name: string, createdAt: string, results: EvalRun["results"]): EvalRun {
  return {
    name,
    createdAt,
    modelVersion: `${createdAt.slice(0, 10)}-test`,
    embeddingModel: "fake-embedder",
    inputs: { suite: `eval/suites/${name}.json` },
    results,
  };
}

/** Ids of the two fixture runs, oldest first. */
export const FIXTURE_RUN_IDS = { older: "20260301T080000Z-ci", newer: "20260302T080000Z-ci" } as const;

/**
 * Two runs as `npm run eval` writes them (report.json + report.html with its SVG charts): the newer
 * is better on department macro-F1 and cost, worse on ECE and retrieval recall@3, and adds a task.
 */
export function writeFixtureRuns(dir: string): void {
  writeReport(
    join(dir, FIXTURE_RUN_IDS.older),
    evalRunFixture("ci", "2026-03-01T08:00:00Z", [
      classificationResultFixture("department", { macroF1: 0.8, ece: 0.2, costWeightedError: 0.6 }),
      classificationResultFixture("category", { macroF1: 0.55 }),
      retrievalResultFixture({ recallAt3: 0.9, noAnswerRate: 0.1 }),
    ]),
  );
  writeReport(
    join(dir, FIXTURE_RUN_IDS.newer),
    evalRunFixture("ci", "2026-03-02T08:00:00Z", [
      classificationResultFixture("department", { macroF1: 0.85, ece: 0.25, costWeightedError: 0.4 }),
      classificationResultFixture("category", { macroF1: 0.55 }),
      retrievalResultFixture({ recallAt3: 0.8, noAnswerRate: 0.05 }),
      classificationResultFixture("urgent"),
    ]),
  );
}
