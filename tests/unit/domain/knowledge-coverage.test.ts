import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dutyParts, knowledgeCoverage } from "#domain/knowledge/coverage";
import { loadKnowledge } from "#infra/knowledge-fs/load-knowledge";
import { fixtureBundle, script } from "../../fixtures/knowledge-bundle";

const TODAY = "2026-06-01";
const ROOT = join(import.meta.dirname, "..", "..", "..");

describe("knowledgeCoverage", () => {
  it("lists leaves and duties that only an expired script (or none) covers", () => {
    const report = knowledgeCoverage(fixtureBundle(), TODAY);
    // 占道经营 has a script, but it expired at the end of 2023.
    expect(report.leaves.uncovered.map((leaf) => leaf.path.join("/"))).toEqual([
      "城乡建设/市容环卫/占道经营",
    ]);
    expect(report.leaves.uncovered[0]?.departments).toEqual(["cgj"]);
    expect(report.leaves).toMatchObject({ total: 4, covered: 3, catchAll: 0 });
    expect(report.duties.uncovered.map((duty) => `${duty.department}:${duty.duty}`)).toEqual([
      "cgj:占道经营",
    ]);
    expect(report.duties).toMatchObject({ total: 4, covered: 3 });
    expect(report.departmentsWithoutScripts).toEqual(["cgj"]);
  });

  it("counts a duty only for scripts of its department, by its parts or most of their bigrams", () => {
    const bundle = fixtureBundle();
    const rsj = bundle.departments.find((department) => department.code === "rsj");
    if (!rsj) throw new Error("fixture lacks rsj");
    // 房产证 is a literal part; 社保卡申领 shares 3 of its 4 bigrams with 社保卡首次申领.
    rsj.duties = ["不动产登记（房产证）", "社保卡申领", "占道经营", "工伤认定"];
    bundle.scripts.push(
      script({ id: "house-cert", title: "房产证办理", question: "新房的房产证怎么办？", tags: ["房产证"] }),
      script({ id: "card-apply", title: "社保卡首次申领", question: "第一次怎么领社保卡？" }),
      // Another department's script does not cover rsj's duty, however close its wording.
      script({
        id: "vendor-now",
        title: "占道经营投诉",
        question: "路边占道经营怎么办？",
        departments: ["cgj"],
        category: ["城乡建设", "市容环卫", "占道经营"],
      }),
    );
    const uncovered = (scripts: typeof bundle.scripts) =>
      knowledgeCoverage({ ...bundle, scripts }, TODAY)
        .duties.uncovered.filter((duty) => duty.department === "rsj")
        .map((duty) => duty.duty);
    expect(uncovered(bundle.scripts)).toEqual(["占道经营", "工伤认定"]);
    const without = (id: string) => bundle.scripts.filter((item) => item.id !== id);
    expect(uncovered(without("house-cert"))).toEqual(["不动产登记（房产证）", "占道经营", "工伤认定"]);
    expect(uncovered(without("card-apply"))).toEqual(["社保卡申领", "占道经营", "工伤认定"]);
    expect(knowledgeCoverage(bundle, TODAY).departmentsWithoutScripts).toEqual([]);
  });

  it("counts a duty covered when a synonym of one of its parts occurs in a script", () => {
    const bundle = fixtureBundle();
    const rsj = bundle.departments.find((department) => department.code === "rsj");
    if (!rsj) throw new Error("fixture lacks rsj");
    rsj.duties = ["退休审批"];
    bundle.scripts.push(script({ id: "retire", title: "退休手续办理", question: "快到年龄了怎么办手续？" }));
    const uncovered = (synonyms: typeof bundle.synonyms) =>
      knowledgeCoverage({ ...bundle, synonyms }, TODAY)
        .duties.uncovered.filter((duty) => duty.department === "rsj")
        .map((duty) => duty.duty);
    expect(uncovered([])).toEqual(["退休审批"]);
    expect(uncovered([{ official: "退休审批", colloquial: ["办退休", "退休手续"] }])).toEqual([]);
  });

  it("does not count scripts that start later or the catch-all 其他 leaves", () => {
    const bundle = fixtureBundle();
    bundle.taxonomy[0]?.children.push({ name: "其他", children: [{ name: "其他", departments: [] }] });
    for (const item of bundle.scripts) if (item.id === "labor-wage-arrears") item.validFrom = "2027-01-01";
    const report = knowledgeCoverage(bundle, TODAY);
    expect(report.leaves.catchAll).toBe(1);
    expect(report.leaves.total).toBe(4);
    expect(report.leaves.uncovered.map((leaf) => leaf.path[2])).toEqual(["拖欠工资", "占道经营"]);
  });

  it("splits duties into the parts worth looking for", () => {
    expect(dutyParts("养老保险与工伤失业保险")).toEqual(["养老保险", "工伤失业保险"]);
    expect(dutyParts("噪音（社会生活夜间喧哗）报警类转办")).toEqual([
      "噪音",
      "社会生活夜间喧哗",
      "报警类转办",
    ]);
    expect(dutyParts("能源")).toEqual(["能源"]);
  });
});

describe("npm run knowledge:coverage", () => {
  it("prints, as JSON, the report of the committed knowledge/ folder", () => {
    const run = spawnSync(
      join(ROOT, "node_modules", ".bin", "tsx"),
      ["src/cli/knowledge-coverage.ts", "--json", "--date", TODAY],
      { cwd: ROOT, encoding: "utf8", timeout: 60_000 },
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const printed = JSON.parse(run.stdout) as ReturnType<typeof knowledgeCoverage> & { date: string };
    const { bundle } = loadKnowledge(join(ROOT, "knowledge"));
    expect(printed.date).toBe(TODAY);
    expect(printed).toMatchObject(knowledgeCoverage(bundle, TODAY));
    // Whatever it lists as uncovered really has no script in force filed under it.
    const inForce = bundle.scripts.filter(
      (item) => item.validFrom <= TODAY && (item.validTo == null || item.validTo >= TODAY),
    );
    const filed = new Set(inForce.map((item) => item.category.join("/")));
    for (const leaf of printed.leaves.uncovered) expect(filed.has(leaf.path.join("/"))).toBe(false);
    expect(printed.leaves.total + printed.leaves.catchAll).toBe(
      bundle.taxonomy.flatMap((level1) => level1.children.flatMap((level2) => level2.children)).length,
    );
  }, 60_000);
});
