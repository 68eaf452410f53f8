import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppDeps } from "#api/env";
import { SuggestResponseSchema } from "#api/schemas/suggest";
import { automationLevel, automationThresholds } from "#domain/classifier/automation";
import { DutiesSchema } from "#domain/knowledge/duties";
import type { Department, KnowledgeBundle } from "#domain/knowledge/schema";
import { importCases } from "#services/import-cases";
import { syncKnowledge } from "#services/sync-knowledge";
import { trainClassifier } from "#services/train-classifier";
import { createApp } from "../../../src/app";
import { fixtureCases } from "../../fixtures/cases";
import { fixtureBundle } from "../../fixtures/knowledge-bundle";
import { DATABASE_KINDS, openTestDatabase } from "../../helpers/databases";
import { FixedClock } from "../../helpers/fakes";
import { buildIntegrationDeps } from "../../helpers/integration-deps";
import { client, createTestKeys, type TestKeys } from "../../helpers/keys";
import { MemoryClassifierStore } from "../../helpers/test-app";

const SMALL_TRAINING = { internalFolds: 2, minExamplesPerHead: 10 };

function department(code: string, name: string, fields: Partial<Department>): Department {
  return {
    code,
    name,
    aliases: [],
    level: "市直",
    district: "全市",
    duties: [],
    keywords: [],
    examples: ["示例"],
    validFrom: "2020-01-01",
    validTo: null,
    ...fields,
  };
}

/** The fixture knowledge plus 公安, 司法 and 江城区, with a small 权责清单. */
function bundleWithDuties(): KnowledgeBundle {
  const bundle = fixtureBundle();
  return {
    ...bundle,
    departments: [
      ...bundle.departments,
      department("gaj", "阳江市公安局", { aliases: ["派出所"], keywords: ["身份证"] }),
      department("sfj", "阳江市司法局", { keywords: ["法律援助"] }),
      // The catalogue names the district's places: naming one must still not make it lead.
      department("jcq", "江城区人民政府", {
        level: "县区",
        district: "jcq",
        aliases: ["江城区", "南恩街道"],
        keywords: ["江城区", "南恩", "居委会", "社区"],
        duties: ["属地管理"],
      }),
    ],
    duties: DutiesSchema.parse({
      local: {
        codes: ["jcq"],
        fallbackBelow: 0.3,
        places: { jcq: ["江城区", "南恩街道"] },
        ownWork: { handles: "街道、社区自身的工作", cues: ["居委会|街道办 + 拖|不办|不给开"] },
        matters: [
          {
            name: "邻里纠纷",
            handles: "镇街调处",
            cues: ["邻居 + 堆|占"],
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
              handles: "公安处理住宅区内的生活噪声",
              cues: ["邻居|楼上 + 吵|唱K"],
              unless: ["工地"],
            },
          ],
          examples: ["楼上每晚唱K"],
        },
        { code: "rsj", handles: ["欠薪"], examples: ["欠薪"] },
        { code: "zjj", handles: ["物业"], examples: ["物业"] },
        { code: "cgj", handles: ["占道"], examples: ["走鬼"] },
        { code: "sfj", handles: ["人民调解"], examples: ["调解"] },
        { code: "jcq", handles: ["属地"], examples: ["江城区"] },
      ],
    }),
  };
}

type Body = ReturnType<typeof SuggestResponseSchema.parse>;

