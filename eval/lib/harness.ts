import {
  AUTOMATION_LEVELS,
  type AutomationLevel,
  type AutomationThresholds,
  automationThresholds,
  type CurvePoint,
  DEFAULT_AUTOMATION_TARGETS,
} from "#domain/classifier/automation";
import { type Distribution, ranked } from "#domain/classifier/distribution";
import {
  COMPONENTS,
  type Component,
  type EngineModel,
  fuseWithout,
  type Head,
} from "#domain/classifier/engine";
import {
  type ClassificationReport,
  classificationReport,
  type ScoredPrediction,
} from "#domain/classifier/metrics";
import { seededRandom } from "#domain/classifier/softmax";
import type { RetrievalMetrics } from "#domain/retrieval/metrics";
import { runHitTest } from "#services/hit-test";
import { importCases } from "#services/import-cases";
import { suggest } from "#services/suggest";
import { trainClassifier } from "#services/train-classifier";
import type { Runtime } from "../../src/bootstrap";
import type { LabelledRow } from "./datasets";
import { percentile } from "./stats";

export const CLASSIFICATION_TASKS = ["category", "department", "type", "urgent", "marketEntity"] as const;
export const TASKS = [...CLASSIFICATION_TASKS, "retrieval"] as const;
export type ClassificationTask = (typeof CLASSIFICATION_TASKS)[number];
export type Task = (typeof TASKS)[number];

/** What a wrong answer costs, relative to a wrong category (sending to the wrong department is worst). */
export const ERROR_COST: Record<ClassificationTask, number> = {
  department: 5,
  urgent: 3,
  marketEntity: 2,
  category: 1,
  type: 1,
};
/** Longest text the engine takes; longer dataset texts are cut (a handful in the TipDM set). */
const MAX_TEXT = 5000;

export interface ClassificationResult {
  task: ClassificationTask;
  /** The suite run's name, when one task runs on several test sets (it keys the baseline). */
  name?: string;
  head: Head;
  n: number;
  accuracy: number;
  macroF1: number;
  top3: number;
  ece: number;
  coverageAt95: number;
  costWeightedError: number;
  perClass: ClassificationReport["perClass"];
  confusion: ClassificationReport["confusion"];
  reliability: ClassificationReport["reliability"];
  precisionCoverage: ClassificationReport["precisionCoverage"];
  ablation: Record<string, { accuracy: number; macroF1: number; top3: number }>;
  /**
   * The head with one kind of evidence switched off (its fusion weight set to 0), against all of
   * it on ("none"); without the served post-processing (category level-1 tempering, 区政府兜底).
   */
  ablationOff?: Record<string, { accuracy: number; macroF1: number; top3: number }>;
  /** The served automation level of the task's field: how many answers at each level, how many right. */
  automation?: AutomationFigures;
  /** Department task: the lead alone (gold's first code) and the assisting departments proposed. */
  departments?: DepartmentFigures;
  latency: { p50Ms: number; p95Ms: number };
  /** For full category paths: how often the first level alone is right. */
  level1Accuracy?: number;
  /** For the urgent task: the served flag's recall and precision, and recall per emergency item. */
  urgency?: UrgencyFigures;
  folds: number | null;
  trainedOn: number | null;
}

/** The label(s) a row has for a task; category paths (lists) become one "l1/l2/l3" label. */
export function goldFor(task: ClassificationTask, row: LabelledRow, labelField: string): string[] {
  const value = row.raw[labelField];
  if (task === "category" && Array.isArray(value)) return [value.join("/")];
  return row.gold;
}

/** Which engine head answers a task, given what the gold labels look like. */
export function headFor(task: ClassificationTask, golds: readonly string[][]): Head {
  if (task === "category")
    return golds.some((gold) => gold.some((label) => label.split("/").length === 3))
      ? "category"
      : "category1";
  return task;
}

/** A dataset row as a labelled case for import (every label the row has, not only the task's). */
function caseRow(task: ClassificationTask, row: LabelledRow, labelField: string) {
  const raw = row.raw;
  const gold = goldFor(task, row, labelField);
  const category =
    task === "category" ? gold[0]?.split("/") : Array.isArray(raw.category) ? raw.category : undefined;
  const departments = task === "department" ? gold : (raw.departments ?? raw.department);
  const bool = (value: unknown) =>
    typeof value === "boolean" ? value : value === "true" ? true : value === "false" ? false : undefined;
  const type = task === "type" ? gold[0] : raw.type;
  return {
    id: `eval-${row.id}`,
    text: row.text.slice(0, MAX_TEXT),
    ...(category ? { category } : {}),
    ...(departments !== undefined ? { department: departments } : {}),
    ...(Array.isArray(raw.assistingDepartments) ? { assistingDepartments: raw.assistingDepartments } : {}),
    ...(typeof type === "string" ? { type } : {}),
    ...(bool(task === "urgent" ? gold[0] : raw.urgent) !== undefined
      ? { urgent: bool(task === "urgent" ? gold[0] : raw.urgent) }
      : {}),
    ...(bool(task === "marketEntity" ? gold[0] : raw.marketEntity) !== undefined
      ? { marketEntity: bool(task === "marketEntity" ? gold[0] : raw.marketEntity) }
      : {}),
  };
}

