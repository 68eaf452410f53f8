import { describe, expect, it } from "vitest";
import { applyReference, referenceFromBundle, validateReference } from "#domain/reference";
import { fixtureBundle } from "../../fixtures/knowledge-bundle";

const CODES = new Set(["rsj", "zjj", "cgj"]);

describe("reference data versions", () => {
  it("puts stored versions in place of the files' content and leaves out rows that no longer parse", () => {
    const bundle = fixtureBundle();
    const synonyms = [{ official: "拖欠工资", colloquial: ["欠薪"] }];
    const { bundle: live, skipped } = applyReference(bundle, [
      { id: 1, kind: "synonyms", content: synonyms },
      { id: 2, kind: "emergencies", content: [{ id: "x", name: "缺字段" }] },
    ]);
    expect(live.synonyms).toEqual(synonyms);
    expect(live.emergencies).toEqual(bundle.emergencies);
    expect(skipped.map((entry) => [entry.id, entry.kind])).toEqual([[2, "emergencies"]]);
    // The files' bundle itself is not changed.
    expect(bundle.synonyms).not.toEqual(synonyms);
    expect(referenceFromBundle(live, "synonyms")).toBe(live.synonyms);
  });

  it.each([
    [
      "an unknown code referenced",
      "emergencies",
      [
        {
          id: "gas",
          name: "燃气",
          triggers: ["漏气"],
          departments: ["xyz"],
          dispatchWithinMinutes: 10,
          level: "特急",
        },
      ],
      "unknown department code xyz",
    ],
    [
      "a duplicate official term",
      "synonyms",
      [
        { official: "社保卡", colloquial: ["a"] },
        { official: "社保卡", colloquial: ["b"] },
      ],
      "duplicate official term 社保卡",
    ],
    ["an unknown field", "synonyms", [{ official: "社保卡", colloquial: ["a"], note: "x" }], "note"],
  ] as const)("refuses %s", (_, kind, content, message) => {
    const { issues } = validateReference(kind, content, fixtureBundle(), CODES);
    expect(issues.map((issue) => issue.message).join("; ")).toContain(message);
  });

  it("reports only what the change breaks, not problems the data in force already has", () => {
    const inForce = {
      ...fixtureBundle(),
      synonyms: [
        { official: "甲", colloquial: ["a"] },
        { official: "甲", colloquial: ["b"] },
      ],
    };
    const { issues } = validateReference("emergencies", [], inForce, CODES);
    expect(issues).toEqual([]);
  });
});
