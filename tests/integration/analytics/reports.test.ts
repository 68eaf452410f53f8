import { randomUUID } from "node:crypto";
import type { z } from "@hono/zod-openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppDeps } from "#api/env";
import type {
  AgentBoardSchema,
  DailyReportSchema,
  DepartmentBoardSchema,
  TopicReportSchema,
} from "#api/schemas/reports";
import { createPrometheusTelemetry } from "#infra/telemetry";
import { recordRequestSignal } from "#services/analytics";
import { ingestWorkOrderEvents } from "#services/work-orders";
import { DATABASE_KINDS, type openTestDatabase } from "../../helpers/databases";
import { FakeEmbedder, FixedClock } from "../../helpers/fakes";
import { openFixtureApp } from "../../helpers/fixture-app";
import type { client, TestKeys } from "../../helpers/keys";
import { MemoryClassifierStore } from "../../helpers/test-app";

/** The report's day; the clock stands at its evening, so open orders are taken at 18:00. */
const NOW = new Date("2026-11-30T18:00:00+08:00");
const at = (time: string, day = "2026-11-30") => `${day}T${time}:00+08:00`;

const FUMES = [
  "江城区魅力之城小区临街的烧烤店油烟直排，熏得我家窗户都不敢开，电话13812345678",
  "魅力之城小区楼下烧烤店油烟很大，晚上还很吵，希望管一管",
  "我住魅力之城小区，临街烧烤店的油烟直排进楼道，老人孩子受不了",
];

/** One direction per problem (as a real model would), plus each text's own small deviation. */
class ProblemEmbedder extends FakeEmbedder {
  override vectorOf(text: string): Float32Array {
    const own = super.vectorOf(text);
    const direction = /油烟/.test(text) ? 0 : /燃气/.test(text) ? 1 : 2;
    const vector = own.map((value) => value * 0.25);
    vector[direction] = (vector[direction] ?? 0) + 1;
    const norm = Math.hypot(...vector);
    return vector.map((value) => value / norm);
  }
}

interface SpikeAlert {
  kind: string;
  id: string;
  dimension: string;
  value: string;
  label: string;
  count: number;
  usual: number;
  previous: number[];
  basis: string;
  crisis: { name: string; linkedBy: string } | null;
}

