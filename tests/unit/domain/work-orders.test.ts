import { describe, expect, it } from "vitest";
import {
  accuracyAlerts,
  bucketStart,
  computeAccuracy,
  isCorrect,
  knownFails,
  type OutcomeRow,
} from "#domain/outcomes";
import {
  caseSourceOf,
  type ExplicitFeedback,
  explicitFeedback,
  foldOrder,
  labelOrder,
  type StoredWorkOrderEvent,
} from "#domain/work-orders";

const created: StoredWorkOrderEvent = {
  eventId: "e1",
  orderId: "A",
  kind: "created",
  at: "2026-03-02T01:00:00.000Z",
  receivedAt: "2026-03-02T01:00:00.000Z",
  channel: "phone",
  text: "路灯坏了",
  callerType: "person",
  suggestionId: "11111111-1111-4111-8111-111111111111",
};
const dispatched: StoredWorkOrderEvent = {
  eventId: "e2",
  orderId: "A",
  kind: "dispatched",
  at: "2026-03-02T02:00:00.000Z",
  departments: [
    { code: "cgj", role: "协办" },
    { code: "zjj", role: "主办" },
  ],
};
const returned: StoredWorkOrderEvent = {
  eventId: "e3",
  orderId: "A",
  kind: "returned",
  at: "2026-03-02T03:00:00.000Z",
  department: "cgj",
  reason: "非本部门职责",
};
const reassigned: StoredWorkOrderEvent = {
  eventId: "e4",
  orderId: "A",
  kind: "reassigned",
  at: "2026-03-02T04:00:00.000Z",
  from: "zjj",
  to: "rsj",
  reason: "改派",
};
const closed: StoredWorkOrderEvent = {
  eventId: "e5",
  orderId: "A",
  kind: "closed",
  at: "2026-03-03T04:00:00.000Z",
  category: ["城乡建设", "市政设施", "路灯"],
  type: "投诉",
  urgent: false,
  marketEntity: true,
  departments: [{ code: "rsj", role: "主办" }],
  result: "已修复",
};

describe("foldOrder", () => {
  it.each([
    ["in order", [created, dispatched, returned, reassigned, closed]],
    ["reversed", [closed, reassigned, returned, dispatched, created]],
    ["shuffled", [returned, closed, created, reassigned, dispatched]],
  ])("derives the same state whatever the arrival order (%s)", (_, events) => {
    const state = foldOrder("A", events);
    expect(state.status).toBe("closed");
    expect(state.departments).toEqual([{ code: "rsj", role: "主办" }]);
    expect(state.returns.map((entry) => entry.department)).toEqual(["cgj"]);
    expect(state.reassignments.map((entry) => [entry.from, entry.to])).toEqual([["zjj", "rsj"]]);
    expect(state.lastEventAt).toBe(closed.at);
  });

  it.each([
    [[], "awaiting-created"],
    [[dispatched, closed], "awaiting-created"],
    [[created], "open"],
    [[created, dispatched], "dispatched"],
    [
      [created, { ...dispatched, departments: [{ code: "cgj", role: "主办" as const }] }, returned],
      "returned",
    ],
    [[created, dispatched, closed], "closed"],
  ])("status of %j is %s", (events, status) => {
    expect(foldOrder("A", events as StoredWorkOrderEvent[]).status).toBe(status);
  });

  it("keeps lead departments first and a reassigned department's role", () => {
    const state = foldOrder("A", [created, dispatched]);
    expect(state.departments.map((department) => department.code)).toEqual(["zjj", "cgj"]);
    const moved = foldOrder("A", [created, dispatched, { ...reassigned, from: "cgj", to: "rsj" }]);
    expect(moved.departments).toEqual([
      { code: "zjj", role: "主办" },
      { code: "rsj", role: "协办" },
    ]);
  });
});

