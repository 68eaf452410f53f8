import { describe, expect, it } from "vitest";
import {
  agentBoard,
  barChart,
  centreDay,
  centreDayRange,
  centreMonthRange,
  dailyCounts,
  departmentBoard,
  disputesByDepartment,
  dueStatus,
  type OrderView,
  type SuggestedHeads,
  spikeAlertId,
  spikeBasis,
  splitSpikeKey,
  suggestedHeads,
  tally,
  topicDraft,
  volumeOf,
} from "#domain/analytics/reports";
import { foldOrder, type StoredWorkOrderEvent } from "#domain/work-orders";

const HEADS: SuggestedHeads = {
  category: ["城乡建设", "物业管理", "物业服务"],
  type: "投诉",
  lead: "zjj",
  urgent: false,
  marketEntity: true,
  completeBy: "2026-11-30T12:00:00+08:00",
  rule: "2135",
};

function order(
  orderId: string,
  events: Partial<StoredWorkOrderEvent>[],
  suggestion: Partial<SuggestedHeads> | null = {},
): OrderView {
  const stored = events.map(
    (event, index) => ({ eventId: `${orderId}-${index}`, orderId, ...event }) as StoredWorkOrderEvent,
  );
  const state = foldOrder(orderId, stored);
  return {
    orderId,
    receivedAt: state.created ? new Date(state.created.receivedAt) : null,
    closedAt: state.closed ? new Date(state.closed.at) : null,
    state,
    suggestion: suggestion ? { ...HEADS, ...suggestion } : null,
  };
}

const created = (receivedAt: string, channel = "phone", district?: string) => ({
  kind: "created" as const,
  at: receivedAt,
  receivedAt,
  channel: channel as "phone",
  text: "小区物业乱收费",
  callerType: "business" as const,
  ...(district ? { district } : {}),
});

describe("centre days and months (Asia/Shanghai, UTC+8)", () => {
  it.each([
    ["2026-11-30T15:59:59Z", "2026-11-30"],
    ["2026-11-30T16:00:00Z", "2026-12-01"],
    ["2026-12-31T16:30:00Z", "2027-01-01"],
  ])("%s is the centre's %s", (instant, day) => {
    expect(centreDay(new Date(instant))).toBe(day);
  });

  it("bounds a day and a month, December running into January", () => {
    expect(centreDayRange("2026-11-30")).toEqual({
      from: new Date("2026-11-29T16:00:00Z"),
      to: new Date("2026-11-30T16:00:00Z"),
    });
    expect(centreMonthRange("2026-12")).toEqual({
      from: new Date("2026-11-30T16:00:00Z"),
      to: new Date("2026-12-31T16:00:00Z"),
    });
  });
});

describe("suggestedHeads", () => {
  it("reads the top of each head and the deadline, and leaves out what an old row lacks", () => {
    expect(
      suggestedHeads({
        category: [{ path: ["a", "b", "c"] }],
        type: [{ label: "求助" }],
        departments: [{ code: "rsj" }, { code: "zjj" }],
        urgent: { flag: true },
        deadlines: { rule: "2135", completeBy: "2026-12-01T09:00:00.000Z" },
      }),
    ).toEqual({
      category: ["a", "b", "c"],
      type: "求助",
      lead: "rsj",
      urgent: true,
      marketEntity: null,
      completeBy: "2026-12-01T09:00:00.000Z",
      rule: "2135",
    });
    expect(suggestedHeads(null)).toEqual({
      category: null,
      type: null,
      lead: null,
      urgent: null,
      marketEntity: null,
      completeBy: null,
      rule: null,
    });
  });
});