describe.each(DATABASE_KINDS)("reports, boards and spike alerts on %s", (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let deps: AppDeps;
  let keys: TestKeys;
  let call: ReturnType<typeof client>;
  let departments: [string, string, string];
  let category: string[];
  const clock = new FixedClock(NOW);

  /** A stored suggestion with the heads and deadline the console showed. */
  async function suggestion(heads: { completeBy: string; rule: string; urgent: boolean }): Promise<string> {
    const id = randomUUID();
    await deps.suggestions.insert({
      id,
      createdAt: new Date(at("08:00")),
      text: "测试",
      request: {},
      result: {
        category: [{ path: category, band: "high", confidence: 0.9 }],
        type: [{ label: "投诉", band: "high", confidence: 0.9 }],
        departments: [{ code: departments[0], band: "high", confidence: 0.9, role: "lead", reasons: [] }],
        urgent: { flag: heads.urgent, confidence: 0.9 },
        marketEntity: { flag: heads.rule === "2135", confidence: 0.9 },
        deadlines: { rule: heads.rule, completeBy: heads.completeBy, respondBy: heads.completeBy },
      },
      modelVersion: "test",
      actor: "agent-b",
      actorKeyId: null,
    });
    return id;
  }

  beforeAll(async () => {
    ({ database, deps, keys, call } = await openFixtureApp(kind, {
      clock,
      classifiers: new MemoryClassifierStore(),
      embedder: new ProblemEmbedder(),
      telemetry: createPrometheusTelemetry(),
    }));
    const codes = [...deps.suggest.departmentNames.keys()];
    departments = [codes[0] ?? "", codes[1] ?? "", codes[2] ?? ""];
    category = [...(deps.suggest.categoryPaths[0] ?? [])];
    const [d1, d2, d3] = departments;

    // Three calls about the same fumes (they become a hot topic), then the agent's feedback.
    const served: { id: string; type: { label: string }[]; scripts: { id: string }[] }[] = [];
    for (const text of FUMES) {
      const response = await call("POST", "/v1/suggest", keys.agent, { text, channel: "phone" });
      expect(response.status, response.text).toBe(200);
      served.push(response.body as unknown as (typeof served)[number]);
    }
    clock.set(new Date(NOW.getTime() + 30_000));
    const [first, second] = served;
    const confirmed = await call("POST", `/v1/suggestions/${first?.id}/feedback`, keys.agent, {
      finalType: first?.type[0]?.label,
      confirmed: ["type"],
      acceptedScriptIds: first?.scripts.slice(0, 1).map((script) => script.id),
    });
    expect(confirmed.status, confirmed.text).toBe(201);
    const corrected = await call("POST", `/v1/suggestions/${second?.id}/feedback`, keys.agent, {
      finalType: second?.type[0]?.label === "建议" ? "投诉" : "建议",
      confirmed: ["type"],
    });
    expect(corrected.status, corrected.text).toBe(201);
    clock.set(NOW);

    // Gas calls to one department in the last day, none in the four weeks before: a spike.
    for (let index = 0; index < 6; index += 1) {
      await recordRequestSignal({
        deps,
        input: {
          source: "suggestion",
          sourceId: `gas-${index}`,
          at: new Date(NOW.getTime() - (index + 1) * 3_600_000),
          text: `阳东区燃气管道漏气第${index}处`,
          embedding: (await deps.embedder.embed([`燃气${index}`]))[0] as Float32Array,
          department: d1,
          category: category.slice(0, 2),
        },
      });
    }
    const update = await call("POST", "/v1/analytics/hot-topics/update", keys.evaluator);
    expect(update.status, update.text).toBe(200);

    const s1 = await suggestion({ rule: "2135", completeBy: at("12:00"), urgent: false });
    const s2 = await suggestion({ rule: "2135", completeBy: at("09:00", "2026-12-01"), urgent: true });
    const s3 = await suggestion({ rule: "standard", completeBy: at("15:00"), urgent: false });
    const created = (
      orderId: string,
      time: string,
      channel: string,
      suggestionId: string,
      district?: string,
    ) => ({
      eventId: `${orderId}-c`,
      orderId,
      kind: "created",
      receivedAt: at(time),
      channel,
      text: `${orderId} 的诉求，联系电话13900001111`,
      callerType: "business",
      suggestionId,
      ...(district ? { district } : {}),
    });
    const report = await ingestWorkOrderEvents({
      deps,
      actor: { name: "test-platform" },
      input: {
        events: [
          created("O1", "09:00", "phone", s1, "江城区"),
          {
            eventId: "O1-d",
            orderId: "O1",
            kind: "dispatched",
            at: at("09:10"),
            departments: [{ code: d1, role: "主办" }],
          },
          {
            eventId: "O1-r",
            orderId: "O1",
            kind: "returned",
            at: at("10:00"),
            department: d1,
            reason: "不属于本部门职责",
          },
          {
            eventId: "O1-d2",
            orderId: "O1",
            kind: "dispatched",
            at: at("10:30"),
            departments: [{ code: d2, role: "主办" }],
          },
          created("O2", "10:00", "web", s2, "阳东区"),
          {
            eventId: "O2-d",
            orderId: "O2",
            kind: "dispatched",
            at: at("10:10"),
            departments: [{ code: d2, role: "主办" }],
          },
          {
            eventId: "O2-x",
            orderId: "O2",
            kind: "reassigned",
            at: at("11:00"),
            from: d2,
            to: d3,
            reason: "改由属地处理",
          },
          created("O3", "11:00", "phone", s3),
          {
            eventId: "O3-z",
            orderId: "O3",
            kind: "closed",
            at: at("16:00"),
            category,
            type: "投诉",
            urgent: false,
            marketEntity: false,
            departments: [{ code: d3, role: "主办" }],
            result: "已处理",
          },
          { ...created("O4", "09:00", "phone", s3), receivedAt: at("09:00", "2026-11-29") },
        ],
      },
    });
    expect(report.rejected, JSON.stringify(report.results)).toBe(0);
  });
  afterAll(async () => {
    await database.drop();
  });

  it("reports the day: volumes, 2135 overdue and near due, urgent requests, 退单/改派, hot topics and spikes", async () => {
    const [d1, d2, d3] = departments;
    const response = await call("GET", "/v1/reports/daily?date=2026-11-30", keys.evaluator);
    expect(response.status, response.text).toBe(200);
    const report = response.body as unknown as z.infer<typeof DailyReportSchema>;
    expect(report.volume.orders).toBe(3);
    expect(report.volume.suggestions).toBe(6);
    expect(report.volume.byChannel).toEqual([
      { key: "phone", label: "电话", count: 2 },
      { key: "web", label: "网站", count: 1 },
    ]);
    expect(report.volume.byDistrict.map((row: { key: string }) => row.key).sort()).toEqual([
      "江城区",
      "阳东区",
    ]);
    expect(report.volume.byDepartment).toContainEqual({
      key: d3,
      label: deps.suggest.departmentNames.get(d3),
      count: 2,
    });
    expect(report.business2135.overdue.map((item: { orderId: string }) => item.orderId)).toEqual(["O1"]);
    expect(report.business2135.overdue[0]).toMatchObject({ hours: 6, department: d2 });
    expect(report.business2135.overdue[0]?.summary).not.toContain("13900001111");
    expect(report.business2135.nearDue.map((item: { orderId: string }) => item.orderId)).toEqual(["O2"]);
    expect(report.business2135.nearDue[0]?.hours).toBe(15);
    expect(
      report.urgent
        .filter((item: { source: string }) => item.source === "order")
        .map((item: { id: string }) => item.id),
    ).toEqual(["O2"]);
    expect(report.disputes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ department: d1, returned: 1, reassignedAway: 0 }),
        expect.objectContaining({
          department: d2,
          returned: 0,
          reassignedAway: 1,
          pairs: [{ from: d2, to: d3, count: 1, toName: deps.suggest.departmentNames.get(d3) }],
        }),
        expect.objectContaining({ department: d3, reassignedTo: 1 }),
      ]),
    );
    // The six gas calls are a topic too; the fumes one is the second.
    expect(report.hotTopics.map((topic: { count: number }) => topic.count)).toEqual([6, 3]);
    expect(report.hotTopics[1]?.label).toContain("魅力之城小区");
    expect(report.spikes).toContainEqual(
      expect.objectContaining({ kind: "spike", dimension: "department", value: d1, count: 6 }),
    );
  });

  it("refuses days to come, bad dates and roles that do not read analytics", async () => {
    expect((await call("GET", "/v1/reports/daily?date=2026-12-01", keys.evaluator)).status).toBe(400);
    expect((await call("GET", "/v1/reports/daily?date=2026-02-30", keys.evaluator)).status).toBe(400);
    expect((await call("GET", "/v1/reports/daily?date=2026-11-30", keys.agent)).status).toBe(403);
    expect((await call("GET", "/v1/reports/daily?date=2026-11-30", keys.reviewer)).status).toBe(403);
  });

  it("drafts a 专报 for a hot topic from its facts, with blanks for what a person must write", async () => {
    const daily = (await call("GET", "/v1/reports/daily?date=2026-11-30", keys.evaluator))
      .body as unknown as {
      hotTopics: { id: string; label: string }[];
    };
    const topicId = daily.hotTopics.find((topic) => topic.label.includes("魅力之城小区"))?.id ?? "";
    const response = await call("GET", `/v1/reports/topics/${topicId}`, keys.evaluator);
    expect(response.status, response.text).toBe(200);
    const topic = response.body as unknown as z.infer<typeof TopicReportSchema>;
    expect(topic).toMatchObject({ id: topicId, count: 3, places: ["魅力之城小区"] });
    expect(topic.keywords).toContain("油烟");
    expect(topic.perDay).toEqual([{ key: "2026-11-30", count: 3 }]);
    expect(topic.examples).toHaveLength(3);
    expect(JSON.stringify(topic)).not.toContain("13812345678");
    const draft = topic.draft as { title: string; sections: { heading: string; text: string }[] };
    expect(draft.title).toContain("魅力之城小区");
    expect(draft.sections.map((section) => section.heading)).toEqual([
      "一、基本情况",
      "二、主要诉求",
      "三、办理情况",
      "四、原因分析",
      "五、工作建议",
    ]);
    expect(draft.sections[0]?.text).toContain("3件");
    expect(draft.sections[3]?.text).toMatch(/^【待填写：.+】$/);
    expect(draft.sections[4]?.text).toMatch(/^【待填写：.+】$/);
    expect((await call("GET", "/v1/reports/topics/topic-none", keys.evaluator)).status).toBe(404);
  });

  it("boards the month per agent (admins only) and per department", async () => {
    const [d1, d2, d3] = departments;
    const agents = await call("GET", "/v1/analytics/boards/agents?month=2026-11", keys.admin);
    expect(agents.status, agents.text).toBe(200);
    const rows = (agents.body as unknown as z.infer<typeof AgentBoardSchema>).agents;
    const agent = rows.find((row) => row.agent === "test-agent");
    expect(agent).toMatchObject({
      suggestions: 3,
      withFeedback: 2,
      accepted: 1,
      acceptance: 0.5,
      corrections: { category: 0, departments: 0, type: 1 },
      avgHandlingSeconds: 30,
    });
    expect(rows.find((row) => row.agent === "agent-b")).toMatchObject({
      suggestions: 3,
      withFeedback: 0,
      acceptance: null,
    });
    expect((await call("GET", "/v1/analytics/boards/agents?month=2026-11", keys.evaluator)).status).toBe(403);
    expect((await call("GET", "/v1/analytics/boards/agents?month=2026-13", keys.admin)).status).toBe(400);

    const board = await call("GET", "/v1/analytics/boards/departments?month=2026-11", keys.evaluator);
    expect(board.status, board.text).toBe(200);
    const byCode = new Map(
      (board.body as unknown as z.infer<typeof DepartmentBoardSchema>).departments.map((row) => [
        row.department,
        row,
      ]),
    );
    expect(byCode.get(d1)).toMatchObject({ received: 1, returned: 1, returnRate: 1 });
    expect(byCode.get(d2)).toMatchObject({ received: 2, returned: 0, returnRate: 0, reassignedAway: 1 });
    expect(byCode.get(d3)).toMatchObject({
      received: 1,
      closedWithDeadline: 1,
      closedOverdue: 1,
      overdueRate: 1,
    });
    const october = await call("GET", "/v1/analytics/boards/departments?month=2026-10", keys.evaluator);
    expect((october.body as unknown as { departments: unknown[] }).departments).toEqual([]);
  });

  it("lists spike alerts beside the accuracy alerts, on /metrics too, and links one to a crisis (audited)", async () => {
    const [d1] = departments;
    const response = await call("GET", "/v1/analytics/alerts", keys.evaluator);
    expect(response.status, response.text).toBe(200);
    const body = response.body as unknown as {
      alerts: unknown[];
      spikeAlerts: SpikeAlert[];
      settings: unknown;
    };
    expect(body.settings).toBeDefined();
    const alert = body.spikeAlerts.find((item) => item.dimension === "department" && item.value === d1);
    expect(alert).toMatchObject({
      kind: "spike",
      count: 6,
      usual: 0,
      previous: [0, 0, 0, 0],
      label: deps.suggest.departmentNames.get(d1),
      crisis: null,
    });
    expect(alert?.basis).toContain("周一 18:00");
    const metrics = (await deps.telemetry.render()).body;
    expect(metrics).toMatch(/hotline_spike_alerts\{dimension="department"\} 1\b/);
    expect(metrics).toMatch(/hotline_spike_alerts\{dimension="topic"\} \d/);

    const refused = await call("POST", `/v1/analytics/alerts/${alert?.id}/crisis`, keys.evaluator, {
      reason: "x",
    });
    expect(refused.status).toBe(403);
    // No crisis in force and none declared: nothing to link to.
    const nothing = await call("POST", `/v1/analytics/alerts/${alert?.id}/crisis`, keys.admin, {
      reason: "燃气报修激增",
    });
    expect(nothing.status, nothing.text).toBe(409);
    const unknown = await call("POST", "/v1/analytics/alerts/spike-none/crisis", keys.admin, {
      reason: "燃气报修激增",
    });
    expect(unknown.status).toBe(404);

    const linked = await call("POST", `/v1/analytics/alerts/${alert?.id}/crisis`, keys.admin, {
      reason: "燃气管网故障，报修激增",
      declare: { name: "燃气管网故障", keywords: ["燃气"] },
    });
    expect(linked.status, linked.text).toBe(200);
    expect((await call("GET", "/v1/crisis", keys.agent)).body).toMatchObject({
      active: true,
      crisis: { name: "燃气管网故障", keywords: ["燃气"] },
    });
    const again = (await call("GET", "/v1/analytics/alerts", keys.evaluator)).body as unknown as {
      spikeAlerts: SpikeAlert[];
    };
    expect(again.spikeAlerts.find((item) => item.id === alert?.id)?.crisis).toMatchObject({
      name: "燃气管网故障",
      linkedBy: "test-admin",
    });
    const audit = await deps.audit.list({
      entityType: "analytics-alert",
      entityId: alert?.id ?? "",
      limit: 5,
    });
    expect(audit.map((entry) => entry.action)).toEqual(["analytics.alert-crisis"]);
    expect(
      (await deps.audit.list({ entityType: "crisis", limit: 5 })).map((entry) => entry.action),
    ).toContain("crisis.declare");
  });
});
