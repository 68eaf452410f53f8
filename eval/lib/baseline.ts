import { primaryMetric, summariseResults } from "#domain/evaluation";
import type { EvalResult } from "./report";

/** The headline number of each result that the CI gate watches (the one the /eval pages lead with). */
export function headline(result: EvalResult): { metric: string; value: number } {
  return primaryMetric(result);
}

/** A number the gate watches besides the headline; `lowerIsBetter` gates a rise instead of a drop. */
export interface GatedMetric {
  metric: string;
  value: number;
  lowerIsBetter?: boolean;
}

/**
 * What the gate watches of one result, by baseline key suffix ("" for the headline). A retrieval
 * run with off-topic questions also keeps "no confident match" honest (issue #14): the share of
 * off-topic questions rejected must not fall, nor the share of answerable ones refused rise.
 */
export function gatedMetrics(result: EvalResult): [suffix: string, metric: GatedMetric][] {
  const gated: [string, GatedMetric][] = [["", headline(result)]];
  if (result.task === "retrieval" && result.offTopicRejected !== null) {
    gated.push([".offTopicRejected", { metric: "offTopicRejected", value: result.offTopicRejected }]);
    gated.push([
      ".confidentRefusal",
      { metric: "confidentRefusal", value: result.confidentRefusal, lowerIsBetter: true },
    ]);
  }
  return gated;
}

/** The baseline file's content for these results (`--write-baseline`). */
export function baselineOf(results: readonly EvalResult[]): Record<string, GatedMetric> {
  const keys = baselineKeys(results);
  return Object.fromEntries(
    results.flatMap((result, index) =>
      gatedMetrics(result).map(([suffix, { metric, value }]) => [
        `${keys[index] ?? result.task}${suffix}`,
        { metric, value },
      ]),
    ),
  );
}

/**
 * The baseline key of each result: the task, "#2"… for a task run again on another dataset
 * (e.g. urgent on requests-gold, then urgent#2 on urgent-gold), as the /eval pages key them.
 */
export function baselineKeys(results: readonly EvalResult[]): string[] {
  return summariseResults(results).map((summary) => summary.key);
}

export interface GateOutcome {
  ok: boolean;
  lines: string[];
}

/**
 * Compares a run's headline metrics with the committed baseline: any drop larger than `tolerance`
 * (absolute) is a regression. New tasks without a baseline are reported, not failed.
 */
export function compareToBaseline(
  results: readonly EvalResult[],
  baseline: Record<string, { metric: string; value: number }>,
  tolerance: number,
): GateOutcome {
  const lines: string[] = [];
  let ok = true;
  const keys = baselineKeys(results);
  for (const [index, result] of results.entries()) {
    for (const [suffix, { metric, value, lowerIsBetter }] of gatedMetrics(result)) {
      const key = `${keys[index] ?? result.task}${suffix}`;
      const expected = baseline[key];
      if (!expected) {
        lines.push(`? ${key} ${metric} ${value.toFixed(4)} (no baseline)`);
        continue;
      }
      // How much worse than the baseline: a drop, or a rise for a rate that should stay low.
      const worse = lowerIsBetter ? value - expected.value : expected.value - value;
      const regressed = worse > tolerance;
      if (regressed) ok = false;
      const change = value - expected.value;
      lines.push(
        `${regressed ? "✗" : "✓"} ${key} ${metric} ${value.toFixed(4)} vs baseline ${expected.value.toFixed(4)} (${change < 0 ? "-" : "+"}${Math.abs(change).toFixed(4)}, tolerance ${tolerance}${lowerIsBetter ? ", lower is better" : ""})`,
      );
    }
  }
  return { ok, lines };
}