describe("volumes", () => {
  it("counts largest first and skips unknown keys", () => {
    expect(tally(["b", "a", null, "b", undefined])).toEqual([
      { key: "b", count: 2 },
      { key: "a", count: 1 },
    ]);
  });

  it("takes the category and lead department from the closure, else the dispatch, else the suggestion", () => {
    const orders = [
      order("A", [created("2026-11-30T09:00:00+08:00", "phone", "江城区")]),
      order("B", [
        created("2026-11-30T10:00:00+08:00", "web"),
        { kind: "dispatched", at: "2026-11-30T10:05:00+08:00", departments: [{ code: "rsj", role: "主办" }] },
      ]),
      order("C", [
        created("2026-11-30T11:00:00+08:00", "phone", "江城区"),
        {
          kind: "closed",
          at: "2026-11-30T12:00:00+08:00",
          category: ["市场监管", "食品安全"],
          type: "举报",
          urgent: false,
          marketEntity: false,
          departments: [{ code: "scj", role: "主办" }],
          result: "已查处",
        },
      ]),
    ];
    expect(volumeOf(orders)).toEqual({
      orders: 3,
      byChannel: [
        { key: "phone", count: 2 },
        { key: "web", count: 1 },
      ],
      byCategory: [
        { key: "城乡建设", count: 2 },
        { key: "市场监管", count: 1 },
      ],
      byDepartment: [
        { key: "rsj", count: 1 },
        { key: "scj", count: 1 },
        { key: "zjj", count: 1 },
      ],
      byDistrict: [{ key: "江城区", count: 2 }],
    });
  });
});

describe("dueStatus (2135)", () => {
  const at = new Date("2026-11-30T18:00:00+08:00");

  it("splits open 2135 orders into overdue and near due by the console's deadline", () => {
    const orders = [
      order("late", [created("2026-11-30T09:00:00+08:00")], { completeBy: "2026-11-30T12:00:00+08:00" }),
      order("soon", [created("2026-11-30T10:00:00+08:00")], { completeBy: "2026-12-01T09:00:00+08:00" }),
      order("later", [created("2026-11-30T10:00:00+08:00")], { completeBy: "2026-12-03T17:30:00+08:00" }),
      order("standard", [created("2026-11-30T10:00:00+08:00")], {
        rule: "standard",
        marketEntity: false,
        completeBy: "2026-11-30T11:00:00+08:00",
      }),
      order("unlinked", [created("2026-11-30T10:00:00+08:00")], null),
      order("tomorrow", [created("2026-12-01T08:00:00+08:00")], { completeBy: "2026-11-30T12:00:00+08:00" }),
    ];
    const status = dueStatus(orders, at, 24);
    expect(status.overdue.map((item) => [item.orderId, item.hours])).toEqual([["late", 6]]);
    expect(status.nearDue.map((item) => [item.orderId, item.hours])).toEqual([["soon", 15]]);
    // No suggestion, no closure: the 2135 flag is unknown, so it is not counted as one.
    expect(status.unknownDue).toBe(0);
  });

  it("counts a 2135 order without a known deadline, and leaves closed ones out", () => {
    const closedLate = order(
      "closed",
      [
        created("2026-11-30T09:00:00+08:00"),
        {
          kind: "closed",
          at: "2026-11-30T17:00:00+08:00",
          category: ["城乡建设"],
          type: "投诉",
          urgent: false,
          marketEntity: true,
          departments: [{ code: "zjj", role: "主办" }],
          result: "已办",
        },
      ],
      { completeBy: "2026-11-30T12:00:00+08:00" },
    );
    const noDeadline = order("x", [created("2026-11-30T09:00:00+08:00")], { completeBy: null });
    expect(dueStatus([closedLate, noDeadline], at)).toEqual({ overdue: [], nearDue: [], unknownDue: 1 });
  });
});

