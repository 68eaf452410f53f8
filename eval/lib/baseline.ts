import { primaryMetric } from "#domain/evaluation";
import type { EvalResult } from "./report";

/** The headline number of each result that the CI gate watches (the one the /eval pages lead with). */
export function headline(result: EvalResult): { metric: string; value: number } {
  return primaryMetric(result);
}

/** Where a result sits in baseline.json: its run's name, else its task. */
export function baselineKey(result: EvalResult): string {
  return ("name" in result && result.name) || result.task;
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
  for (const result of results) {
    const { metric, value } = headline(result);
    const key = baselineKey(result);
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
