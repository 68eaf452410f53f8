import { describe, expect, it } from "vitest";
import { type DuplicateCandidate, findPossibleDuplicates } from "#domain/analytics/duplicates";

function direction(index: number, noise = 0.15): number[] {
  const values = new Array<number>(6).fill(0);
  values[index] = 1;
  values[(index + 1) % 6] = noise;
  return values;
}

function candidate(id: string, overrides: Partial<DuplicateCandidate>): DuplicateCandidate {
  return {
    id,
    at: new Date("2026-12-01T09:00:00+08:00"),
    embedding: direction(0),
    places: [],
    districts: [],
    summary: id,
    ...overrides,
  };
}

describe("findPossibleDuplicates", () => {
  const request = { embedding: direction(0, 0.3), places: ["魅力之城小区"], districts: ["江城区"] };

  it("finds an open request about the same problem at the same place, and says why", () => {
    const [hit, ...rest] = findPossibleDuplicates(request, [
      candidate("same", { places: ["魅力之城"], districts: ["江城区"] }),
      candidate("other-problem", { embedding: direction(3), places: ["魅力之城小区"] }),
    ]);
    expect(rest).toEqual([]);
    expect(hit?.id).toBe("same");
    expect(hit?.sharedPlaces).toEqual(["魅力之城小区"]);
    expect(hit?.why).toContain("同一地点（魅力之城小区）");
  });

  it("does not merge the same problem at another place or in another district", () => {
    expect(
      findPossibleDuplicates(request, [
        candidate("elsewhere", { places: ["丽发新城小区"] }),
        candidate("other-district", { places: ["魅力之城小区"], districts: ["阳东区"] }),
      ]),
    ).toEqual([]);
  });

  it("needs near-identical texts when neither names a place", () => {
    const placeless = { embedding: direction(2, 0.05), places: [], districts: [] };
    const found = findPossibleDuplicates(placeless, [
      candidate("copy", { embedding: direction(2, 0.06) }),
      candidate("loose", { embedding: direction(2, 0.6) }),
    ]);
    expect(found.map((item) => item.id)).toEqual(["copy"]);
  });
});
