import { describe, expect, it } from "vitest";
import { clusterGaps, type GapQuestion } from "#domain/knowledge/gaps";

/** A unit vector along `axis` nudged by `tilt` towards axis 3, so members of a group differ a little. */
function vector(axis: number, tilt = 0): Float32Array {
  const values = new Float32Array(4);
  values[axis] = 1;
  values[3] = tilt;
  const norm = Math.hypot(...values);
  return values.map((value) => value / norm);
}

const question = (id: string, minute: number, embedding: Float32Array, text = id): GapQuestion => ({
  id,
  source: "search",
  at: new Date(Date.UTC(2026, 10, 30, 2, minute)),
  text,
  terms: [text.slice(0, 2)],
  embedding,
});

describe("clusterGaps", () => {
  it("groups questions by meaning, largest group first, named by its oldest question", () => {
    const groups = clusterGaps([
      question("search:c", 3, vector(0, 0.2), "灵活就业医保怎么交"),
      question("search:a", 1, vector(0), "灵活就业人员医保"),
      question("search:x", 2, vector(1), "电动车上牌"),
      question("search:b", 4, vector(0, 0.1), "灵活就业人员医保"),
    ]);
    expect(groups.map((group) => [group.id, group.count])).toEqual([
      ["search:a", 3],
      ["search:x", 1],
    ]);
    // Distinct texts only, the one nearest the group's meaning first.
    expect(groups[0]?.examples).toEqual(["灵活就业人员医保", "灵活就业医保怎么交"]);
    expect(groups[0]?.representative.id).toBe("search:b"); // the middle one of the three
    expect(groups[0]?.firstAt.toISOString()).toBe("2026-11-30T02:01:00.000Z");
    expect(groups[0]?.lastAt.toISOString()).toBe("2026-11-30T02:04:00.000Z");
  });

  it("does not split a group by the places its questions name", () => {
    // The hot-topic clustering would keep 江城区 and 阳东区 apart; a script answers both.
    const groups = clusterGaps([
      { ...question("search:1", 1, vector(2)), text: "江城区公积金怎么提取" },
      { ...question("search:2", 2, vector(2, 0.05)), text: "阳东区公积金怎么提取" },
    ]);
    expect(groups.map((group) => group.count)).toEqual([2]);
  });
});
