import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createApiKey } from "#services/access";
import { DATABASE_KINDS } from "../../helpers/databases";
import { FixedClock } from "../../helpers/fakes";
import { useFixtureApp } from "../../helpers/fixture-app";

type Fixture = ReturnType<typeof useFixtureApp>;
type Result = { status: string; orderStatus?: string; error?: { code: string; message: string } };
type Report = { stored: number; duplicates: number; rejected: number; results: Result[] };

const PHONE = "13812345678";
// After every fixture order: the alert looks at the weeks up to "now".
const NOW = new Date("2026-03-12T12:00:00+08:00");

async function integrationKey(fixture: Fixture): Promise<string> {
  return (
    await createApiKey({
      deps: fixture.deps,
      input: { name: `platform-${randomUUID()}`, role: "integration" },
      actor: "test",
    })
  ).key;
}

async function post(fixture: Fixture, key: string, events: unknown[]): Promise<Report> {
  const response = await fixture.call("POST", "/v1/work-orders/events", key, { events });
  expect(response.status, response.text).toBe(200);
  return response.body as unknown as Report;
}

function paths(fixture: Fixture) {
  const [p1, p2, p3] = fixture.deps.suggest.categoryPaths;
  if (!p1 || !p2 || !p3) throw new Error("the fixture needs three category paths");
  return [[...p1], [...p2], [...p3]] as [string[], string[], string[]];
}

/** The lifecycle of one order, each event with its own id. */
function lifecycle(orderId: string, category: string[], suggestionId?: string) {
  return {
    created: {
      eventId: `${orderId}-c`,
      orderId,
      kind: "created",
      receivedAt: "2026-03-02T09:00:00+08:00",
      channel: "phone",
      text: `市民来电（电话${PHONE}）反映小区物业乱收停车费`,
      callerType: "person",
      ...(suggestionId ? { suggestionId } : {}),
    },
    dispatched: {
      eventId: `${orderId}-d`,
      orderId,
      kind: "dispatched",
      at: "2026-03-02T09:20:00+08:00",
      departments: [
        { code: "zjj", role: "主办" },
        { code: "cgj", role: "协办" },
      ],
    },
    returned: {
      eventId: `${orderId}-r`,
      orderId,
      kind: "returned",
      at: "2026-03-02T15:00:00+08:00",
      department: "cgj",
      reason: `非本部门职责，联系人电话${PHONE}`,
    },
    closed: {
      eventId: `${orderId}-x`,
      orderId,
      kind: "closed",
      at: "2026-03-05T10:00:00+08:00",
      category,
      type: "投诉",
      urgent: false,
      marketEntity: false,
      departments: [{ code: "zjj", role: "主办" }],
      result: "已责令物业公示收费标准",
    },
    rated: {
      eventId: `${orderId}-s`,
      orderId,
      kind: "rated",
      at: "2026-03-06T10:00:00+08:00",
      satisfaction: "满意",
    },
  };
}

async function getOrder(fixture: Fixture, orderId: string) {
  const response = await fixture.call("GET", `/v1/work-orders/${orderId}`, fixture.keys.evaluator);
  expect(response.status, response.text).toBe(200);
  return response.body as unknown as {
    order: { status: string; satisfaction: { level: string } | null; departments: { code: string }[] };
    labels: {
      category: { value: string[]; source: string } | null;
      type: { value: string; source: string } | null;
      departments: { value: string[]; source: string } | null;
      rejectedDepartments: string[];
    };
    events: { kind: string; eventId: string }[];
    feedback: Record<string, unknown> | null;
  };
}

async function caseOf(fixture: Fixture, id: string) {
  return (await fixture.deps.cases.all()).find((row) => row.id === id);
}

