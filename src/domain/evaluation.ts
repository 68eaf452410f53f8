import { z } from "zod";

/**
 * Evaluation runs as the service sees them: the headline metrics of each task in a run written by
 * `npm run eval` (eval/reports/<run-id>/report.json), and the comparison of two runs. Pure: the
 * files are read by an `EvalRunStore` adapter; `eval/compare.ts` uses the same functions.
 */

/**
 * A run id is one folder name (e.g. `20261127T140451Z-ci`): letters, digits, `.`, `_`, `-`, not
 * starting with a dot and without `..`, so it can never name a path outside the reports folder.
 */
export const EVAL_RUN_ID_PATTERN = /^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Whether `value` is a well-formed run id (says nothing about whether the run exists).
 *
 * @example
 * isEvalRunId("20261127T140451Z-ci"); // true
 * isEvalRunId("../secrets"); // false
 */
export function isEvalRunId(value: string): boolean {
  return EVAL_RUN_ID_PATTERN.test(value);
}

/** Differences smaller than this count as "no change" (float noise between identical runs). */
export const COMPARISON_TOLERANCE = 1e-9;

// ---------------------------------------------------------------------------------------------
// What a report.json must contain (a subset of eval/lib/harness.ts's results; the rest is ignored)

const metric = z.number();

const ClassificationResultRecordSchema = z.object({
  task: z.string().refine((task) => task !== "retrieval", "a classification task"),
  head: z.string().optional(),
  /** The run's name in its suite, when one task runs on more than one gold set. */
  name: z.string().optional(),
  n: z.number().int().min(0),
  accuracy: metric.optional(),
  macroF1: metric,
  top3: metric.optional(),
  ece: metric.optional(),
  coverageAt95: metric.optional(),
  costWeightedError: metric.optional(),
  folds: z.number().int().nullable().optional(),
});

const RetrievalResultRecordSchema = z.object({
  task: z.literal("retrieval"),
  /** The run's name in its suite, when retrieval runs on more than one set. */
  name: z.string().optional(),
  n: z.number().int().min(0),
  recallAt1: metric.optional(),
  recallAt3: metric,
  recallAt5: metric.optional(),
  mrr: metric.optional(),
  noAnswerRate: metric.optional(),
  confidentRefusal: metric.optional(),
  offTopicRejected: metric.nullable().optional(),
});

export type ClassificationResultRecord = z.infer<typeof ClassificationResultRecordSchema>;
export type RetrievalResultRecord = z.infer<typeof RetrievalResultRecordSchema>;
export type EvalResultRecord = ClassificationResultRecord | RetrievalResultRecord;

export const EvalRunRecordSchema = z.object({
  name: z.string().min(1),
  createdAt: z.string().refine((value) => !Number.isNaN(Date.parse(value)), "an ISO date-time"),
  modelVersion: z.string().nullable().optional(),
  embeddingModel: z.string().nullable().optional(),
  inputs: z.record(z.string(), z.unknown()).optional(),
  results: z.array(z.union([RetrievalResultRecordSchema, ClassificationResultRecordSchema])),
});

/** One run's report.json, reduced to what the service shows. */
export type EvalRunRecord = z.infer<typeof EvalRunRecordSchema>;

/** A run found in the store: its id (folder name) and its report. */
export interface StoredEvalRun extends EvalRunRecord {
  id: string;
  /** Absent (a report folder): a finished run. */
  status?: EvalRunStatus;
  finishedAt?: string | null;
  /** Who ran it (`cli:<user>`), when known. */
  createdBy?: string | null;
}

export const EVAL_RUN_STATUSES = ["running", "completed", "failed"] as const;
export type EvalRunStatus = (typeof EVAL_RUN_STATUSES)[number];

/**
 * Checks parsed report.json content; returns the run or every problem found.
 *
 * @example
 * const parsed = parseEvalRunRecord(JSON.parse(text));
 * if (!parsed.ok) skip(parsed.reason);
 */
