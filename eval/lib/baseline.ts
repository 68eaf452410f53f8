import { primaryMetric, summariseResults } from "#domain/evaluation";
import type { EvalResult } from "./report";

/** The headline number of each result that the CI gate watches (the one the /eval pages lead with). */
export function headline(result: EvalResult): { metric: string; value: number } {
  return primaryMetric(result);
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
    const { metric, value } = headline(result);
    const key = keys[index] ?? result.task;
    const expected = baseline[key];
    if (!expected) {
      lines.push(`? ${key} ${metric} ${value.toFixed(4)} (no baseline)`);
      continue;
    }
    const drop = expected.value - value;
    const regressed = drop > tolerance;
    if (regressed) ok = false;
    lines.push(
      `${regressed ? "✗" : "✓"} ${key} ${metric} ${value.toFixed(4)} vs baseline ${expected.value.toFixed(4)} (${drop > 0 ? "-" : "+"}${Math.abs(drop).toFixed(4)}, tolerance ${tolerance})`,
    );
  }
  return { ok, lines };
}
