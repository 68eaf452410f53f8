import { describe, expect, it } from "vitest";
import { type DuplicateCandidate, findPossibleDuplicates } from "#domain/analytics/duplicates";

function candidate(id: string, overrides: Partial<DuplicateCandidate>): DuplicateCandidate {
  return {
    id,
    at: new Date("2026-12-01T09:00:00+08:00"),
    similarity: 0.9,
    places: [],
    districts: [],
    summary: id,
    ...overrides,
  };
}

describe("findPossibleDuplicates", () => {
  const request = { places: ["魅力之城小区"], districts: ["江城区"] };

  it("finds an open request about the same problem at the same place, and says why", () => {
    const [hit, ...rest] = findPossibleDuplicates(request, [
      candidate("same", { places: ["魅力之城"], districts: ["江城区"] }),
      candidate("other-problem", { similarity: 0.79, places: ["魅力之城小区"] }),
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
    const placeless = { places: [], districts: [] };
    const found = findPossibleDuplicates(placeless, [
      candidate("loose", { similarity: 0.92 }),
      candidate("copy", { similarity: 0.99 }),
      candidate("close", { similarity: 0.93 }),
    ]);
    expect(found.map((item) => [item.id, item.similarity])).toEqual([
      ["copy", 0.99],
      ["close", 0.93],
    ]);
  });
});