export function parseEvalRunRecord(
  value: unknown,
): { ok: true; run: EvalRunRecord } | { ok: false; reason: string } {
  const parsed = EvalRunRecordSchema.safeParse(value);
  if (parsed.success) return { ok: true, run: parsed.data };
  const reason = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join(".") || "report"}: ${issue.message}`)
    .join("; ");
  return { ok: false, reason };
}

export function isRetrievalResult(result: EvalResultRecord): result is RetrievalResultRecord {
  return result.task === "retrieval";
}

// ---------------------------------------------------------------------------------------------
// Headline metrics

export type MetricDirection = "higher" | "lower";
/** How people read the number: a share (shown as %) or a plain score. */
export type MetricFormat = "percent" | "score";

interface MetricDefinition<K extends string> {
  key: K;
  label: string;
  better: MetricDirection;
  format: MetricFormat;
}

/** Classification headline metrics; the first is the one the CI gate watches. */
export const CLASSIFICATION_METRICS = [
  { key: "macroF1", label: "macro-F1", better: "higher", format: "score" },
  { key: "accuracy", label: "准确率", better: "higher", format: "percent" },
  { key: "top3", label: "top-3 命中率", better: "higher", format: "percent" },
  { key: "ece", label: "ECE（校准误差）", better: "lower", format: "score" },
  { key: "coverageAt95", label: "95% 精确率下覆盖率", better: "higher", format: "percent" },
  { key: "costWeightedError", label: "代价加权错误", better: "lower", format: "score" },
] as const satisfies readonly MetricDefinition<keyof ClassificationResultRecord>[];

/** Retrieval headline metrics; the first is the one the CI gate watches. */
export const RETRIEVAL_METRICS = [
  { key: "recallAt3", label: "recall@3", better: "higher", format: "percent" },
  { key: "recallAt1", label: "recall@1", better: "higher", format: "percent" },
  { key: "recallAt5", label: "recall@5", better: "higher", format: "percent" },
  { key: "mrr", label: "MRR", better: "higher", format: "score" },
  { key: "noAnswerRate", label: "无答案率", better: "lower", format: "percent" },
  { key: "confidentRefusal", label: "可答误拒率", better: "lower", format: "percent" },
  { key: "offTopicRejected", label: "无关问题拒答率", better: "higher", format: "percent" },
] as const satisfies readonly MetricDefinition<keyof RetrievalResultRecord>[];

export interface HeadlineMetric {
  key: string;
  label: string;
  /** null when the report does not have this metric (older harness). */
  value: number | null;
  better: MetricDirection;
  format: MetricFormat;
}

/**
 * The headline metrics of one task's result, the gate's metric first.
 *
 * @example
 * headlineMetrics(departmentResult)[0]; // { key: "macroF1", value: 0.868, better: "higher", … }
 */
export function headlineMetrics(result: EvalResultRecord): HeadlineMetric[] {
  if (isRetrievalResult(result)) {
    return RETRIEVAL_METRICS.map((definition) => ({ ...definition, value: result[definition.key] ?? null }));
  }
  return CLASSIFICATION_METRICS.map((definition) => ({
    ...definition,
    value: result[definition.key] ?? null,
  }));
}

/**
 * The one number per task that the CI gate compares with eval/baseline.json: macro-F1 for
 * classification, recall@3 for retrieval.
 *
 * @example
 * primaryMetric(retrievalResult); // { metric: "recallAt3", value: 0.9595 }
 */
export function primaryMetric(result: EvalResultRecord): { metric: string; value: number } {
  if (isRetrievalResult(result)) return { metric: "recallAt3", value: result.recallAt3 };
  return { metric: "macroF1", value: result.macroF1 };
}

// ---------------------------------------------------------------------------------------------
// Run summaries

export interface EvalTaskSummary {
  /** Identifies the task within its run and across runs: task, then the head when it differs. */
  key: string;
  task: string;
  /** What the classifier predicted (e.g. "category1" = first level only); null for retrieval. */
  head: string | null;
  n: number;
  folds: number | null;
  /** The gate's metric (also the first of `metrics`). */
  primary: HeadlineMetric;
  metrics: HeadlineMetric[];
}

export interface EvalRunSummary {
  id: string;
  name: string;
  createdAt: string;
  modelVersion: string | null;
  embeddingModel: string | null;
  status: EvalRunStatus;
  finishedAt: string | null;
  createdBy: string | null;
  tasks: EvalTaskSummary[];
}

/** Task keys of a run's results, in order; a repeated task/head gets "#2", "#3"… */
function taskKeys(results: readonly EvalResultRecord[]): string[] {
  const seen = new Map<string, number>();
  return results.map((result) => {
    // A run named in its suite (e.g. type-dev: the type head on a second gold set) keeps its name.
    if ("name" in result && typeof result.name === "string" && result.name) return result.name;
    const head = isRetrievalResult(result) ? undefined : result.head;
    const base = head && head !== result.task ? `${result.task}:${head}` : result.task;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}#${count}`;
  });
}

/**
 * Each task's headline metrics, keyed so the same task can be found in another run.
 *
 * @example
 * summariseResults(run.results).map((task) => task.key); // ["department", "category:category1", "retrieval"]
 */
export function summariseResults(results: readonly EvalResultRecord[]): EvalTaskSummary[] {
  const keys = taskKeys(results);
  return results.map((result, index) => {
    const metrics = headlineMetrics(result);
    const [primary] = metrics;
    if (!primary) throw new Error("every task has a headline metric");
    return {
      key: keys[index] ?? result.task,
      task: result.task,
      head: isRetrievalResult(result) ? null : (result.head ?? result.task),
      n: result.n,
      folds: isRetrievalResult(result) ? null : (result.folds ?? null),
      primary,
      metrics,
    };
  });
}

/**
 * A stored run as the list shows it.
 *
 * @example
 * summariseRun(stored).tasks[0]?.primary.value; // 0.868
 */
