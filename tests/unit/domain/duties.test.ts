import { beforeAll, describe, expect, it } from "vitest";
import { ranked } from "#domain/classifier/distribution";
import {
  assessDuties,
  assistingDepartments,
  buildDutyIndex,
  type DutyIndex,
  gateDistricts,
} from "#domain/classifier/duties";
import { checkDuties, type Duties, DutiesSchema } from "#domain/knowledge/duties";
import { loadKnowledge } from "#infra/knowledge-fs/load-knowledge";

const topOf = (distribution: Record<string, number>) => ranked(distribution)[0]?.label;

/** A small 权责清单, so the mechanics are tested independently of the editors' file. */
const mini: Duties = DutiesSchema.parse({
  local: {
    codes: ["jcq", "ydq"],
    fallbackBelow: 0.3,
    places: { jcq: ["江城区", "南恩街道"], ydq: ["阳东区", "东城镇"] },
    ownWork: { handles: "镇街村居自身的工作", cues: ["村委会|街道办 + 找不到人|不办|拖"] },
    matters: [
      {
        name: "邻里纠纷",
        handles: "镇街调处",
        cues: ["邻居 + 占|堆"],
        assist: [{ code: "sfj", why: "人民调解" }],
      },
    ],
  },
  departments: [
    {
      code: "gaj",
      handles: ["社会生活噪声"],
      matters: [
        {
          name: "社会生活噪声",
          handles: "公安处理",
          cues: ["邻居|楼上 + 吵|唱K"],
          unless: ["工地", "施工"],
        },
      ],
      boundaries: [{ against: "cgj", rule: "住宅内 → 公安；工地 → 城管", cues: ["楼上"] }],
      examples: ["楼上每晚唱K"],
    },
    {
      code: "cgj",
      handles: ["施工噪声"],
      matters: [{ name: "施工噪声", handles: "城管执法", cues: ["工地|施工 + 吵|半夜"] }],
      boundaries: [{ against: "gaj", rule: "工地 → 城管", cues: ["工地"] }],
      examples: ["工地半夜打桩"],
    },
    { code: "sfj", handles: ["人民调解"], examples: ["调解"] },
    {
      code: "rsj",
      handles: ["欠薪"],
      matters: [{ name: "欠薪", handles: "劳动监察", cues: ["欠 + 工资"] }],
      examples: ["欠薪"],
    },
    { code: "jcq", handles: ["属地"], examples: ["江城区"] },
    { code: "ydq", handles: ["属地"], examples: ["阳东区"] },
  ],
});