describe("labelOrder: closed > feedback > dispatch, and 退单/改派 as evidence against", () => {
  const open = foldOrder("A", [created, dispatched, returned]);

  it.each<[string, StoredWorkOrderEvent[], ExplicitFeedback | null, Record<string, unknown>]>([
    [
      "closed wins over everything",
      [created, dispatched, closed],
      { departments: ["cgj"], type: "咨询" },
      {
        departments: { value: ["rsj"], source: "closed" },
        type: { value: "投诉", source: "closed" },
        marketEntity: { value: true, source: "closed" },
      },
    ],
    [
      "feedback wins over dispatch",
      [created, dispatched],
      { departments: ["rsj"], type: "咨询" },
      {
        departments: { value: ["rsj"], source: "feedback" },
        type: { value: "咨询", source: "feedback" },
        urgent: null,
      },
    ],
    [
      "dispatch when there is nothing better",
      [created, dispatched],
      null,
      {
        departments: { value: ["zjj", "cgj"], source: "dispatch" },
        category: null,
        type: null,
      },
    ],
    [
      "a returned department is dropped from the feedback label",
      [created, dispatched, returned],
      {
        departments: ["cgj"],
      },
      { departments: { value: ["zjj"], source: "dispatch" }, rejectedDepartments: ["cgj"] },
    ],
  ])("%s", (_, events, feedback, expected) => {
    expect(labelOrder(foldOrder("A", events), feedback)).toMatchObject(expected);
  });

  it("the closure may name a department that once returned the order: then it is no evidence against", () => {
    const state = foldOrder("A", [
      created,
      dispatched,
      returned,
      { ...closed, departments: [{ code: "cgj", role: "主办" }] },
    ]);
    const labels = labelOrder(state, null);
    expect(labels.departments).toEqual({ value: ["cgj"], source: "closed" });
    expect(labels.rejectedDepartments).toEqual([]);
  });

  it("a 改派 marks the department moved away from", () => {
    expect(labelOrder(foldOrder("A", [created, dispatched, reassigned]), null).rejectedDepartments).toEqual([
      "zjj",
    ]);
  });

  it("the case source is the strongest label source", () => {
    expect(caseSourceOf(labelOrder(open, null))).toBe("dispatch");
    expect(caseSourceOf(labelOrder(open, { type: "咨询" }))).toBe("feedback");
    expect(caseSourceOf(labelOrder(foldOrder("A", [created, closed]), null))).toBe("closed");
    expect(caseSourceOf(labelOrder(foldOrder("A", [created]), null))).toBeNull();
  });
});

describe("explicitFeedback: untouched preselections are not confirmations", () => {
  it.each([
    [{ finalCategory: ["a"], finalType: "投诉", confirmed: ["type"] }, { type: "投诉" }],
    [{ finalCategory: ["a"], finalDepartments: ["x"], confirmed: [] }, null],
    [{ finalDepartments: ["x"] }, { departments: ["x"] }],
    [{ acceptedScriptIds: ["s1"] }, null],
    [null, null],
  ])("%j → %j", (record, expected) => {
    expect(explicitFeedback(record)).toEqual(expected);
  });
});

function row(
  orderId: string,
  receivedAt: string,
  suggested: Partial<OutcomeRow["suggested"]>,
  final: Partial<OutcomeRow["final"]> = {},
): OutcomeRow {
  return {
    orderId,
    receivedAt,
    suggested: {
      category: [],
      type: [],
      department: [],
      urgent: [{ label: "false", band: null }],
      marketEntity: [{ label: "false", band: null }],
      ...suggested,
    },
    final: {
      category: ["甲", "乙", "丙"],
      type: "咨询",
      department: "rsj",
      urgent: false,
      marketEntity: false,
      ...final,
    },
  };
}

