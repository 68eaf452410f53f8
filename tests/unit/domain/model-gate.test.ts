import { describe, expect, it } from "vitest";
import { decidePromotion, type GateMetric, heldOutSlice } from "#domain/classifier/registry";

const metric = (key: string, candidate: number, promoted: number | null): GateMetric => ({
  key,
  metric: "accuracy",
  n: 50,
  candidate,
  promoted,
});

describe("decidePromotion", () => {
  it.each([
    { name: "nothing promoted yet", metrics: [metric("heldOut:type", 0.2, null)], promote: true },
    { name: "every metric equal", metrics: [metric("heldOut:type", 0.8, 0.8)], promote: true },
    { name: "a drop within the tolerance", metrics: [metric("heldOut:type", 0.775, 0.8)], promote: true },
    {
      name: "one drop beyond the tolerance among gains",
      metrics: [metric("heldOut:type", 0.9, 0.8), metric("suite:department", 0.7, 0.74)],
      promote: false,
    },
  ])("$name → promote $promote", ({ metrics, promote }) => {
    expect(decidePromotion(metrics, 0.03).promote).toBe(promote);
  });

  it("names every metric that dropped, with both values", () => {
    const { reasons } = decidePromotion(
      [metric("heldOut:type", 0.5, 0.8), metric("heldOut:urgent", 0.9, 0.95), metric("suite:type", 0.8, 0.8)],
      0.03,
    );
    expect(reasons).toEqual([
      "heldOut:type accuracy 0.5000 < promoted 0.8000 − 0.03 (n=50)",
      "heldOut:urgent accuracy 0.9000 < promoted 0.9500 − 0.03 (n=50)",
    ]);
  });
});

describe("heldOutSlice", () => {
  const cases = Array.from({ length: 100 }, (_, index) => ({
    id: `c-${String(index).padStart(3, "0")}`,
    // Every tenth case has no date: it counts as the oldest.
    receivedAt: index % 10 === 0 ? null : new Date(Date.UTC(2026, 0, 1 + index)).toISOString(),
  }));

  it("takes the most recent cases by receivedAt", () => {
    const slice = heldOutSlice(cases, { fraction: 0.15, min: 5, max: 300 });
    expect(slice).toHaveLength(15);
    expect(slice[0]?.id).toBe("c-099");
    expect(slice.every((item) => item.receivedAt !== null)).toBe(true);
    const newestLeftOut = cases
      .filter((item) => !slice.includes(item) && item.receivedAt)
      .map((item) => item.receivedAt as string)
      .sort()
      .at(-1);
    expect(slice.every((item) => (item.receivedAt as string) > (newestLeftOut as string))).toBe(true);
  });

  it("caps the slice and holds out nothing when too few cases", () => {
    expect(heldOutSlice(cases, { fraction: 0.5, min: 5, max: 20 })).toHaveLength(20);
    expect(heldOutSlice(cases.slice(0, 30), { fraction: 0.15, min: 20, max: 300 })).toEqual([]);
  });
});