describe("disputes and the department board", () => {
  const disputes = [
    { kind: "returned" as const, orderId: "A", department: "rsj", at: "" },
    { kind: "reassigned" as const, orderId: "B", from: "zjj", to: "cgj", at: "" },
    { kind: "reassigned" as const, orderId: "C", from: "zjj", to: "cgj", at: "" },
    { kind: "reassigned" as const, orderId: "D", from: "zjj", to: "rsj", at: "" },
  ];

  it("counts 退单 and 改派 per department with the 改派 pairs", () => {
    expect(disputesByDepartment(disputes)).toEqual([
      {
        department: "zjj",
        returned: 0,
        reassignedAway: 3,
        reassignedTo: 0,
        pairs: [
          { from: "zjj", to: "cgj", count: 2 },
          { from: "zjj", to: "rsj", count: 1 },
        ],
      },
      { department: "rsj", returned: 1, reassignedAway: 0, reassignedTo: 1, pairs: [] },
      { department: "cgj", returned: 0, reassignedAway: 0, reassignedTo: 2, pairs: [] },
    ]);
  });

  it("rates 退单 over distinct orders given and overdue over closures with a known deadline", () => {
    const closure = (orderId: string, closedAt: string, completeBy: string | null) =>
      order(
        orderId,
        [
          created("2026-11-02T09:00:00+08:00"),
          {
            kind: "closed",
            at: closedAt,
            category: ["城乡建设"],
            type: "投诉",
            urgent: false,
            marketEntity: false,
            departments: [{ code: "cgj", role: "主办" }],
            result: "已办",
          },
        ],
        { completeBy },
      );
    const rows = departmentBoard(
      [
        { orderId: "A", department: "rsj" },
        { orderId: "A", department: "rsj" },
        { orderId: "E", department: "rsj" },
        { orderId: "B", department: "zjj" },
      ],
      disputes,
      [
        closure("B", "2026-11-05T10:00:00+08:00", "2026-11-04T17:30:00+08:00"),
        closure("C", "2026-11-03T10:00:00+08:00", "2026-11-04T17:30:00+08:00"),
        closure("F", "2026-11-03T10:00:00+08:00", null),
      ],
    );
    const byCode = new Map(rows.map((row) => [row.department, row]));
    // A given twice is one order; D reassigned to rsj is a third.
    expect(byCode.get("rsj")).toMatchObject({ received: 3, returned: 1, returnRate: 0.333 });
    expect(byCode.get("zjj")).toMatchObject({ received: 1, returned: 0, returnRate: 0, reassignedAway: 3 });
    expect(byCode.get("cgj")).toMatchObject({
      received: 2,
      closedWithDeadline: 2,
      closedOverdue: 1,
      overdueRate: 0.5,
    });
  });
});

describe("agentBoard", () => {
  const created = new Date("2026-11-30T09:00:00+08:00");
  const view = (actor: string, feedback: unknown, seconds: number | null) => ({
    id: `${actor}-${seconds}`,
    actor,
    createdAt: created,
    feedbackAt: seconds === null ? null : new Date(created.getTime() + seconds * 1000),
    heads: HEADS,
    feedback,
    text: null,
  });

  it("counts acceptance and corrections only over fields the agent set or confirmed", () => {
    const rows = agentBoard([
      // Confirmed the suggested type: accepted.
      view("a1", { finalType: "投诉", confirmed: ["type"], acceptedScriptIds: ["s1", "s2"] }, 40),
      // Changed the department (the category was an untouched preselection: not a correction).
      view("a1", { finalDepartments: ["rsj"], finalCategory: ["x"], confirmed: ["departments"] }, 80),
      // An older record without a confirmed list: its values count.
      view("a1", { finalCategory: ["城乡建设", "物业管理", "其他"], acceptedScriptIds: ["s1"] }, null),
      view("a1", null, null),
      view("a2", null, null),
    ]);
    expect(rows).toEqual([
      {
        agent: "a1",
        suggestions: 4,
        withFeedback: 3,
        accepted: 1,
        acceptance: 0.333,
        corrections: { category: 1, departments: 1, type: 0 },
        scriptsUsed: 3,
        distinctScripts: 2,
        avgHandlingSeconds: 60,
      },
      {
        agent: "a2",
        suggestions: 1,
        withFeedback: 0,
        accepted: 0,
        acceptance: null,
        corrections: { category: 0, departments: 0, type: 0 },
        scriptsUsed: 0,
        distinctScripts: 0,
        avgHandlingSeconds: null,
      },
    ]);
  });
});

