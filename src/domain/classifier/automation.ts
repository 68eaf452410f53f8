import type { Distribution } from "./distribution";
import { ranked } from "./distribution";

/**
 * How far the console may act on a field without the agent:
 * - `suggest`: shown, nothing selected — the agent chooses (the engine is not sure);
 * - `preselect`: selected in the form, the agent confirms;
 * - `auto-fill`: filled and marked as filled automatically.
 */
export const AUTOMATION_LEVELS = ["suggest", "preselect", "auto-fill"] as const;
export type AutomationLevel = (typeof AUTOMATION_LEVELS)[number];

/** Precision a head must reach on held-out data before a level is allowed (knowledge/rules.yaml). */
export interface AutomationTargets {
  autoFill: number;
  preselect: number;
}

/** Used when rules.yaml names no targets. */
export const DEFAULT_AUTOMATION_TARGETS: AutomationTargets = { autoFill: 0.95, preselect: 0.85 } as const;

/** One point of a precision–coverage curve: predictions at or above `confidence`. */
export interface CurvePoint {
  confidence: number;
  precision: number;
  coverage: number;
}

export const CURVE_OPTIONS = {
  /** Fewer held-out predictions than this above a threshold: too few to trust its precision. */
  minSupport: 20,
  /** Points kept in the stored curve (thresholds are read from it at serve time). */
  maxPoints: 60,
} as const;

/**
 * The precision–coverage curve of a head's top-1 predictions on held-out data: for each
 * confidence, the share of predictions at or above it (coverage) and how many of those are right
 * (precision). Sorted by descending confidence; thinned to at most `maxPoints` points.
 *
 * @example
 * precisionCoverageCurve([{ distribution: { a: 0.9, b: 0.1 }, gold: ["a"] }]);
 * // [{ confidence: 0.9, precision: 1, coverage: 1 }]
 */
export function precisionCoverageCurve(
  predictions: readonly { distribution: Distribution; gold: readonly string[] }[],
  maxPoints: number = CURVE_OPTIONS.maxPoints,
): CurvePoint[] {
  const tops = predictions
    .map(({ distribution, gold }) => {
      const top = ranked(distribution)[0];
      return top ? { confidence: top.probability, correct: gold.includes(top.label) } : null;
    })
    .filter((entry): entry is { confidence: number; correct: boolean } => entry !== null)
    .sort((a, b) => b.confidence - a.confidence);
  const total = predictions.length;
  const points: CurvePoint[] = [];
  let hits = 0;
  tops.forEach((entry, index) => {
    if (entry.correct) hits += 1;
    const next = tops[index + 1];
    // One point per distinct confidence (ties are taken or left together).
    if (next && next.confidence === entry.confidence) return;
    points.push({
      confidence: entry.confidence,
      precision: hits / (index + 1),
      coverage: (index + 1) / total,
    });
  });
  if (points.length <= maxPoints) return points;
  const step = (points.length - 1) / (maxPoints - 1);
  return Array.from({ length: maxPoints }, (_, index) => points[Math.round(index * step)] as CurvePoint);
}

/**
 * The lowest confidence from which the curve's precision stays at or above `target` (with at
 * least `minSupport` held-out predictions at or above it); null when no such point exists.
 *
 * @example
 * thresholdFor(curve, 0.95, 200); // 0.87 — from 0.87 up, 95 % of held-out answers were right
 */
export function thresholdFor(
  curve: readonly CurvePoint[],
  target: number,
  heldOut: number,
  minSupport: number = CURVE_OPTIONS.minSupport,
): number | null {
  let threshold: number | null = null;
  // Walk from the most confident end; stop at the first point where precision falls below the
  // target, so every prediction above the threshold lies in a region that meets it.
  for (const point of curve) {
    if (point.precision < target) {
      if (point.coverage * heldOut >= minSupport) break;
      continue;
    }
    if (point.coverage * heldOut >= minSupport) threshold = point.confidence;
  }
  return threshold;
}

/** Where each level starts for one head, from its stored curve and the live targets. */
export interface AutomationThresholds {
  autoFill: number | null;
  preselect: number | null;
}

/**
 * @example
 * automationThresholds({ curve, heldOut: 300 }, { autoFill: 0.95, preselect: 0.85 });
 * // { autoFill: 0.91, preselect: 0.62 }
 */
export function automationThresholds(
  calibration: { curve: readonly CurvePoint[]; heldOut: number } | null | undefined,
  targets: AutomationTargets,
): AutomationThresholds {
  if (!calibration || calibration.curve.length === 0) return { autoFill: null, preselect: null };
  const autoFill = thresholdFor(calibration.curve, targets.autoFill, calibration.heldOut);
  const preselect = thresholdFor(calibration.curve, targets.preselect, calibration.heldOut);
  return {
    autoFill,
    // auto-fill implies preselect: its threshold can never be the lower one.
    preselect: preselect === null ? autoFill : autoFill === null ? preselect : Math.min(preselect, autoFill),
  };
}

/**
 * The automation level of a field whose top answer has this confidence. Without a curve (an
 * untrained engine, or a head with too little history) every field stays at `suggest`.
 *
 * @example
 * automationLevel(0.97, { autoFill: 0.9, preselect: 0.6 }); // "auto-fill"
 * automationLevel(0.4, { autoFill: 0.9, preselect: 0.6 }); // "suggest"
 */
export function automationLevel(confidence: number, thresholds: AutomationThresholds): AutomationLevel {
  if (thresholds.autoFill !== null && confidence >= thresholds.autoFill) return "auto-fill";
  if (thresholds.preselect !== null && confidence >= thresholds.preselect) return "preselect";
  return "suggest";
}