async function trainOn(
  runtime: Runtime,
  task: ClassificationTask,
  rows: readonly LabelledRow[],
  labelField: string,
  progress: Progress,
) {
  await runtime.deps.cases.clear();
  await importCases({
    deps: runtime.deps,
    input: { rows: rows.map((row) => caseRow(task, row, labelField)), source: "import" },
    actor: { name: "eval" },
    onProgress: (done, total) => progress("embedding training texts", done, total),
  });
  await trainClassifier({
    deps: runtime.deps,
    actor: { name: "eval" },
    onProgress: (stage, done, total) => progress(`training: ${stage}`, done, total),
  });
}

export type Progress = (stage: string, done: number, total: number) => void;

/** Where each automation level starts (from the model's held-out curve and the live targets), and what it did here. */
export interface AutomationFigures {
  targets: { autoFill: number; preselect: number };
  thresholds: AutomationThresholds;
  /** Per level: answers served at that level (share of all) and their precision on this test set. */
  levels: Record<AutomationLevel, { n: number; share: number; precision: number | null }>;
  /** The model's held-out precision–coverage curve (thinned), each point with the level it falls in. */
  curve: (CurvePoint & { level: AutomationLevel })[];
  heldOut: number;
}

export interface DepartmentFigures {
  /** Top-1 equals the gold lead (the first gold code), not just any acceptable code. */
  leadAccuracy: number;
  /** Rows whose gold lead is a district government, and how often the served lead is one. */
  districtLeadGold: number;
  districtLeadServed: number;
  /** Assisting departments against the gold's `assistingDepartments` (else its codes after the first). */
  assist: { goldField: string; proposed: number; precision: number | null; recall: number | null };
}

const ABLATIONS: Record<string, Component[]> = {
  none: [],
  "cues off": ["cues"],
  "learned head off": ["text", "embedding", "knn"],
  "rules off": ["rules"],
  "duties off": ["duties"],
};

const DISTRICTS = new Set(["jcq", "ydq", "ycs", "yxx", "hld", "gxq"]);

/** Precision of the served answers at each automation level. */
export function automationFigures(
  rows: readonly { level: AutomationLevel; correct: boolean }[],
  thresholds: AutomationThresholds,
  targets: { autoFill: number; preselect: number },
  calibration: { curve: readonly CurvePoint[]; heldOut: number } | null,
): AutomationFigures {
  const levels = Object.fromEntries(
    AUTOMATION_LEVELS.map((level) => {
      const at = rows.filter((row) => row.level === level);
      return [
        level,
        {
          n: at.length,
          share: at.length / Math.max(1, rows.length),
          precision: at.length > 0 ? at.filter((row) => row.correct).length / at.length : null,
        },
      ];
    }),
  ) as AutomationFigures["levels"];
  const curve = calibration?.curve ?? [];
  const step = Math.max(1, Math.ceil(curve.length / 15));
  const levelAt = (confidence: number): AutomationLevel =>
    thresholds.autoFill !== null && confidence >= thresholds.autoFill
      ? "auto-fill"
      : thresholds.preselect !== null && confidence >= thresholds.preselect
        ? "preselect"
        : "suggest";
  return {
    targets,
    thresholds,
    levels,
    curve: curve
      .filter(
        (point, index) =>
          index % step === 0 ||
          index === curve.length - 1 ||
          point.confidence === thresholds.autoFill ||
          point.confidence === thresholds.preselect,
      )
      .map((point) => ({ ...point, level: levelAt(point.confidence) })),
    heldOut: calibration?.heldOut ?? 0,
  };
}

/** Urgent calls found and flags raised, overall and per gold emergency item (rows with `item`). */
export interface UrgencyFigures {
  recall: number;
  precision: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Per gold item: urgent calls, how many were flagged, and how many were matched to that item. */
  perItem: Record<string, { n: number; recall: number; itemRecall: number }>;
  /** Ids of the urgent rows that were not flagged (to read, not to tune on). */
  missed: string[];
}