export function summariseRun(run: StoredEvalRun): EvalRunSummary {
  return {
    id: run.id,
    name: run.name,
    createdAt: run.createdAt,
    modelVersion: run.modelVersion ?? null,
    embeddingModel: run.embeddingModel ?? null,
    status: run.status ?? "completed",
    finishedAt: run.finishedAt ?? null,
    createdBy: run.createdBy ?? null,
    tasks: summariseResults(run.results),
  };
}

/**
 * Newest first (by creation time, then id), without changing the input.
 *
 * @example
 * newestFirst(runs)[0]?.id; // the latest run
 */
export function newestFirst<T extends { id: string; createdAt: string }>(runs: readonly T[]): T[] {
  return [...runs].sort(
    (x, y) => Date.parse(y.createdAt) - Date.parse(x.createdAt) || (y.id < x.id ? -1 : y.id > x.id ? 1 : 0),
  );
}

// ---------------------------------------------------------------------------------------------
// Comparison of two runs

/** How B's value moved relative to A's, read in the metric's own direction. */
export type MetricChange = "better" | "worse" | "same" | "unknown";

export interface MetricComparison {
  key: string;
  label: string;
  better: MetricDirection;
  format: MetricFormat;
  a: number | null;
  b: number | null;
  /** b − a; null when either run lacks the metric. */
  delta: number | null;
  change: MetricChange;
}

export interface TaskComparison {
  key: string;
  task: string;
  head: string | null;
  nA: number;
  nB: number;
  metrics: MetricComparison[];
}

export interface RunComparison {
  /** Tasks present in both runs, in A's order. */
  tasks: TaskComparison[];
  /** Task keys only one run has (nothing to compare them with). */
  onlyInA: string[];
  onlyInB: string[];
}

/**
 * Whether moving from `a` to `b` is an improvement, for a metric where `better` is the good direction.
 *
 * @example
 * changeOf(0.2, 0.1, "lower"); // "better" (e.g. ECE went down)
 */
export function changeOf(a: number | null, b: number | null, better: MetricDirection): MetricChange {
  if (a === null || b === null) return "unknown";
  const delta = b - a;
  if (Math.abs(delta) <= COMPARISON_TOLERANCE) return "same";
  return delta > 0 === (better === "higher") ? "better" : "worse";
}

/**
 * Headline metrics of run B against run A, per task both have (matched by task and head): A, B,
 * Δ = B − A and whether that is better or worse (ECE, cost-weighted error and the no-answer rate
 * are better when lower).
 *
 * @example
 * const { tasks } = compareRuns(before, after);
 * tasks[0]?.metrics[0]; // { key: "macroF1", a: 0.84, b: 0.87, delta: 0.03, change: "better", … }
 */
export function compareRuns(
  a: Pick<EvalRunRecord, "results">,
  b: Pick<EvalRunRecord, "results">,
): RunComparison {
  const tasksA = summariseResults(a.results);
  const tasksB = new Map(summariseResults(b.results).map((task) => [task.key, task]));
  const tasks: TaskComparison[] = [];
  for (const taskA of tasksA) {
    const taskB = tasksB.get(taskA.key);
    if (!taskB) continue;
    const valuesB = new Map(taskB.metrics.map((entry) => [entry.key, entry.value]));
    tasks.push({
      key: taskA.key,
      task: taskA.task,
      head: taskA.head,
      nA: taskA.n,
      nB: taskB.n,
      metrics: taskA.metrics.map((entry) => {
        const valueB = valuesB.get(entry.key) ?? null;
        return {
          key: entry.key,
          label: entry.label,
          better: entry.better,
          format: entry.format,
          a: entry.value,
          b: valueB,
          delta: entry.value === null || valueB === null ? null : valueB - entry.value,
          change: changeOf(entry.value, valueB, entry.better),
        };
      }),
    });
  }
  const keysA = new Set(tasksA.map((task) => task.key));
  return {
    tasks,
    onlyInA: tasksA.filter((task) => !tasksB.has(task.key)).map((task) => task.key),
    onlyInB: [...tasksB.keys()].filter((key) => !keysA.has(key)),
  };
}

// ---------------------------------------------------------------------------------------------
// Where runs come from

/** The evaluation reports written by `npm run eval`; implemented over a folder in src/infra. */
export interface EvalRunStore {
  /** Every readable run, in any order; folders without a valid report.json are left out. */
  list(): Promise<StoredEvalRun[]>;
  /** One run, or null when the id is malformed, unknown or its report.json is unreadable. */
  get(id: string): Promise<StoredEvalRun | null>;
  /** The run's self-contained report.html, or null when there is none. */
  reportHtml(id: string): Promise<string | null>;
}

/** A run as the harness records it in the shared database (started, then finished or failed). */
export interface EvalRunEntry extends StoredEvalRun {
  status: EvalRunStatus;
  finishedAt: string | null;
  createdBy: string | null;
  reportHtml: string | null;
  error?: string | null;
}