describe.each(DATABASE_KINDS)("departments from duties, automation levels on %s", (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let deps: AppDeps;
  let keys: TestKeys;
  let call: ReturnType<typeof client>;

  const suggest = async (text: string): Promise<Body> => {
    const response = await call("POST", "/v1/suggest", keys.agent, { text });
    expect(response.status, response.text).toBe(200);
    const parsed = SuggestResponseSchema.safeParse(response.body);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    return parsed.data as Body;
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const bundle = bundleWithDuties();
    deps = buildIntegrationDeps(database, bundle, {
      clock: new FixedClock(new Date("2026-09-30T16:00:00+08:00")),
      classifiers: new MemoryClassifierStore(),
    });
    await syncKnowledge({ deps, input: { bundle } });
    keys = await createTestKeys(deps);
    call = client(createApp(deps));
  });
  afterAll(async () => {
    await database.drop();
  });

  it("untrained, every head reports a band and stays at automation `suggest`", async () => {
    const body = await suggest("公司拖欠工资三个月了");
    expect(body.modelVersion).toBe("untrained");
    const levels = [
      body.category[0]?.automation,
      body.type[0]?.automation,
      body.departments[0]?.automation,
      body.urgent.automation,
      body.marketEntity.automation,
    ];
    expect(levels).toEqual(["suggest", "suggest", "suggest", "suggest", "suggest"]);
    expect(["high", "medium", "low"]).toContain(body.urgent.band);
    expect(["high", "medium", "low"]).toContain(body.marketEntity.band);
  });

  it("a call that names a place but raises a 公安 duty is led by 公安, not the district", async () => {
    const body = await suggest("江城区南恩街道我楼上邻居每晚半夜唱K，吵得睡不着");
    const lead = body.departments.find((entry) => entry.role === "lead");
    expect(lead?.code, JSON.stringify(body.departments)).toBe("gaj");
    expect(lead?.reasons.join("；")).toContain("权责清单「社会生活噪声」");
    // Nothing in the call needs a second department.
    expect(body.departments.filter((entry) => entry.role === "assist")).toEqual([]);
  });

  it("a complaint about the 居委会's own work is led by the district; a 邻里纠纷 brings 司法 as 协办", async () => {
    const own = await suggest("南恩街道居委会开个证明一直拖着不办");
    expect(own.departments.find((entry) => entry.role === "lead")?.code).toBe("jcq");
    const dispute = await suggest("江城区邻居在我家门口堆满杂物，讲了几次都不听");
    expect(dispute.departments.find((entry) => entry.role === "lead")?.code).toBe("jcq");
    const assist = dispute.departments.filter((entry) => entry.role === "assist");
    expect(assist.map((entry) => entry.code)).toEqual(["sfj"]);
    expect(assist[0]?.reasons[0]).toContain("人民调解");
  });

  it("trained, the artifact carries each head's precision–coverage curve and the served levels follow it", async () => {
    await importCases({ deps, input: { rows: fixtureCases(), source: "seed" }, actor: { name: "test" } });
    await trainClassifier({ deps, actor: { name: "test" }, options: SMALL_TRAINING });
    const artifact = await deps.classifiers.current();
    const calibration = artifact?.model.heads.department?.calibration;
    expect(calibration?.curve.length).toBeGreaterThan(0);
    expect(calibration?.heldOut).toBeGreaterThan(0);

    const body = await suggest("公司拖欠工资三个月了，老板电话也不接");
    const lead = body.departments.find((entry) => entry.role === "lead");
    if (!lead) throw new Error("no lead");
    const targets = deps.suggest.rules.automation ?? { autoFill: 0.95, preselect: 0.85 };
    expect(lead.automation).toBe(
      automationLevel(lead.confidence, automationThresholds(calibration, targets)),
    );
  });

  it("imports 协办 (assistingDepartments) with a case and refuses unknown codes", async () => {
    await importCases({
      deps,
      input: {
        rows: [
          {
            id: "assist-1",
            text: "江城区邻居堆杂物占通道，调解不成",
            department: "jcq",
            assistingDepartments: ["sfj"],
          },
        ],
        source: "import",
      },
      actor: { name: "test" },
    });
    const stored = (await deps.cases.all()).find((item) => item.id === "assist-1");
    expect(stored?.assistingDepartments).toEqual(["sfj"]);
    await expect(
      importCases({
        deps,
        input: {
          rows: [{ text: "某事", department: "jcq", assistingDepartments: ["nope"] }],
          source: "import",
        },
        actor: { name: "test" },
      }),
    ).rejects.toThrow(/invalid/);
  });
});