/**
 * Recall-first figures of the urgency flag: recall and precision of `true`, and per gold item
 * (a row's `item` field) the share flagged and the share matched to that very item.
 *
 * @example
 * urgencyFigures([{ id: "u-1", gold: true, flagged: true, matched: ["gas-leak"], item: "gas-leak" }]).recall; // 1
 */
export function urgencyFigures(
  rows: readonly { id: string; gold: boolean; flagged: boolean; matched: readonly string[]; item?: string }[],
): UrgencyFigures {
  const truePositives = rows.filter((row) => row.gold && row.flagged).length;
  const falsePositives = rows.filter((row) => !row.gold && row.flagged).length;
  const falseNegatives = rows.filter((row) => row.gold && !row.flagged).length;
  const perItem: UrgencyFigures["perItem"] = {};
  for (const row of rows) {
    if (!row.gold || !row.item) continue;
    const entry = perItem[row.item] ?? { n: 0, recall: 0, itemRecall: 0 };
    entry.n += 1;
    if (row.flagged) entry.recall += 1;
    if (row.matched.includes(row.item)) entry.itemRecall += 1;
    perItem[row.item] = entry;
  }
  for (const entry of Object.values(perItem)) {
    entry.recall /= entry.n;
    entry.itemRecall /= entry.n;
  }
  return {
    recall: truePositives / Math.max(1, truePositives + falseNegatives),
    precision: truePositives / Math.max(1, truePositives + falsePositives),
    truePositives,
    falsePositives,
    falseNegatives,
    perItem: Object.fromEntries(Object.entries(perItem).sort(([a], [b]) => a.localeCompare(b))),
    missed: rows.filter((row) => row.gold && !row.flagged).map((row) => row.id),
  };
}

interface Scored {
  id: string;
  /** The served automation level of the task's field and whether its answer was right. */
  served: { level: AutomationLevel; correct: boolean };
  /** Department task: the served lead and assisting departments, and the gold assisting ones. */
  departments?: { lead: string | null; assists: string[]; goldAssists: string[] | null };
  /** The served urgency decision (urgent task only). */
  urgent?: { flagged: boolean; matched: string[]; item?: string };
  prediction: ScoredPrediction;
  components: Partial<Record<string, Distribution>>;
  level1Correct: boolean | null;
  latencyMs: number;
}

async function scoreRows(
  runtime: Runtime,
  head: Head,
  task: ClassificationTask,
  rows: readonly LabelledRow[],
  labelField: string,
  progress: Progress,
) {
  const scored: Scored[] = [];
  for (const [index, row] of rows.entries()) {
    const started = performance.now();
    const { analysis, suggestion } = await suggest({
      deps: runtime.deps,
      input: { text: row.text.slice(0, MAX_TEXT) },
      actor: { name: "eval" },
      record: false,
    });
    const latencyMs = performance.now() - started;
    const gold = goldFor(task, row, labelField);
    // The urgent task scores the decision the agent sees (emergency detector and urgent head).
    const distribution =
      head === "category"
        ? analysis.category
        : head === "urgent"
          ? analysis.urgent
          : analysis.heads[head].distribution;
    const top = ranked(distribution)[0]?.label;
    const item = typeof row.raw.item === "string" ? row.raw.item : undefined;
    const lead = suggestion.departments.find((entry) => entry.role === "lead");
    const field =
      task === "category"
        ? suggestion.category[0]?.automation
        : task === "type"
          ? suggestion.type[0]?.automation
          : task === "department"
            ? lead?.automation
            : task === "urgent"
              ? suggestion.urgent.automation
              : suggestion.marketEntity.automation;
    const servedCorrect =
      task === "urgent"
        ? gold.includes(String(suggestion.urgent.flag))
        : task === "marketEntity"
          ? gold.includes(String(suggestion.marketEntity.flag))
          : top !== undefined && gold.includes(top);
    const goldAssists = Array.isArray(row.raw.assistingDepartments)
      ? row.raw.assistingDepartments.map(String)
      : null;
    scored.push({
      id: row.id,
      served: { level: field ?? "suggest", correct: servedCorrect },
      ...(task === "department"
        ? {
            departments: {
              lead: lead?.code ?? null,
              assists: suggestion.departments
                .filter((entry) => entry.role === "assist")
                .map((entry) => entry.code),
              goldAssists,
            },
          }
        : {}),
      ...(task === "urgent"
        ? {
            urgent: {
              flagged: suggestion.urgent.flag,
              matched: suggestion.urgent.matched,
              ...(item ? { item } : {}),
            },
          }
        : {}),
      prediction: { ranked: ranked(distribution), gold },
      components: analysis.heads[head].components,
      level1Correct:
        head === "category" && top ? gold.some((label) => label.split("/")[0] === top.split("/")[0]) : null,
      latencyMs,
    });
    progress("scoring", index + 1, rows.length);
  }
  return scored;
}

