import type { ClassifierArtifact, ClassifierStore } from "./artifact";

/** Where a trained classifier stands (issue #15 item 4). */
export const MODEL_STATUSES = ["candidate", "promoted", "refused", "retired"] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];

/** One headline figure the promotion gate compares, e.g. `heldOut:department accuracy`. */
export interface GateMetric {
  /** `heldOut:<head>` (recent labelled cases) or `suite:<run>` (the CI suite's gold sets). */
  key: string;
  metric: string;
  n: number;
  candidate: number;
  /** The promoted model on the same rows; null when nothing was promoted yet. */
  promoted: number | null;
}

/** What the gate measured and decided for one candidate. */
export interface GateEvaluation {
  /** The version it was compared with (the promoted one at the time), or null. */
  comparedWith: string | null;
  tolerance: number;
  heldOut: { cases: number; from: string | null; to: string | null };
  metrics: GateMetric[];
  promote: boolean;
}

/** A stored model without its artifact bytes. */
export interface ModelSummary {
  version: string;
  createdAt: string;
  status: ModelStatus;
  embeddingModel: string;
  trainedOn: Record<string, unknown>;
  metrics: ClassifierArtifact["metrics"];
  evaluation: GateEvaluation | null;
  reasons: string[];
  promotedAt: string | null;
  promotedBy: string | null;
  retiredAt: string | null;
  rolledBackAt: string | null;
}

/** Models in the shared database: every replica serves the one promoted row. */
export interface ModelRepository {
  /** Stores a trained artifact with its status, evaluation and reasons. */
  insert(
    artifact: ClassifierArtifact,
    entry: { status: ModelStatus; evaluation: GateEvaluation | null; reasons: string[] },
  ): Promise<void>;
  list(limit: number): Promise<ModelSummary[]>;
  get(version: string): Promise<ModelSummary | null>;
  /** The full artifact of a version (null if there is no such version). */
  load(version: string): Promise<ClassifierArtifact | null>;
  /** The promoted version, or null; cheap (one indexed row), asked on every request. */
  promotedVersion(): Promise<string | null>;
  /**
   * Makes `version` the promoted one (the previous promoted becomes `retired`, or `rolledBack`
   * marks it as undone). Locks the promoted row, so of two concurrent promotions one waits.
   */
  promote(
    version: string,
    at: Date,
    by: string,
    options?: { reason?: string; rollingBack?: boolean },
  ): Promise<{ previous: string | null }>;
  /** The version a rollback returns to: the last one promoted before the current, never rolled back. */
  previousPromoted(): Promise<string | null>;
  /** Records the gate's decision on a candidate (promoted is set through `promote`). */
  setStatus(
    version: string,
    status: ModelStatus,
    reasons: string[],
    evaluation?: GateEvaluation,
  ): Promise<void>;
}

/** The serving store over the registry: `current()` is the promoted model of the shared database. */
export interface PromotedClassifierStore extends ClassifierStore {
  /** The version being served, or null. */
  servedVersion(): string | null;
}

/**
 * The gate: a candidate is promoted unless one of its headline metrics falls more than `tolerance`
 * (absolute) below the promoted model's on the same rows. With nothing promoted yet it is promoted.
 * Returns the reasons either way (one line per metric that decided).
 *
 * @example
 * decidePromotion([{ key: "heldOut:type", metric: "accuracy", n: 80, candidate: 0.7, promoted: 0.8 }], 0.03);
 * // { promote: false, reasons: ["heldOut:type accuracy 0.7000 < promoted 0.8000 − 0.03 (n=80)"] }
 */
export function decidePromotion(
  metrics: readonly GateMetric[],
  tolerance: number,
): { promote: boolean; reasons: string[] } {
  const compared = metrics.filter((metric) => metric.promoted !== null);
  if (compared.length === 0) return { promote: true, reasons: ["no promoted model to compare with"] };
  const drops = compared.filter((metric) => (metric.promoted ?? 0) - metric.candidate > tolerance);
  if (drops.length > 0) {
    return {
      promote: false,
      reasons: drops.map(
        (metric) =>
          `${metric.key} ${metric.metric} ${metric.candidate.toFixed(4)} < promoted ${(metric.promoted ?? 0).toFixed(4)} − ${tolerance} (n=${metric.n})`,
      ),
    };
  }
  const worst = compared.reduce((a, b) =>
    (a.promoted ?? 0) - a.candidate >= (b.promoted ?? 0) - b.candidate ? a : b,
  );
  return {
    promote: true,
    reasons: [
      `no headline metric dropped more than ${tolerance} (${compared.length} compared; largest change ${worst.key} ${worst.metric} ${(worst.candidate - (worst.promoted ?? 0)).toFixed(4)})`,
    ],
  };
}

/**
 * The held-out slice: the most recent labelled cases by `receivedAt` (cases without one count as
 * oldest), a `fraction` of them within [min, max]; none when too few cases to spare any.
 *
 * @example
 * heldOutSlice(cases, { fraction: 0.15, min: 20, max: 300 }).map((c) => c.id);
 */
export function heldOutSlice<T extends { id: string; receivedAt: string | null }>(
  cases: readonly T[],
  options: { fraction: number; min: number; max: number },
): T[] {
  const size = Math.min(options.max, Math.round(cases.length * options.fraction));
  if (size < options.min) return [];
  return [...cases]
    .sort((a, b) => {
      const at = a.receivedAt ? Date.parse(a.receivedAt) : Number.NEGATIVE_INFINITY;
      const bt = b.receivedAt ? Date.parse(b.receivedAt) : Number.NEGATIVE_INFINITY;
      return bt - at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
    })
    .slice(0, size);
}

/** A classification run of the CI suite (`eval/suites/ci.json`) as the gate scores it. */
export interface GoldRun {
  /** The run's baseline key (`department`, `type-dev`, …). */
  name: string;
  task: "category" | "department" | "type" | "urgent" | "marketEntity";
  head: import("./engine").Head;
  rows: { id: string; text: string; gold: string[] }[];
}

/** The promotion gate's settings. */
export interface GateSettings {
  /** Absolute drop of a headline metric that refuses a candidate (the CI suite's tolerance). */
  tolerance: number;
  heldOut: { fraction: number; min: number; max: number };
  /** The CI suite's classification runs (empty: held-out slice only). */
  suite: () => Promise<GoldRun[]>;
}

/** Held-out slice sizing when nothing else is set: 15 % of the cases, 20…300. */
export const HELD_OUT = { fraction: 0.15, min: 20, max: 300 } as const;