describe.each(DATABASE_KINDS)("work-order events on %s (#15)", (kind) => {
  const fixture = useFixtureApp(kind, { clock: new FixedClock(NOW) });

  it("a full lifecycle: created → dispatched → 退单 → closed → rated becomes a labelled case from the final values", async () => {
    const key = await integrationKey(fixture);
    const suggested = await fixture.call("POST", "/v1/suggest", fixture.keys.agent, {
      text: "小区物业乱收停车费",
    });
    expect(suggested.status, suggested.text).toBe(200);
    const suggestionId = (suggested.body as { id: string }).id;
    const [p1] = paths(fixture);
    const events = lifecycle("L-1", p1, suggestionId);
    const report = await post(fixture, key, [
      events.created,
      events.dispatched,
      events.returned,
      events.closed,
      events.rated,
    ]);
    expect(report, JSON.stringify(report)).toMatchObject({ stored: 5, duplicates: 0, rejected: 0 });
    expect(report.results.map((result) => result.orderStatus)).toEqual([
      "open",
      "dispatched",
      "dispatched",
      "closed",
      "closed",
    ]);

    const audit = (await fixture.deps.audit.all()).filter((entry) => entry.action === "work-orders.events");
    expect(audit.at(-1)?.after).toMatchObject({
      stored: 5,
      rejected: 0,
      eventIds: ["L-1-c", "L-1-d", "L-1-r", "L-1-x", "L-1-s"],
    });
    expect(JSON.stringify(audit)).not.toContain(PHONE);

    const order = await getOrder(fixture, "L-1");
    expect(order.order.status).toBe("closed");
    expect(order.order.satisfaction?.level).toBe("满意");
    expect(order.labels.category).toEqual({ value: p1, source: "closed" });
    expect(order.labels.departments).toEqual({ value: ["zjj"], source: "closed" });
    expect(order.labels.rejectedDepartments).toEqual(["cgj"]);
    // Texts and reasons are stored masked.
    expect(JSON.stringify(order.events)).not.toContain(PHONE);

    const labelled = await caseOf(fixture, "order-L-1");
    expect(labelled).toMatchObject({
      source: "closed",
      orderId: "L-1",
      category: p1,
      departments: ["zjj"],
      type: "投诉",
      urgent: false,
      marketEntity: false,
      receivedAt: new Date("2026-03-02T09:00:00+08:00").toISOString(),
      rejectedDepartments: ["cgj"],
      labelSources: {
        category: "closed",
        type: "closed",
        urgent: "closed",
        marketEntity: "closed",
        departments: "closed",
      },
    });
    expect(labelled?.text).not.toContain(PHONE);
    // The held-out slice a candidate model is evaluated on finds it.
    const recent = await fixture.deps.cases.receivedSince(new Date("2026-03-01T00:00:00+08:00"), ["closed"]);
    expect(recent.map((row) => row.id)).toContain("order-L-1");
  });

  it("out-of-order and orphan events are kept and folded in event time; replays change nothing", async () => {
    const key = await integrationKey(fixture);
    const [, p2] = paths(fixture);
    const events = lifecycle("L-2", p2);
    // The closure and the dispatch arrive before the order exists, in reverse order.
    const early = await post(fixture, key, [events.closed, events.returned, events.dispatched]);
    expect(early.stored).toBe(3);
    expect(early.results.map((result) => result.orderStatus)).toEqual([
      "awaiting-created",
      "awaiting-created",
      "awaiting-created",
    ]);
    expect(await caseOf(fixture, "order-L-2")).toBeUndefined();

    const late = await post(fixture, key, [events.created]);
    expect(late.results[0]?.orderStatus).toBe("closed");
    const order = await getOrder(fixture, "L-2");
    expect(order.events.map((event) => event.kind)).toEqual(["created", "dispatched", "returned", "closed"]);
    expect(order.labels.departments).toEqual({ value: ["zjj"], source: "closed" });
    expect((await caseOf(fixture, "order-L-2"))?.source).toBe("closed");

    // The whole history again: every event is a duplicate, nothing is added.
    const casesBefore = await fixture.deps.cases.count();
    const replay = await post(fixture, key, [
      events.created,
      events.dispatched,
      events.returned,
      events.closed,
    ]);
    expect(replay).toMatchObject({ stored: 0, duplicates: 4, rejected: 0 });
    expect((await getOrder(fixture, "L-2")).events).toHaveLength(4);
    expect(await fixture.deps.cases.count()).toBe(casesBefore);

    // An id reused for different content is refused, and the stored event stays.
    const reused = await post(fixture, key, [{ ...events.closed, type: "咨询" }]);
    expect(reused.results[0]).toMatchObject({ status: "rejected", error: { code: "CONFLICT" } });
    expect((await caseOf(fixture, "order-L-2"))?.type).toBe("投诉");
  });

  it("bad events are listed one by one and nothing of them is stored; the good ones apply", async () => {
    const key = await integrationKey(fixture);
    const [p1] = paths(fixture);
    const events = lifecycle("L-3", p1);
    const report = await post(fixture, key, [
      events.created,
      { ...events.dispatched, eventId: "L-3-bad-dept", departments: [{ code: "nope", role: "主办" }] },
      { ...events.closed, eventId: "L-3-bad-path", category: ["不存在的分类"] },
      { eventId: "L-3-bad-kind", orderId: "L-3", kind: "exploded", at: "2026-03-02T10:00:00+08:00" },
      events.dispatched,
    ]);
    expect(report.results.map((result) => result.status)).toEqual([
      "stored",
      "rejected",
      "rejected",
      "rejected",
      "stored",
    ]);
    expect(report.results.map((result) => result.error?.code ?? null)).toEqual([
      null,
      "UNPROCESSABLE",
      "UNPROCESSABLE",
      "BAD_REQUEST",
      null,
    ]);
    const order = await getOrder(fixture, "L-3");
    expect(order.events.map((event) => event.eventId)).toEqual(["L-3-c", "L-3-d"]);
    // Open, dispatched: the dispatch is the only label so far.
    expect(order.labels.departments).toEqual({ value: ["zjj", "cgj"], source: "dispatch" });
    expect((await caseOf(fixture, "order-L-3"))?.source).toBe("dispatch");
  });

  it("a 改派 after an agent's correction keeps both: the feedback record and the reassignment", async () => {
    const key = await integrationKey(fixture);
    const suggested = await fixture.call("POST", "/v1/suggest", fixture.keys.agent, {
      text: "路边摊占道经营",
    });
    const suggestionId = (suggested.body as { id: string }).id;
    const [p1, p2] = paths(fixture);
    // The agent corrects the department and type; the category stays an untouched preselection.
    const feedback = await fixture.call(
      "POST",
      `/v1/suggestions/${suggestionId}/feedback`,
      fixture.keys.agent,
      {
        finalCategory: p2,
        finalDepartments: ["cgj"],
        finalType: "举报",
        confirmed: ["departments", "type"],
      },
    );
    expect(feedback.status, feedback.text).toBe(201);
    const feedbackCase = await caseOf(fixture, `feedback-${suggestionId}`);
    expect(feedbackCase?.departments).toEqual(["cgj"]);
    expect(feedbackCase?.category, "an untouched preselection is not a label").toEqual([]);
    expect(feedbackCase?.urgent, "the model's own urgency guess is not a label").toBeNull();

    const events = lifecycle("L-4", p1, suggestionId);
    const report = await post(fixture, key, [
      events.created,
      { ...events.dispatched, departments: [{ code: "cgj", role: "主办" }] },
      {
        eventId: "L-4-g",
        orderId: "L-4",
        kind: "reassigned",
        at: "2026-03-02T11:00:00+08:00",
        from: "cgj",
        to: "zjj",
        reason: "属物业收费，改派住建局",
      },
    ]);
    expect(report.stored, JSON.stringify(report)).toBe(3);

    const order = await getOrder(fixture, "L-4");
    // Both records: the agent's correction, untouched, and the 改派 event.
    expect(order.feedback).toMatchObject({ finalDepartments: ["cgj"], finalType: "举报" });
    expect((await fixture.deps.suggestions.get(suggestionId))?.feedback).toMatchObject({
      finalDepartments: ["cgj"],
    });
    expect(order.events.map((event) => event.kind)).toContain("reassigned");
    // cgj was reassigned away from: it is no label; the agent's type still is (feedback > dispatch).
    expect(order.labels.rejectedDepartments).toEqual(["cgj"]);
    expect(order.labels.departments).toEqual({ value: ["zjj"], source: "dispatch" });
    expect(order.labels.type).toEqual({ value: "举报", source: "feedback" });
    expect(order.labels.category).toBeNull();
    const labelled = await caseOf(fixture, "order-L-4");
    expect(labelled).toMatchObject({ source: "feedback", departments: ["zjj"], type: "举报" });
    // One case per call: the order's case replaces the feedback case.
    expect(await caseOf(fixture, `feedback-${suggestionId}`)).toBeUndefined();

    // The closure wins over both.
    await post(fixture, key, [events.closed]);
    expect((await getOrder(fixture, "L-4")).labels.type).toEqual({ value: "投诉", source: "closed" });
  });

  it("feedback given after the order was reported relabels the order's case (one case per call)", async () => {
    const key = await integrationKey(fixture);
    const suggested = await fixture.call("POST", "/v1/suggest", fixture.keys.agent, {
      text: "楼下大排档油烟扰民",
    });
    const suggestionId = (suggested.body as { id: string }).id;
    const events = lifecycle("L-6", paths(fixture)[0], suggestionId);
    await post(fixture, key, [events.created, events.dispatched]);
    expect(await caseOf(fixture, "order-L-6")).toMatchObject({ source: "dispatch", type: null });

    const feedback = await fixture.call(
      "POST",
      `/v1/suggestions/${suggestionId}/feedback`,
      fixture.keys.agent,
      {
        finalType: "举报",
        confirmed: ["type"],
      },
    );
    expect(feedback.status, feedback.text).toBe(201);
    expect(feedback.body).toMatchObject({ caseId: "order-L-6" });
    expect(await caseOf(fixture, "order-L-6")).toMatchObject({
      source: "feedback",
      type: "举报",
      labelSources: { type: "feedback", departments: "dispatch" },
    });
    expect(await caseOf(fixture, `feedback-${suggestionId}`)).toBeUndefined();
  });

  it("roles: only integration keys post events; agents, evaluators and anonymous callers cannot", async () => {
    const key = await integrationKey(fixture);
    const events = [lifecycle("L-5", paths(fixture)[0]).created];
    for (const [caller, status] of [
      [fixture.keys.agent, 403],
      [fixture.keys.evaluator, 403],
      [fixture.keys.editor, 403],
      [null, 401],
    ] as const) {
      const response = await fixture.call("POST", "/v1/work-orders/events", caller, { events });
      expect(response.status, response.text).toBe(status);
    }
    expect((await fixture.call("GET", "/v1/work-orders/L-5", fixture.keys.evaluator)).status).toBe(404);
    expect(
      (await fixture.call("GET", "/v1/analytics/accuracy?from=2026-03-01&to=2026-03-31", key)).status,
    ).toBe(403);
    expect((await fixture.call("GET", "/v1/analytics/alerts", fixture.keys.agent)).status).toBe(403);
  });
});