/** Lead accuracy, district leads and assisting departments of the department task. */
function departmentFigures(scored: readonly Scored[]): DepartmentFigures {
  const rows = scored.filter((entry) => entry.departments);
  const leadRight = rows.filter((entry) => entry.departments?.lead === entry.prediction.gold[0]).length;
  const useField = rows.some((entry) => entry.departments?.goldAssists);
  let proposed = 0;
  let right = 0;
  let goldTotal = 0;
  for (const entry of rows) {
    const figures = entry.departments;
    if (!figures) continue;
    const gold = useField ? (figures.goldAssists ?? []) : entry.prediction.gold.slice(1);
    proposed += figures.assists.length;
    right += figures.assists.filter((code) => gold.includes(code)).length;
    goldTotal += gold.length;
  }
  return {
    leadAccuracy: leadRight / Math.max(1, rows.length),
    districtLeadGold: rows.filter((entry) => DISTRICTS.has(entry.prediction.gold[0] ?? "")).length,
    districtLeadServed: rows.filter((entry) => DISTRICTS.has(entry.departments?.lead ?? "")).length,
    assist: {
      goldField: useField ? "assistingDepartments" : "departments[1:]",
      proposed,
      precision: proposed > 0 ? right / proposed : null,
      recall: goldTotal > 0 ? right / goldTotal : null,
    },
  };
}

/** The head with each kind of evidence switched off in turn (see ABLATIONS). */
function ablationOff(
  model: EngineModel | null,
  head: Head,
  scored: readonly Scored[],
): ClassificationResult["ablationOff"] {
  const result: NonNullable<ClassificationResult["ablationOff"]> = {};
  for (const [name, off] of Object.entries(ABLATIONS)) {
    const report = classificationReport(
      scored.map((entry) => ({
        ranked: ranked(fuseWithout(model, head, entry.components, off)),
        gold: entry.prediction.gold,
      })),
    );
    result[name] = { accuracy: report.accuracy, macroF1: report.macroF1, top3: report.top3 };
  }
  return result;
}

function summarise(
  task: ClassificationTask,
  head: Head,
  scored: readonly Scored[],
  folds: number | null,
  trainedOn: number | null,
  context: {
    model: EngineModel | null;
    targets: { autoFill: number; preselect: number };
  } = { model: null, targets: DEFAULT_AUTOMATION_TARGETS },
): ClassificationResult {
  const report = classificationReport(scored.map((entry) => entry.prediction));
  const ablation: ClassificationResult["ablation"] = {};
  for (const component of COMPONENTS) {
    const predictions = scored.map((entry) => ({
      ranked: ranked(entry.components[component] ?? {}),
      gold: entry.prediction.gold,
    }));
    if (predictions.every((prediction) => prediction.ranked.length === 0)) continue;
    const componentReport = classificationReport(predictions);
    ablation[component] = {
      accuracy: componentReport.accuracy,
      macroF1: componentReport.macroF1,
      top3: componentReport.top3,
    };
  }
  ablation.fused = { accuracy: report.accuracy, macroF1: report.macroF1, top3: report.top3 };
  const latencies = scored.map((entry) => entry.latencyMs);
  const urgentRows = scored.flatMap((entry) =>
    entry.urgent ? [{ id: entry.id, gold: entry.prediction.gold.includes("true"), ...entry.urgent }] : [],
  );
  const level1 = scored.filter((entry) => entry.level1Correct !== null);
  return {
    task,
    head,
    n: report.n,
    accuracy: report.accuracy,
    macroF1: report.macroF1,
    top3: report.top3,
    ece: report.ece,
    coverageAt95: report.coverageAt95,
    costWeightedError: ERROR_COST[task] * (1 - report.accuracy),
    perClass: report.perClass,
    confusion: report.confusion,
    reliability: report.reliability,
    precisionCoverage: report.precisionCoverage,
    ablation,
    ablationOff: ablationOff(context.model, head, scored),
    automation: automationFigures(
      scored.map((entry) => entry.served),
      automationThresholds(context.model?.heads[head]?.calibration, context.targets),
      context.targets,
      context.model?.heads[head]?.calibration ?? null,
    ),
    ...(task === "department" ? { departments: departmentFigures(scored) } : {}),
    latency: { p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95) },
    ...(level1.length > 0
      ? { level1Accuracy: level1.filter((entry) => entry.level1Correct).length / level1.length }
      : {}),
    ...(urgentRows.length > 0 ? { urgency: urgencyFigures(urgentRows) } : {}),
    folds,
    trainedOn,
  };
}

