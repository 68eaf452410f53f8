import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppDeps } from "#api/env";
import { SuggestResponseSchema } from "#api/schemas/suggest";
import { importCases } from "#services/import-cases";
import { trainClassifier } from "#services/train-classifier";
import { fixtureCases } from "../../fixtures/cases";
import { DATABASE_KINDS, type openTestDatabase } from "../../helpers/databases";
import { FixedClock } from "../../helpers/fakes";
import { openFixtureApp } from "../../helpers/fixture-app";
import type { client, TestKeys } from "../../helpers/keys";
import { MemoryClassifierStore } from "../../helpers/test-app";

const SMALL_TRAINING = { internalFolds: 2, minExamplesPerHead: 10 };

describe.each(DATABASE_KINDS)("suggest on %s", (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let deps: AppDeps;
  let keys: TestKeys;
  let call: ReturnType<typeof client>;

  beforeAll(async () => {
    ({ database, deps, keys, call } = await openFixtureApp(kind, {
      clock: new FixedClock(new Date("2026-09-30T16:00:00+08:00")),
      classifiers: new MemoryClassifierStore(),
    }));
    await importCases({ deps, input: { rows: fixtureCases(), source: "seed" }, actor: { name: "test" } });
    await trainClassifier({ deps, actor: { name: "test" }, options: SMALL_TRAINING });
  });
  afterAll(async () => {
    await database.drop();
  });

  it("returns the full documented shape, with calibrated confidences and reasons", async () => {
    const response = await call("POST", "/v1/suggest", keys.agent, {
      text: "阳江市区有个工厂拖欠工人工资三个月，老板电话打不通，我电话13812345678",
      channel: "phone",
      receivedAt: "2026-09-30T16:00:00+08:00",
    });
    expect(response.status, response.text).toBe(200);
    const parsed = SuggestResponseSchema.safeParse(response.body);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    const body = parsed.data;
    if (!body) throw new Error("unreachable");
    expect(body.modelVersion).not.toBe("untrained");
    expect(body.departments[0]).toMatchObject({ code: "rsj", role: "lead" });
    expect(body.departments[0]?.reasons.length).toBeGreaterThan(0);
    expect(body.category[0]?.path).toEqual(["劳动和社会保障", "工资福利", "拖欠工资"]);
    expect(body.type[0]?.label).toBe("投诉");
    for (const entry of [...body.category, ...body.type, ...body.departments]) {
      expect(entry.confidence).toBeGreaterThanOrEqual(0);
      expect(entry.confidence).toBeLessThanOrEqual(1);
    }
    expect(body.scripts[0]?.id).toBe("labor-wage-arrears");
    expect(body.similarCases.length).toBeGreaterThan(0);
    expect(body.deadlines.rule).toBe("standard");
    // The phone number never reaches storage.
    const stored = await deps.suggestions.get(body.id);
    expect(stored?.text).toContain("[手机号]");
    expect(stored?.text).not.toContain("13812345678");
  });

  it("applies the 2135 rule to a business caller and the emergency list to an emergency", async () => {
    const business = await call("POST", "/v1/suggest", keys.agent, {
      text: "我司想咨询员工社保卡批量办理",
      callerType: "business",
      receivedAt: "2026-09-30T16:00:00+08:00",
    });
    expect(business.status).toBe(200);
    const body = business.body as {
      marketEntity: { flag: boolean };
      deadlines: { rule: string; respondBy: string; completeBy: string };
    };
    expect(body.marketEntity.flag).toBe(true);
    expect(body.deadlines.rule).toBe("2135");
    expect(body.deadlines.respondBy).toBe("2026-09-30T10:00:00.000Z");
    // 咨询: 1 working day after 30 Sep 2026 is 8 Oct (1–7 Oct are the National Day holiday).
    expect(body.deadlines.completeBy).toBe("2026-10-08T09:30:00.000Z");
  });

  it("says when a deadline crosses into a year without holiday data (2027)", async () => {
    const inside = await call("POST", "/v1/suggest", keys.agent, {
      text: "我司想咨询员工社保卡批量办理",
      callerType: "business",
      receivedAt: "2026-09-30T16:00:00+08:00",
    });
    expect((inside.body as { deadlines: { warnings: string[] } }).deadlines.warnings).toEqual([]);
    const across = await call("POST", "/v1/suggest", keys.agent, {
      text: "我司投诉供电公司多次无故停电影响生产",
      callerType: "business",
      receivedAt: "2026-12-30T10:00:00+08:00",
    });
    expect(across.status).toBe(200);
    const body = across.body as { deadlines: { rule: string; warnings: string[] } };
    expect(body.deadlines.warnings).toContain("calendar-not-covered:2027");
  });

  it("rejects bad input with 400 in the one error shape", async () => {
    for (const body of [
      {},
      { text: "" },
      { text: "x".repeat(5001) },
      { text: "ok", channel: "fax" },
      { text: "ok", extra: 1 },
    ]) {
      const response = await call("POST", "/v1/suggest", keys.agent, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error?.code).toBe("BAD_REQUEST");
    }
    expect((await call("POST", "/v1/suggest", keys.editor, { text: "欠薪" })).status).toBe(403);
    expect((await call("POST", "/v1/suggest", null, { text: "欠薪" })).status).toBe(401);
  });

  it("learns from an agent's correction: feedback → retrain → the same text gets the corrected department", async () => {
    const text = "市场门口好多走鬼乱摆卖，堵住人行道";
    const first = await call("POST", "/v1/suggest", keys.agent, { text });
    const before = first.body as { id: string; departments: { code: string }[] };
    expect(before.departments[0]?.code).toBe("cgj");

    const feedback = await call("POST", `/v1/suggestions/${before.id}/feedback`, keys.agent, {
      finalDepartments: ["zjj"],
      finalCategory: ["城乡建设", "物业管理", "物业收费"],
      finalType: "投诉",
    });
    expect(feedback.status, feedback.text).toBe(201);
    expect(feedback.body).toMatchObject({ caseId: `feedback-${before.id}` });

    await trainClassifier({ deps, actor: { name: "test" }, options: SMALL_TRAINING });
    const second = await call("POST", "/v1/suggest", keys.agent, { text });
    const after = second.body as { departments: { code: string }[]; type: { label: string }[] };
    expect(after.departments[0]?.code).toBe("zjj");
    expect(after.type[0]?.label).toBe("投诉");
  });

  it("records 退单/改派 and refuses unknown departments", async () => {
    const suggestion = (await call("POST", "/v1/suggest", keys.agent, { text: "物业乱收停车费" })).body as {
      id: string;
    };
    const event = await call("POST", "/v1/dispatch-events", keys.agent, {
      suggestionId: suggestion.id,
      kind: "reassigned",
      fromDepartment: "zjj",
      toDepartment: "cgj",
      reason: "属于占道停车管理",
    });
    expect(event.status, event.text).toBe(201);
    const disputes = await deps.suggestions.disputeCounts();
    expect(disputes).toEqual(
      expect.arrayContaining([{ fromDepartment: "zjj", toDepartment: "cgj", kind: "reassigned", count: 1 }]),
    );
    const bad = await call("POST", "/v1/dispatch-events", keys.agent, {
      kind: "returned",
      fromDepartment: "nope",
      reason: "x",
    });
    expect(bad.status).toBe(422);
  });

  it("reports each line's problems and imports nothing from a bad file", async () => {
    const before = await deps.cases.count();
    await expect(
      importCases({
        deps,
        input: {
          rows: [
            { text: "正常的一行", department: "rsj", type: "咨询" },
            { text: "", department: "rsj" },
            { text: "未知部门", department: "nope" },
            { text: "多余字段", colour: "red" },
          ],
          source: "import",
        },
        actor: { name: "test" },
      }),
    ).rejects.toMatchObject({
      details: {
        errors: expect.arrayContaining([
          expect.objectContaining({ line: 2, field: "text" }),
          expect.objectContaining({ line: 3, field: "department" }),
          expect.objectContaining({ line: 4 }),
        ]),
      },
    });
    expect(await deps.cases.count()).toBe(before);
  });
});
