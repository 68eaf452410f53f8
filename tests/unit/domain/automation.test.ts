import { describe, expect, it } from "vitest";
import {
  automationLevel,
  automationThresholds,
  precisionCoverageCurve,
  thresholdFor,
} from "#domain/classifier/automation";

/** n held-out answers at a confidence, `right` of them correct. */
function block(confidence: number, n: number, right: number) {
  return Array.from({ length: n }, (_, index) => ({
    distribution: { a: confidence, b: 1 - confidence },
    gold: [index < right ? "a" : "b"],
  }));
}

describe("confidence bands → automation levels (suggest | preselect | auto-fill)", () => {
  // 40 answers at 0.97 (all right), 40 at 0.8 (36 right), 40 at 0.55 (20 right).
  const heldOut = [...block(0.97, 40, 40), ...block(0.8, 40, 36), ...block(0.55, 40, 20)];
  const curve = precisionCoverageCurve(heldOut);

  it("computes the precision–coverage curve of the top answers, most confident first", () => {
    expect(curve.map((point) => point.confidence)).toEqual([0.97, 0.8, 0.55]);
    expect(curve[0]).toMatchObject({ precision: 1, coverage: 40 / 120 });
    expect(curve[1]?.precision).toBeCloseTo(76 / 80);
    expect(curve[2]).toMatchObject({ precision: 96 / 120, coverage: 1 });
  });

  it("each level starts where the held-out precision still meets its target", () => {
    expect(thresholdFor(curve, 0.95, heldOut.length)).toBe(0.8); // 76/80 = 0.95
    expect(thresholdFor(curve, 0.99, heldOut.length)).toBe(0.97);
    expect(thresholdFor(curve, 0.85, heldOut.length)).toBe(0.8); // 96/120 = 0.80 < 0.85 below 0.8
    const thresholds = automationThresholds(
      { curve, heldOut: heldOut.length },
      { autoFill: 0.99, preselect: 0.9 },
    );
    expect(thresholds).toEqual({ autoFill: 0.97, preselect: 0.8 });
    expect(automationLevel(0.98, thresholds)).toBe("auto-fill");
    expect(automationLevel(0.85, thresholds)).toBe("preselect");
    expect(automationLevel(0.6, thresholds)).toBe("suggest");
  });

  it("stricter targets move the levels up: the live targets decide, the curve travels with the model", () => {
    const strict = automationThresholds({ curve, heldOut: heldOut.length }, { autoFill: 1, preselect: 0.99 });
    expect(strict).toEqual({ autoFill: 0.97, preselect: 0.97 });
    expect(automationLevel(0.85, strict)).toBe("suggest");
  });

  it("without enough held-out support, or without a curve (untrained), every field stays at suggest", () => {
    const few = block(0.99, 5, 5);
    expect(thresholdFor(precisionCoverageCurve(few), 0.95, few.length)).toBeNull();
    const none = automationThresholds(null, { autoFill: 0.95, preselect: 0.85 });
    expect(none).toEqual({ autoFill: null, preselect: null });
    expect(automationLevel(0.999, none)).toBe("suggest");
  });

  it("auto-fill never starts below preselect", () => {
    const thresholds = automationThresholds(
      { curve, heldOut: heldOut.length },
      { autoFill: 0.95, preselect: 0.99 },
    );
    expect(thresholds.preselect).toBeLessThanOrEqual(thresholds.autoFill ?? 1);
  });
});