/** The served model and the live automation targets (for ablation and the automation figures). */
async function servedContext(runtime: Runtime) {
  const artifact = await runtime.deps.classifiers.current();
  return {
    model: artifact?.embeddingModel === runtime.deps.embedder.modelId ? artifact.model : null,
    targets: runtime.deps.suggest.rules.automation ?? DEFAULT_AUTOMATION_TARGETS,
  };
}

/**
 * Evaluates a classification task with the product's own code: the engine is trained exactly as
 * `npm run train` trains it (cases imported, then trainClassifier) and every test text goes through
 * the real suggest service. With `folds`, cross-validates on the training file alone; without
 * `train`, scores the service as currently trained.
 */
export async function evaluateClassification(
  runtime: Runtime,
  options: {
    task: ClassificationTask;
    labelField: string;
    train?: LabelledRow[];
    test?: LabelledRow[];
    folds?: number;
  },
  progress: Progress = () => {},
): Promise<ClassificationResult> {
  const { task, labelField } = options;
  if (options.train && options.folds && options.folds > 1) {
    const rows = options.train;
    const head = headFor(
      task,
      rows.map((row) => goldFor(task, row, labelField)),
    );
    const random = seededRandom(2020);
    const fold = rows.map(() => Math.floor(random() * (options.folds ?? 1)));
    const scored: Scored[] = [];
    for (let f = 0; f < options.folds; f += 1) {
      const foldProgress: Progress = (stage, done, total) =>
        progress(`fold ${f + 1}/${options.folds} ${stage}`, done, total);
      await trainOn(
        runtime,
        task,
        rows.filter((_, index) => fold[index] !== f),
        labelField,
        foldProgress,
      );
      scored.push(
        ...(await scoreRows(
          runtime,
          head,
          task,
          rows.filter((_, index) => fold[index] === f),
          labelField,
          foldProgress,
        )),
      );
    }
    return summarise(task, head, scored, options.folds, rows.length, await servedContext(runtime));
  }
  if (!options.test) throw new Error("a test file is needed unless --folds is given with --train");
  const head = headFor(
    task,
    options.test.map((row) => goldFor(task, row, labelField)),
  );
  if (options.train) await trainOn(runtime, task, options.train, labelField, progress);
  const scored = await scoreRows(runtime, head, task, options.test, labelField, progress);
  return summarise(task, head, scored, null, options.train?.length ?? null, await servedContext(runtime));
}

/** The hit test's retrieval metrics (without the answerable count), per department too. */
export interface RetrievalResult extends Omit<RetrievalMetrics, "answerable"> {
  task: "retrieval";
  perDepartment: Record<string, { n: number; recallAt3: number }>;
  /** Mean time per question (the hit test runs them one after another). */
  latency: { meanMs: number };
}

/** Retrieval: the real hit test over questions with expected script ids, per department too. */
export async function evaluateRetrieval(
  runtime: Runtime,
  rows: readonly LabelledRow[],
  progress: Progress = () => {},
): Promise<RetrievalResult> {
  const started = performance.now();
  const run = await runHitTest({
    deps: runtime.deps,
    input: {
      name: "eval",
      cases: rows.map((row) => ({ id: row.id, question: row.text, expected: row.gold })),
    },
    actor: { name: "eval" },
    onProgress: (done, total) => progress("hit test", done, total),
  });
  const perCallMs = (performance.now() - started) / Math.max(1, rows.length);
  const departmentOf = new Map(
    runtime.bundle.scripts.map((script) => [script.id, script.departments[0] ?? "?"]),
  );
  const perDepartment: RetrievalResult["perDepartment"] = {};
  for (const result of run.cases) {
    const department = result.expected[0] ? (departmentOf.get(result.expected[0]) ?? "?") : "(无答案)";
    const entry = perDepartment[department] ?? { n: 0, recallAt3: 0 };
    entry.n += 1;
    if (result.rank !== null && result.rank <= 3) entry.recallAt3 += 1;
    perDepartment[department] = entry;
  }
  for (const entry of Object.values(perDepartment)) entry.recallAt3 /= Math.max(1, entry.n);
  return {
    task: "retrieval",
    ...run.metrics,
    perDepartment,
    latency: { meanMs: perCallMs },
  };
}