describe("accuracy against final values", () => {
  it.each([
    ["甲/乙/丙", ["甲", "乙", "丙"], true],
    ["甲/乙/丁", ["甲", "乙", "丙"], false],
    ["甲/乙/丁", ["甲"], true],
    ["丁/乙/丙", ["甲"], false],
  ])("category %s against final %j → %s", (label, category, right) => {
    expect(isCorrect("category", label, row("o", "2026-03-02T00:00:00Z", {}, { category }).final)).toBe(
      right,
    );
  });

  it.each([
    ["2026-03-01T16:00:00Z", "day", "2026-03-02"],
    ["2026-03-01T15:59:59Z", "day", "2026-03-01"],
    ["2026-03-08T15:59:59Z", "week", "2026-03-02"],
    ["2026-03-08T16:00:00Z", "week", "2026-03-09"],
    ["2026-03-04T10:00:00+08:00", "week", "2026-03-02"],
  ] as const)("%s falls in the %s starting %s (China time)", (instant, interval, start) => {
    expect(bucketStart(instant, interval)).toBe(start);
  });

  it("counts top-1, top-3 and band coverage by hand", () => {
    const rows = [
      row("a", "2026-03-02T02:00:00Z", { department: [{ label: "rsj", band: "high" }] }),
      row("b", "2026-03-02T03:00:00Z", {
        department: [
          { label: "zjj", band: "high" },
          { label: "cgj", band: null },
          { label: "rsj", band: null },
        ],
      }),
      row("c", "2026-03-02T04:00:00Z", {
        department: [
          { label: "zjj", band: "low" },
          { label: "cgj", band: null },
          { label: "xfj", band: null },
          { label: "rsj", band: null },
        ],
      }),
      row("d", "2026-03-02T05:00:00Z", { department: [] }),
    ];
    const { total } = computeAccuracy(rows, "day");
    expect(total.heads.department).toEqual({
      count: 4,
      correctTop1: 1,
      correctTop3: 2,
      top1: 0.25,
      top3: 0.5,
      bands: {
        high: { count: 2, coverage: 0.5, top1: 0.5 },
        medium: { count: 0, coverage: 0, top1: null },
        low: { count: 1, coverage: 0.25, top1: 0 },
      },
    });
    expect(total.heads.urgent.bands).toBeNull();
    expect(total.heads.urgent.top1).toBe(1);
  });

  it("alerts only when the last judged week drops more than the margin below the pooled baseline", () => {
    const week = (start: string, right: number, count: number) =>
      Array.from({ length: count }, (_, index) =>
        row(`${start}-${index}`, `${start}T02:00:00Z`, {
          type: [{ label: index < right ? "咨询" : "投诉", band: "high" }],
        }),
      );
    const settings = { margin: 0.1, baselineWeeks: 2, minOrders: 5 };
    const buckets = (rows: OutcomeRow[]) => computeAccuracy(rows, "week").buckets;
    // Baseline 16/20 = 0.8; last week 7/10 = 0.7: a drop of exactly the margin does not alert.
    const steady = [...week("2026-02-16", 8, 10), ...week("2026-02-23", 8, 10), ...week("2026-03-02", 7, 10)];
    expect(accuracyAlerts(buckets(steady), settings).filter((alert) => alert.head === "type")).toEqual([]);
    // 6/10 = 0.6 is 0.2 below.
    const fallen = [...week("2026-02-16", 8, 10), ...week("2026-02-23", 8, 10), ...week("2026-03-02", 6, 10)];
    expect(accuracyAlerts(buckets(fallen), settings).filter((alert) => alert.head === "type")).toEqual([
      {
        head: "type",
        week: "2026-03-02",
        top1: 0.6,
        baseline: 0.8,
        drop: 0.2,
        orders: 10,
        baselineWeeks: ["2026-02-16", "2026-02-23"],
      },
    ]);
    // A thin last week (below minOrders) is not judged: the week before it is, against its own past.
    const thin = [...fallen, ...week("2026-03-09", 0, 2)];
    expect(accuracyAlerts(buckets(thin), settings).find((alert) => alert.head === "type")?.week).toBe(
      "2026-03-02",
    );
    // Only the baselineWeeks weeks before count: a great week long ago does not raise the bar.
    const old = [...week("2026-02-09", 10, 10), ...steady];
    expect(accuracyAlerts(buckets(old), settings).filter((alert) => alert.head === "type")).toEqual([]);
  });

  it("known fails: recurring wrong top-1 pairs, most frequent first, newest examples first", () => {
    const wrong = (orderId: string, at: string, label: string) =>
      row(orderId, at, { department: [{ label, band: "high" }] });
    const fails = knownFails(
      [
        wrong("a", "2026-03-02T01:00:00Z", "zjj"),
        wrong("b", "2026-03-03T01:00:00Z", "zjj"),
        wrong("c", "2026-03-04T01:00:00Z", "zjj"),
        wrong("d", "2026-03-04T01:00:00Z", "cgj"),
        wrong("e", "2026-03-05T01:00:00Z", "cgj"),
        wrong("f", "2026-03-05T01:00:00Z", "xfj"),
        wrong("g", "2026-03-05T01:00:00Z", "rsj"),
      ],
      { minCount: 2, examples: 2 },
    );
    expect(fails).toEqual([
      { head: "department", suggested: "zjj", final: "rsj", count: 3, examples: ["c", "b"] },
      { head: "department", suggested: "cgj", final: "rsj", count: 2, examples: ["e", "d"] },
    ]);
  });
});