describe("departments from duties (权责清单)", () => {
  let index: DutyIndex;
  beforeAll(() => {
    index = buildDutyIndex(mini);
  });

  it("a place-named 噪声 call goes to the functional department, not the district", () => {
    const text = "江城区南恩街道我楼上每晚唱K，吵到半夜";
    const assessment = assessDuties(index, text);
    expect(assessment.place).toBe("jcq");
    expect(assessment.ownWork).toBe(false);
    expect(topOf(assessment.distribution)).toBe("gaj");
    // Even when the fused engine put the district first because the place is named:
    const gated = gateDistricts(index, { jcq: 0.55, gaj: 0.35, cgj: 0.1 }, assessment);
    expect(topOf(gated.distribution)).toBe("gaj");
    expect(gated.fallback).toBe(false);
  });

  it("a 施工 noise call goes to 城管: the `unless` words and the boundary decide against 公安", () => {
    const assessment = assessDuties(index, "阳东区东城镇旁边工地半夜施工好吵");
    expect(topOf(assessment.distribution)).toBe("cgj");
    expect(assessment.distribution.gaj ?? 0).toBe(0);
  });

  it("a complaint about the 村委会/街道办's own work goes to that district", () => {
    const assessment = assessDuties(index, "阳东区东城镇我们村委会干部上班时间经常找不到人");
    expect(assessment.ownWork).toBe(true);
    expect(topOf(assessment.distribution)).toBe("ydq");
    const gated = gateDistricts(index, { ydq: 0.5, rsj: 0.3, gaj: 0.2 }, assessment);
    expect(topOf(gated.distribution)).toBe("ydq");
  });

  it("the district leads as fallback only when no functional department is likely enough", () => {
    const assessment = assessDuties(index, "江城区我们这边有件事想反映一下");
    const unsure = gateDistricts(index, { jcq: 0.3, gaj: 0.25, cgj: 0.25, rsj: 0.2 }, assessment);
    expect(topOf(unsure.distribution)).toBe("jcq");
    expect(unsure.fallback).toBe(true);
    const sure = gateDistricts(index, { jcq: 0.4, rsj: 0.5, gaj: 0.1 }, assessment);
    expect(topOf(sure.distribution)).toBe("rsj");
    // A functional department the knowledge points to (a duty or catalogue match) fits, however
    // flat the fused distribution is: no fallback.
    const fits = gateDistricts(index, { jcq: 0.3, gaj: 0.26, cgj: 0.24, rsj: 0.2 }, assessment, ["gaj"]);
    expect(topOf(fits.distribution)).toBe("gaj");
    expect(fits.fallback).toBe(false);
  });

  it("a district other than the place named is never put first", () => {
    const assessment = assessDuties(index, "阳东区村委会拖着不办");
    const gated = gateDistricts(index, { jcq: 0.6, ydq: 0.3, gaj: 0.1 }, assessment);
    expect(topOf(gated.distribution)).toBe("ydq");
  });

  it("assisting departments are proposed only when the request needs them", () => {
    // 邻里纠纷 names its partner (人民调解 → 司法局).
    const dispute = assessDuties(index, "阳东区东城镇邻居在我家门口堆满杂物");
    expect(topOf(dispute.distribution)).toBe("ydq");
    expect(assistingDepartments("ydq", dispute, [])).toEqual([
      { code: "sfj", reasons: ["「邻里纠纷」需协办：人民调解"] },
    ]);
    // One issue, one department: no assist.
    const noise = assessDuties(index, "楼上每晚唱K好吵");
    expect(assistingDepartments("gaj", noise, [])).toEqual([]);
    // A second issue in its own sentence belongs to another department: it assists.
    const two = assessDuties(index, "楼上每晚唱K好吵。另外公司欠我三个月工资。");
    expect(assistingDepartments("gaj", two, []).map((entry) => entry.code)).toEqual(["rsj"]);
    // A joint emergency item brings its other departments.
    expect(
      assistingDepartments("gaj", noise, [{ name: "燃气泄漏", departments: ["gaj", "cgj"] }]).map(
        (entry) => entry.code,
      ),
    ).toEqual(["cgj"]);
  });

  it("checks the file: missing departments, unknown codes, boundaries against itself", () => {
    const issues = checkDuties(
      {
        ...mini,
        departments: [
          ...mini.departments,
          {
            code: "zzz",
            handles: ["?"],
            matters: [],
            boundaries: [{ against: "zzz", rule: "x", cues: [] }],
            examples: ["?"],
          },
        ],
      },
      new Set(["gaj", "cgj", "sfj", "rsj", "jcq", "ydq", "mzj"]),
    ).map((issue) => issue.message);
    expect(issues).toContain("department mzj has no duties");
    expect(issues).toContain("unknown department code zzz");
    expect(issues).toContain("zzz: a boundary against itself");
  });
});

describe("knowledge/duties.yaml", () => {
  const { bundle, issues } = loadKnowledge("knowledge");
  const index = bundle.duties ? buildDutyIndex(bundle.duties) : null;

  it("is valid and lists every department of the catalogue", () => {
    expect(issues.filter((issue) => issue.file === "duties.yaml")).toEqual([]);
    expect(bundle.duties).not.toBeNull();
    const codes = new Set(bundle.departments.map((department) => department.code));
    expect(checkDuties(bundle.duties as Duties, codes)).toEqual([]);
  });

  it.each([
    ["江城区南恩街道楼上邻居每晚半夜唱K，吵得睡不着", "gaj"],
    ["阳东区东城镇旁边工地半夜还在打桩，吵到睡不着", "cgj"],
    ["阳春市春城街道楼下新开的烧烤店油烟直排，熏到我家", "cgj"],
    ["阳西县织篢镇附近工厂晚上机器轰隆隆响", "sthjj"],
  ])("the written boundaries send %s to %s", (text, code) => {
    if (!index) throw new Error("no duties");
    expect(topOf(assessDuties(index, text).distribution)).toBe(code);
  });
});