describe("spike alerts' id, key and evidence", () => {
  it("keeps an alert's id through the centre day and changes it the next day", () => {
    const morning = spikeAlertId("department:zjj", new Date("2026-11-30T08:00:00+08:00"));
    expect(morning).toMatch(/^spike-20261130-[0-9a-f]{8}$/);
    expect(spikeAlertId("department:zjj", new Date("2026-11-30T23:59:00+08:00"))).toBe(morning);
    expect(spikeAlertId("department:zjj", new Date("2026-12-01T00:01:00+08:00"))).not.toBe(morning);
    expect(spikeAlertId("department:rsj", new Date("2026-11-30T08:00:00+08:00"))).not.toBe(morning);
  });

  it("splits keys into dimension and value (category paths keep their slash)", () => {
    expect(splitSpikeKey("category:城乡建设/物业管理")).toEqual({
      dimension: "category",
      value: "城乡建设/物业管理",
    });
    expect(splitSpikeKey("topic:topic-1")).toEqual({ dimension: "topic", value: "topic-1" });
    expect(splitSpikeKey("weather:rain")).toBeNull();
  });

  it("says which weekday and hours the usual level was taken from", () => {
    expect(spikeBasis(new Date("2026-11-29T18:00:00+08:00"), new Date("2026-11-30T18:00:00+08:00"), 4)).toBe(
      "周日 18:00至周一 18:00（24小时）的受理量，对比此前4周同一星期、同一时段的平均值",
    );
  });
});

describe("charts and the 专报 draft", () => {
  it("scales bars to the largest count and lists every day of a range", () => {
    const chart = barChart(
      [
        { label: "电话", count: 10 },
        { label: "网站", count: 5 },
        { label: "微信", count: 0 },
      ],
      "horizontal",
      { width: 300, bar: 10, gap: 2, labelWidth: 60 },
    );
    expect(chart.bars.map((bar) => bar.width)).toEqual([200, 100, 0]);
    expect(chart.bars.map((bar) => bar.y)).toEqual([2, 14, 26]);
    expect(
      dailyCounts(
        [new Date("2026-11-28T23:30:00+08:00"), new Date("2026-11-30T01:00:00+08:00")],
        "2026-11-28",
        "2026-11-30",
      ),
    ).toEqual([
      { key: "2026-11-28", count: 1 },
      { key: "2026-11-29", count: 0 },
      { key: "2026-11-30", count: 1 },
    ]);
  });

  it("states only the data's facts and leaves analysis and proposals as marked blanks", () => {
    const draft = topicDraft({
      label: "江城区 魅力之城小区 油烟、烧烤",
      keywords: ["之城", "油烟", "烧烤", "小区", "扰民"],
      places: ["魅力之城小区"],
      district: "江城区",
      count: 12,
      firstAt: new Date("2026-11-20T09:00:00+08:00"),
      lastAt: new Date("2026-11-30T20:00:00+08:00"),
      departments: [{ name: "江城区城市管理和综合执法局", count: 9 }],
      openOrders: 4,
      overdueOrders: 1,
      examples: ["楼下烧烤店油烟直排"],
    });
    expect(draft.title).toBe("关于江城区魅力之城小区油烟、烧烤、扰民问题的专报（草稿）");
    expect(draft.sections[0]?.text).toBe(
      "2026年11月20日至2026年11月30日，12345热线共受理江城区魅力之城小区涉及“油烟、烧烤、扰民”的诉求12件。",
    );
    expect(draft.sections[2]?.text).toContain(
      "江城区城市管理和综合执法局（9件）；目前仍在办理4件，其中超期1件。",
    );
    const none = topicDraft({
      label: "",
      keywords: [],
      places: [],
      district: null,
      count: 2,
      firstAt: new Date("2026-11-30T09:00:00+08:00"),
      lastAt: new Date("2026-11-30T10:00:00+08:00"),
      departments: [],
      openOrders: 0,
      overdueOrders: 0,
      examples: [],
    });
    expect(none.title).toBe("关于【待填写：地点】【待填写：问题概括】问题的专报（草稿）");
    expect(none.sections[2]?.text).toMatch(/^相关诉求尚无派单记录；目前仍在办理0件/);
    expect(draft.sections.slice(3).every((section) => /^【待填写：[^】]+】$/.test(section.text))).toBe(true);
  });
});
