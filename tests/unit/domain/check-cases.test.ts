import { describe, expect, it } from "vitest";
import { type CaseFileRow, checkCases } from "#domain/knowledge/check-cases";
import { fixtureBundle } from "../../fixtures/knowledge-bundle";

const wages = ["劳动和社会保障", "工资福利", "拖欠工资"];

function row(line: number, fields: Record<string, unknown>): CaseFileRow {
  return {
    file: "cases/history/rsj.jsonl",
    line,
    row: {
      id: `h-rsj-${line}`,
      text: `老板拖欠第${line}个月工资唔肯出`,
      category: wages,
      department: "rsj",
      type: "投诉",
      urgent: false,
      marketEntity: false,
      receivedAt: "2025-03-02T10:15:00+08:00",
      ...fields,
    },
  };
}

function messages(rows: CaseFileRow[]): string[] {
  return checkCases(rows, fixtureBundle()).map((issue) => `${issue.file} ${issue.message}`);
}

describe("checkCases", () => {
  it("accepts well-formed cases, with 协办 departments", () => {
    expect(
      messages([row(1, {}), row(2, { department: "zjj", assistingDepartments: ["rsj", "cgj"] })]),
    ).toEqual([]);
  });

  it.each([
    ["an unknown lead department", { department: "nope" }, "unknown department code nope"],
    ["an unknown 协办 department", { assistingDepartments: ["xyz"] }, "unknown department code xyz"],
    [
      "a 协办 that is the lead",
      { assistingDepartments: ["rsj"] },
      "assisting department rsj is also the lead",
    ],
    [
      "a category that is not a leaf",
      { category: ["劳动和社会保障", "工资福利"] },
      "category 劳动和社会保障/工资福利 is not a taxonomy leaf",
    ],
    [
      "an unknown category",
      { category: ["劳动和社会保障", "工资福利", "年终奖"] },
      "category 劳动和社会保障/工资福利/年终奖 is not a taxonomy leaf",
    ],
    ["a type outside the six", { type: "投拆" }, "type:"],
    ["a missing type", { type: undefined }, "missing type"],
    ["a missing id", { id: undefined }, "missing id"],
    ["a missing department", { department: undefined }, "missing department"],
  ])("rejects %s", (_name, fields, expected) => {
    const found = messages([row(1, {}), row(2, fields)]);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain("cases/history/rsj.jsonl:2 ");
    expect(found[0]).toContain(expected);
  });

  it("rejects a duplicate id and a text repeated with other punctuation, across files", () => {
    const other = (line: number, fields: Record<string, unknown>) => ({
      ...row(line, fields),
      file: "cases/seed-cases.jsonl",
    });
    expect(
      messages([
        row(1, {}),
        other(7, { id: "h-rsj-1", text: "另一通电话" }),
        other(8, { id: "seed-0008", text: "老板拖欠 第1个月工资，唔肯出！" }),
      ]),
    ).toEqual([
      "cases/seed-cases.jsonl:7 duplicate id h-rsj-1 (first at cases/history/rsj.jsonl:1)",
      "cases/seed-cases.jsonl:8 duplicate text (first at cases/history/rsj.jsonl:1)",
    ]);
  });
});