describe.each(DATABASE_KINDS)("accuracy against final values on %s (#15)", (kind) => {
  const fixture = useFixtureApp(kind, {
    clock: new FixedClock(NOW),
    accuracyAlerts: { margin: 0.1, baselineWeeks: 2, minOrders: 1 },
  });

  /** A stored suggestion as served, with hand-chosen rankings and bands. */
  async function suggestion(result: {
    category: [string[], string][];
    departments: [string, string][];
    type: [string, string][];
    urgent: boolean;
    marketEntity: boolean;
  }): Promise<string> {
    const id = randomUUID();
    await fixture.deps.suggestions.insert({
      id,
      createdAt: new Date("2026-03-02T09:00:00+08:00"),
      text: "测试诉求",
      request: {},
      result: {
        category: result.category.map(([path, band]) => ({ path, band, confidence: 0.5 })),
        departments: result.departments.map(([code, band], index) => ({
          code,
          band,
          confidence: 0.5,
          role: index === 0 ? "lead" : "assist",
          name: code,
          reasons: [],
        })),
        type: result.type.map(([label, band]) => ({ label, band, confidence: 0.5 })),
        urgent: { flag: result.urgent, confidence: 0.5 },
        marketEntity: { flag: result.marketEntity, confidence: 0.5 },
      },
      modelVersion: "test",
      actor: "test-agent",
      actorKeyId: null,
    });
    return id;
  }

  function order(
    orderId: string,
    receivedAt: string,
    suggestionId: string | null,
    final: {
      category: string[];
      type: string;
      departments: [string, string][];
      urgent: boolean;
      marketEntity: boolean;
    } | null,
  ) {
    const created = {
      eventId: `${orderId}-c`,
      orderId,
      kind: "created",
      receivedAt,
      channel: "phone",
      text: `工单${orderId}`,
      callerType: "person",
      ...(suggestionId ? { suggestionId } : {}),
    };
    if (!final) return [created];
    return [
      created,
      {
        eventId: `${orderId}-x`,
        orderId,
        kind: "closed",
        at: "2026-03-11T10:00:00+08:00",
        category: final.category,
        type: final.type,
        urgent: final.urgent,
        marketEntity: final.marketEntity,
        departments: final.departments.map(([code, role]) => ({ code, role })),
        result: "已办结",
      },
    ];
  }

  it("top-1/top-3, band coverage, alerts and known fails equal a hand count of a small fixture", async () => {
    const key = await integrationKey(fixture);
    const [p1, p2, p3] = paths(fixture);
    const final = {
      category: p1,
      type: "咨询",
      departments: [["rsj", "主办"]] as [string, string][],
      urgent: false,
      marketEntity: false,
    };
    const o1 = await suggestion({
      category: [
        [p1, "high"],
        [p2, "low"],
        [p3, "low"],
      ],
      departments: [
        ["rsj", "high"],
        ["zjj", "low"],
      ],
      type: [
        ["咨询", "high"],
        ["投诉", "low"],
      ],
      urgent: false,
      marketEntity: false,
    });
    const o2 = await suggestion({
      category: [
        [p2, "medium"],
        [p1, "low"],
      ],
      departments: [["rsj", "medium"]],
      type: [
        ["投诉", "medium"],
        ["咨询", "low"],
      ],
      urgent: true,
      marketEntity: false,
    });
    const o3 = await suggestion({
      category: [[p2, "low"]],
      departments: [
        ["rsj", "low"],
        ["zjj", "low"],
      ],
      type: [["举报", "low"]],
      urgent: false,
      marketEntity: false,
    });
    const o4 = await suggestion({
      category: [[p1, "high"]],
      departments: [
        ["zjj", "high"],
        ["rsj", "low"],
      ],
      type: [["咨询", "high"]],
      urgent: false,
      marketEntity: false,
    });
    const open = await suggestion({
      category: [[p3, "high"]],
      departments: [["cgj", "high"]],
      type: [["建议", "high"]],
      urgent: false,
      marketEntity: false,
    });
    const report = await post(fixture, key, [
      ...order("A-1", "2026-03-02T10:00:00+08:00", o1, final),
      ...order("A-2", "2026-03-03T10:00:00+08:00", o2, { ...final, marketEntity: true }),
      // Sunday 23:30 in 阳江 is still the first week (15:30 UTC).
      ...order("A-3", "2026-03-08T23:30:00+08:00", o3, final),
      // 17:30 UTC on Sunday is 01:30 on Monday in 阳江: the second week.
      ...order("A-4", "2026-03-08T17:30:00Z", o4, {
        ...final,
        departments: [
          ["rsj", "主办"],
          ["zjj", "协办"],
        ],
      }),
      // Not counted: closed without a suggestion, and a suggestion whose order is still open.
      ...order("A-5", "2026-03-03T10:00:00+08:00", null, final),
      ...order("A-6", "2026-03-03T10:00:00+08:00", open, null),
    ]);
    expect(report.rejected, JSON.stringify(report)).toBe(0);

    const weekly = await fixture.call(
      "GET",
      "/v1/analytics/accuracy?from=2026-03-02&to=2026-03-09&interval=week",
      fixture.keys.evaluator,
    );
    expect(weekly.status, weekly.text).toBe(200);
    const body = weekly.body as unknown as {
      linkedOrders: number;
      total: { orders: number; heads: Record<string, Record<string, unknown>> };
      buckets: { start: string; orders: number; heads: Record<string, Record<string, unknown>> }[];
    };
    expect(body.linkedOrders).toBe(4);
    expect(body.total.orders).toBe(4);
    expect(body.buckets.map((bucket) => [bucket.start, bucket.orders])).toEqual([
      ["2026-03-02", 3],
      ["2026-03-09", 1],
    ]);
    const [weekA, weekB] = body.buckets;
    // By hand: A-1 right, A-2 second place, A-3 wrong.
    expect(weekA?.heads.category).toEqual({
      count: 3,
      correctTop1: 1,
      correctTop3: 2,
      top1: 0.3333,
      top3: 0.6667,
      bands: {
        high: { count: 1, coverage: 0.3333, top1: 1 },
        medium: { count: 1, coverage: 0.3333, top1: 0 },
        low: { count: 1, coverage: 0.3333, top1: 0 },
      },
    });
    expect(weekA?.heads.department).toMatchObject({ count: 3, correctTop1: 3, top1: 1, top3: 1 });
    expect(weekA?.heads.type).toMatchObject({ correctTop1: 1, correctTop3: 2 });
    expect(weekA?.heads.urgent).toMatchObject({ correctTop1: 2, top1: 0.6667, bands: null });
    expect(weekA?.heads.marketEntity).toMatchObject({ correctTop1: 2, top1: 0.6667 });
    expect(weekB?.heads.department).toMatchObject({
      count: 1,
      correctTop1: 0,
      correctTop3: 1,
      top1: 0,
      top3: 1,
    });
    expect(weekB?.heads.category).toMatchObject({ top1: 1, top3: 1 });
    expect(body.total.heads.category).toMatchObject({ top1: 0.5, top3: 0.75 });
    expect(body.total.heads.department).toMatchObject({ top1: 0.75, top3: 1 });
    expect(body.total.heads.type).toMatchObject({ top1: 0.5, top3: 0.75 });

    const daily = await fixture.call(
      "GET",
      "/v1/analytics/accuracy?from=2026-03-02&to=2026-03-09&interval=day",
      fixture.keys.evaluator,
    );
    expect((daily.body as unknown as { buckets: { start: string }[] }).buckets.map((b) => b.start)).toEqual([
      "2026-03-02",
      "2026-03-03",
      "2026-03-08",
      "2026-03-09",
    ]);

    // Department top-1 fell from 3/3 to 0/1: more than the margin of 0.1.
    const alerts = await fixture.call("GET", "/v1/analytics/alerts", fixture.keys.evaluator);
    expect(alerts.status, alerts.text).toBe(200);
    expect((alerts.body as unknown as { alerts: unknown[] }).alerts).toEqual([
      {
        kind: "accuracy",
        head: "department",
        week: "2026-03-09",
        top1: 0,
        baseline: 1,
        drop: 1,
        orders: 1,
        baselineWeeks: ["2026-03-02"],
      },
    ]);

    // P2 was suggested twice where the order closed as P1: the one recurring wrong pair.
    const fails = await fixture.call(
      "GET",
      "/v1/analytics/known-fails?from=2026-03-01&to=2026-03-31&minCount=2",
      fixture.keys.evaluator,
    );
    expect(fails.status, fails.text).toBe(200);
    expect((fails.body as unknown as { fails: unknown[] }).fails).toEqual([
      { head: "category", suggested: p2.join("/"), final: p1.join("/"), count: 2, examples: ["A-3", "A-2"] },
    ]);
  });
});
