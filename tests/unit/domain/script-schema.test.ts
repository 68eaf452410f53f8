import { describe, expect, it } from "vitest";
import { ScriptContentSchema, ScriptSchema, scriptReferenceIssues } from "#domain/knowledge/schema";
import { script } from "../../fixtures/knowledge-bundle";

describe("the one script schema (review #20)", () => {
  const refused: [string, Record<string, unknown>][] = [
    ["validTo before validFrom", { validFrom: "2026-03-01", validTo: "2026-02-01" }],
    ["an impossible date", { validFrom: "2026-02-30" }],
    ["a month 13", { validTo: "2026-13-01" }],
    ["repeated departments", { departments: ["rsj", "rsj"] }],
    ["11 departments", { departments: ["aa", "bb", "cc", "dd", "ee", "ff", "gg", "hh", "ii", "jj", "kk"] }],
    ["repeated audience", { audience: ["个人", "个人"] }],
    ["21 tags", { tags: Array.from({ length: 21 }, (_, index) => `标签${index}`) }],
    ["a 31-character tag", { tags: ["长".repeat(31)] }],
    ["an empty tag", { tags: [""] }],
    ["a whitespace owner", { owner: " \t " }],
    ["a 101-character owner", { owner: "长".repeat(101) }],
    ["a whitespace variant", { variants: [" ", "社保卡丢了去哪里补", "医保卡被偷了怎么办"] }],
    ["31 variants", { variants: Array.from({ length: 31 }, (_, index) => `变体${index}`) }],
    ["a whitespace category level", { category: ["  ", "城镇职工社会保险", "社保卡"] }],
    ["a 501-character basis", { basis: "长".repeat(501) }],
  ];

  it.each(refused)("refuses %s, in the files and in an edit alike", (_what, change) => {
    const entry = { ...script({ id: "schema-check" }), ...change };
    expect(ScriptSchema.safeParse(entry).success).toBe(false);
    const { id: _id, ...content } = entry;
    expect(ScriptContentSchema.safeParse(content).success).toBe(false);
  });

  it("accepts the fixture script and trims what it keeps", () => {
    const parsed = ScriptSchema.parse({
      ...script({ id: "schema-check" }),
      owner: "  测试知识专员 ",
      tags: [" 社保卡 "],
    });
    expect(parsed.owner).toBe("测试知识专员");
    expect(parsed.tags).toEqual(["社保卡"]);
  });

  it("reports department codes and category paths the catalogue does not know", () => {
    const known = {
      departments: new Set(["rsj"]),
      categoryLeaves: new Set(["劳动和社会保障/城镇职工社会保险/社保卡"]),
    };
    expect(scriptReferenceIssues(script({ id: "ok-script" }), known)).toEqual([]);
    const issues = scriptReferenceIssues(
      script({
        id: "bad-script",
        departments: ["rsj", "zzz"],
        category: ["劳动和社会保障", "不存在", "叶子"],
      }),
      known,
    );
    expect(issues).toEqual([
      "departments: unknown department code zzz",
      "category: 劳动和社会保障/不存在/叶子 is not a leaf of the taxonomy",
    ]);
  });
});
