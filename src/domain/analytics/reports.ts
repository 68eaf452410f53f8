import { explicitFeedback, type WorkOrderState } from "../work-orders";

/**
 * The centre's reports (#18 parts 2, 4 and 6): the daily report, the 专报 draft of one hot topic,
 * spike alerts with their evidence, and the monthly boards (红黑榜 data). Pure: the service gathers
 * the rows, these functions count them. Days and months are the centre's (Asia/Shanghai, UTC+8 all
 * year: China has no daylight saving, so a fixed offset is exact, as in #domain/deadlines).
 */

const CENTRE_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export const REPORT_SETTINGS = {
  /** An open 2135 order due within this many hours of the report's moment is "near due". */
  nearDueHours: 24,
  /** Rows per table of the daily report (volumes, urgent list). */
  topRows: 10,
  /** Hot topics in the daily report. */
  hotTopics: 10,
  /** Example requests quoted in a 专报 draft. */
  examples: 5,
} as const;

export const WEEKDAYS = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"] as const;

/** The centre's calendar day (YYYY-MM-DD) of an instant. */
export function centreDay(instant: Date): string {
  return new Date(instant.getTime() + CENTRE_OFFSET_MS).toISOString().slice(0, 10);
}

/** [start, end) of a centre day. */
export function centreDayRange(day: string): { from: Date; to: Date } {
  const from = new Date(`${day}T00:00:00+08:00`);
  return { from, to: new Date(from.getTime() + DAY_MS) };
}

/** [start, end) of a centre month, `YYYY-MM`. */
export function centreMonthRange(month: string): { from: Date; to: Date } {
  const [year, number] = month.split("-").map(Number) as [number, number];
  const next = number === 12 ? `${year + 1}-01` : `${year}-${String(number + 1).padStart(2, "0")}`;
  return { from: new Date(`${month}-01T00:00:00+08:00`), to: new Date(`${next}-01T00:00:00+08:00`) };
}

/** "周三 10:00" in the centre's time. */
export function centreWeekdayTime(instant: Date): string {
  const local = new Date(instant.getTime() + CENTRE_OFFSET_MS);
  return `${WEEKDAYS[local.getUTCDay()]} ${local.toISOString().slice(11, 16)}`;
}

/** What the analytics read of the suggestion stored for a call (any field may be missing). */
export interface SuggestedHeads {
  category: string[] | null;
  type: string | null;
  /** The suggested lead department code. */
  lead: string | null;
  urgent: boolean | null;
  marketEntity: boolean | null;
  /** The completion deadline the console showed (ISO), and its rule ("2135", "standard", …). */
  completeBy: string | null;
  rule: string | null;
}

const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const first = (value: unknown): Record<string, unknown> => record(Array.isArray(value) ? value[0] : null);
const stringOr = (value: unknown): string | null => (typeof value === "string" ? value : null);
const boolOr = (value: unknown): boolean | null => (typeof value === "boolean" ? value : null);

/**
 * The top suggestion per head from a stored suggestion result. Stored rows span releases, so every
 * field is read defensively: what is missing is null, never guessed.
 *
 * @example
 * suggestedHeads({ type: [{ label: "投诉" }], deadlines: { rule: "2135", completeBy: "…" } }).rule; // "2135"
 */
export function suggestedHeads(result: unknown): SuggestedHeads {
  const stored = record(result);
  const path = first(stored.category).path;
  const deadlines = record(stored.deadlines);
  return {
    category: Array.isArray(path) && path.every((part) => typeof part === "string") ? path : null,
    type: stringOr(first(stored.type).label),
    lead: stringOr(first(stored.departments).code),
    urgent: boolOr(record(stored.urgent).flag),
    marketEntity: boolOr(record(stored.marketEntity).flag),
    completeBy: stringOr(deadlines.completeBy),
    rule: stringOr(deadlines.rule),
  };
}

/** A work order as the reports read it: its derived state and the suggestion made for its call. */
export interface OrderView {
  orderId: string;
  receivedAt: Date | null;
  closedAt: Date | null;
  state: WorkOrderState;
  suggestion: SuggestedHeads | null;
}

export interface Count {
  key: string;
  count: number;
}

/** Counts per key, largest first (ties by key), nulls left out. */
export function tally(keys: readonly (string | null | undefined)[]): Count[] {
  const counts = new Map<string, number>();
  for (const key of keys) if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts]
    .map(([key, count]) => ({ key, count }))
    .sort((left, right) => right.count - left.count || (left.key < right.key ? -1 : 1));
}

/** The order's category: the closed one, else the suggested one (first level). */
export function orderCategory(order: OrderView): string | null {
  return order.state.closed?.category[0] ?? order.suggestion?.category?.[0] ?? null;
}

/** The order's lead department: at closure, else the one holding it now, else the suggested one. */
export function orderLead(order: OrderView): string | null {
  return (
    order.state.closed?.departments[0]?.code ??
    order.state.departments[0]?.code ??
    order.suggestion?.lead ??
    null
  );
}

export function orderUrgent(order: OrderView): boolean {
  return order.state.closed?.urgent ?? order.suggestion?.urgent ?? false;
}

/** Whether the 2135 rule (市场主体诉求) applies: the closure's flag, else the console's deadline rule. */
export function orderIs2135(order: OrderView): boolean {
  return (
    order.state.closed?.marketEntity ??
    (order.suggestion?.rule === "2135" || order.suggestion?.marketEntity === true)
  );
}

export interface Volume {
  orders: number;
  byChannel: Count[];
  byCategory: Count[];
  byDepartment: Count[];
  byDistrict: Count[];
}

/** The day's volume by channel, category (first level), lead department and district. */
export function volumeOf(orders: readonly OrderView[]): Volume {
  return {
    orders: orders.length,
    byChannel: tally(orders.map((order) => order.state.created?.channel)),
    byCategory: tally(orders.map(orderCategory)),
    byDepartment: tally(orders.map(orderLead)),
    byDistrict: tally(orders.map((order) => order.state.created?.district)),
  };
}

export interface DueItem {
  orderId: string;
  receivedAt: string | null;
  completeBy: string;
  department: string | null;
  /** Hours past the deadline (overdue, positive) or left before it (near due, positive). */
  hours: number;
  summary: string;
}

/**
 * Open 2135 orders at `at`, split into overdue and due within `nearDueHours`. The deadline is the
 * one the console computed when the call was taken (its suggestion): an order with no linked
 * suggestion has no known deadline and is only counted.
 */
export function dueStatus(
  orders: readonly OrderView[],
  at: Date,
  nearDueHours: number = REPORT_SETTINGS.nearDueHours,
): { overdue: DueItem[]; nearDue: DueItem[]; unknownDue: number } {
  const overdue: DueItem[] = [];
  const nearDue: DueItem[] = [];
  let unknownDue = 0;
  for (const order of orders) {
    const open =
      order.receivedAt !== null && order.receivedAt <= at && (!order.closedAt || order.closedAt > at);
    if (!open || !orderIs2135(order)) continue;
    const completeBy = order.suggestion?.completeBy ? new Date(order.suggestion.completeBy) : null;
    if (!completeBy || Number.isNaN(completeBy.getTime())) {
      unknownDue += 1;
      continue;
    }
    const left = (completeBy.getTime() - at.getTime()) / HOUR_MS;
    const item = {
      orderId: order.orderId,
      receivedAt: order.receivedAt?.toISOString() ?? null,
      completeBy: completeBy.toISOString(),
      department: orderLead(order),
      hours: Math.round(Math.abs(left) * 10) / 10,
      summary: summaryOf(order.state.created?.text ?? ""),
    };
    if (left < 0) overdue.push(item);
    else if (left <= nearDueHours) nearDue.push(item);
  }
  overdue.sort((left, right) => right.hours - left.hours);
  nearDue.sort((left, right) => left.hours - right.hours);
  return { overdue, nearDue, unknownDue };
}

/** Characters of a (masked) text quoted in a report. */
const SUMMARY_LENGTH = 60;
export const summaryOf = (text: string) =>
  text.length > SUMMARY_LENGTH ? `${text.slice(0, SUMMARY_LENGTH)}…` : text;

/** A 退单 or 改派 as the work-order events report it. */
export type DisputeEvent =
  | { kind: "returned"; orderId: string; department: string; at: string }
  | { kind: "reassigned"; orderId: string; from: string; to: string; at: string };

export interface DepartmentDisputes {
  department: string;
  /** 退单 by this department. */
  returned: number;
  /** 改派 away from this department. */
  reassignedAway: number;
  /** 改派 to this department. */
  reassignedTo: number;
  /** Where its 改派 went, most frequent first. */
  pairs: { from: string; to: string; count: number }[];
}

/** Per department: 退单, 改派 away and to, and the 改派 pairs (the dispute pairs of the report). */
export function disputesByDepartment(events: readonly DisputeEvent[]): DepartmentDisputes[] {
  const rows = new Map<string, DepartmentDisputes>();
  const row = (department: string) => {
    const existing = rows.get(department);
    if (existing) return existing;
    const created = { department, returned: 0, reassignedAway: 0, reassignedTo: 0, pairs: [] };
    rows.set(department, created);
    return created;
  };
  for (const event of events) {
    if (event.kind === "returned") {
      row(event.department).returned += 1;
      continue;
    }
    const from = row(event.from);
    from.reassignedAway += 1;
    row(event.to).reassignedTo += 1;
    const pair = from.pairs.find((entry) => entry.to === event.to);
    if (pair) pair.count += 1;
    else from.pairs.push({ from: event.from, to: event.to, count: 1 });
  }
  for (const entry of rows.values()) entry.pairs.sort((left, right) => right.count - left.count);
  return [...rows.values()].sort(
    (left, right) =>
      right.returned + right.reassignedAway - (left.returned + left.reassignedAway) ||
      (left.department < right.department ? -1 : 1),
  );
}

/** A suggestion as the agent board reads it. */
export interface SuggestionView {
  id: string;
  actor: string;
  createdAt: Date;
  feedbackAt: Date | null;
  heads: SuggestedHeads;
  feedback: unknown;
  /** Masked request text (null once retention emptied it). */
  text: string | null;
}

export interface AgentRow {
  agent: string;
  suggestions: number;
  /** Suggestions the agent gave feedback on. */
  withFeedback: number;
  /** Feedback that corrected none of the fields the agent set or confirmed. */
  accepted: number;
  /** accepted / withFeedback (null without feedback). */
  acceptance: number | null;
  /** Fields set to something other than the top suggestion. */
  corrections: { category: number; departments: number; type: number };
  /** Scripts the agent marked as used (采用), and how many different ones. */
  scriptsUsed: number;
  distinctScripts: number;
  /**
   * Mean seconds from the suggestion to the agent's feedback: the only handling length the service
   * sees (the call itself is on the telephony platform); null without feedback.
   */
  avgHandlingSeconds: number | null;
}

const samePath = (left: readonly string[] | null | undefined, right: readonly string[] | null | undefined) =>
  (left ?? []).join("/") === (right ?? []).join("/");

/**
 * Per agent: suggestion acceptance, corrections per field, scripts used, handling length. Only what
 * the agent explicitly set or confirmed counts (an untouched preselection says nothing).
 */
export function agentBoard(suggestions: readonly SuggestionView[]): AgentRow[] {
  const rows = new Map<string, AgentRow & { seconds: number[]; scripts: Set<string> }>();
  for (const suggestion of suggestions) {
    const row = rows.get(suggestion.actor) ?? {
      agent: suggestion.actor,
      suggestions: 0,
      withFeedback: 0,
      accepted: 0,
      acceptance: null,
      corrections: { category: 0, departments: 0, type: 0 },
      scriptsUsed: 0,
      distinctScripts: 0,
      avgHandlingSeconds: null,
      seconds: [],
      scripts: new Set<string>(),
    };
    rows.set(suggestion.actor, row);
    row.suggestions += 1;
    if (!suggestion.feedback || typeof suggestion.feedback !== "object") continue;
    row.withFeedback += 1;
    const explicit = explicitFeedback(suggestion.feedback) ?? {};
    const corrected = {
      category: explicit.category !== undefined && !samePath(explicit.category, suggestion.heads.category),
      departments: explicit.departments !== undefined && explicit.departments[0] !== suggestion.heads.lead,
      type: explicit.type !== undefined && explicit.type !== suggestion.heads.type,
    };
    for (const field of ["category", "departments", "type"] as const)
      if (corrected[field]) row.corrections[field] += 1;
    if (!corrected.category && !corrected.departments && !corrected.type) row.accepted += 1;
    const used = record(suggestion.feedback).acceptedScriptIds;
    for (const id of Array.isArray(used) ? used : []) {
      if (typeof id !== "string") continue;
      row.scriptsUsed += 1;
      row.scripts.add(id);
    }
    if (suggestion.feedbackAt)
      row.seconds.push((suggestion.feedbackAt.getTime() - suggestion.createdAt.getTime()) / 1000);
  }
  return [...rows.values()]
    .map(({ seconds, scripts, ...row }) => ({
      ...row,
      acceptance: row.withFeedback > 0 ? round(row.accepted / row.withFeedback) : null,
      distinctScripts: scripts.size,
      avgHandlingSeconds:
        seconds.length > 0
          ? Math.round(seconds.reduce((sum, value) => sum + value, 0) / seconds.length)
          : null,
    }))
    .sort((left, right) => right.suggestions - left.suggestions || (left.agent < right.agent ? -1 : 1));
}

export interface DepartmentRow {
  department: string;
  /** Orders dispatched to (or reassigned to) the department in the month. */
  received: number;
  /** Of those, orders it returned (退单). */
  returned: number;
  returnRate: number | null;
  /** 改派 away from it, with where they went. */
  reassignedAway: number;
  pairs: { from: string; to: string; count: number }[];
  /** Orders closed in the month with it as lead whose console deadline is known. */
  closedWithDeadline: number;
  /** Of those, closed after the deadline. */
  closedOverdue: number;
  overdueRate: number | null;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/**
 * Per department and month: 退单 rate (distinct orders it returned / distinct orders it was given),
 * 改派 pairs, and the overdue rate of the orders it closed as lead (closed after the deadline the
 * console showed; orders without one are left out of that rate).
 */
export function departmentBoard(
  assignments: readonly { orderId: string; department: string }[],
  disputes: readonly DisputeEvent[],
  closed: readonly OrderView[],
): DepartmentRow[] {
  const given = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, department: string, orderId: string) => {
    const set = map.get(department) ?? new Set<string>();
    set.add(orderId);
    map.set(department, set);
  };
  for (const entry of assignments) add(given, entry.department, entry.orderId);
  const returned = new Map<string, Set<string>>();
  for (const event of disputes) {
    if (event.kind === "returned") add(returned, event.department, event.orderId);
    else add(given, event.to, event.orderId);
  }
  const disputeRows = new Map(disputesByDepartment(disputes).map((row) => [row.department, row]));
  const overdue = new Map<string, { known: number; late: number }>();
  for (const order of closed) {
    const lead = order.state.closed?.departments[0]?.code;
    const due = order.suggestion?.completeBy ? Date.parse(order.suggestion.completeBy) : Number.NaN;
    const closedAt = order.state.closed ? Date.parse(order.state.closed.at) : Number.NaN;
    if (!lead || Number.isNaN(due) || Number.isNaN(closedAt)) continue;
    const entry = overdue.get(lead) ?? { known: 0, late: 0 };
    entry.known += 1;
    if (closedAt > due) entry.late += 1;
    overdue.set(lead, entry);
  }
  const departments = new Set([
    ...given.keys(),
    ...returned.keys(),
    ...disputeRows.keys(),
    ...overdue.keys(),
  ]);
  return [...departments]
    .map((department) => {
      const received = given.get(department)?.size ?? 0;
      const returnedCount = returned.get(department)?.size ?? 0;
      const late = overdue.get(department) ?? { known: 0, late: 0 };
      return {
        department,
        received,
        returned: returnedCount,
        returnRate: received > 0 ? round(returnedCount / received) : null,
        reassignedAway: disputeRows.get(department)?.reassignedAway ?? 0,
        pairs: disputeRows.get(department)?.pairs ?? [],
        closedWithDeadline: late.known,
        closedOverdue: late.late,
        overdueRate: late.known > 0 ? round(late.late / late.known) : null,
      };
    })
    .sort((left, right) => right.received - left.received || (left.department < right.department ? -1 : 1));
}

/** Requests per centre day in [from, to], every day present (zero days included), oldest first. */
export function dailyCounts(times: readonly Date[], from: string, to: string): Count[] {
  const counts = new Map<string, number>();
  for (let day = from; day <= to; day = centreDay(new Date(centreDayRange(day).to.getTime() + HOUR_MS))) {
    counts.set(day, 0);
    if (counts.size > 400) break; // a topic older than a year is charted by its last 400 days
  }
  for (const time of times) {
    const day = centreDay(time);
    if (counts.has(day)) counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  return [...counts].map(([key, count]) => ({ key, count }));
}

export interface BarChart {
  width: number;
  height: number;
  bars: { label: string; count: number; x: number; y: number; width: number; height: number }[];
}

/**
 * Geometry of a bar chart drawn on the server as inline SVG (no script, no CDN: the pages' CSP).
 * Horizontal bars for ranked counts; vertical columns for counts over time.
 */
export function barChart(
  rows: readonly { label: string; count: number }[],
  orientation: "horizontal" | "vertical",
  size: { width: number; bar: number; gap: number; labelWidth: number },
): BarChart {
  const max = Math.max(1, ...rows.map((row) => row.count));
  if (orientation === "horizontal") {
    const span = size.width - size.labelWidth - 40;
    return {
      width: size.width,
      height: rows.length * (size.bar + size.gap) + size.gap,
      bars: rows.map((row, index) => ({
        label: row.label,
        count: row.count,
        x: size.labelWidth,
        y: size.gap + index * (size.bar + size.gap),
        width: Math.max(row.count > 0 ? 1 : 0, Math.round((row.count / max) * span)),
        height: size.bar,
      })),
    };
  }
  const plot = 120;
  const step = size.bar + size.gap;
  return {
    width: Math.max(size.width, rows.length * step + size.gap),
    height: plot + 20,
    bars: rows.map((row, index) => {
      const height = Math.round((row.count / max) * (plot - 16));
      return {
        label: row.label,
        count: row.count,
        x: size.gap + index * step,
        y: plot - height,
        width: size.bar,
        height,
      };
    }),
  };
}

/** A hot topic as a 专报 draft sees it. */
export interface TopicFacts {
  label: string;
  keywords: string[];
  places: string[];
  district: string | null;
  count: number;
  firstAt: Date;
  lastAt: Date;
  departments: { name: string; count: number }[];
  openOrders: number;
  overdueOrders: number;
  examples: string[];
}

/** Marks what a person must write: the draft never invents causes, measures or outcomes. */
export const blank = (what: string) => `【待填写：${what}】`;

const chineseDate = (instant: Date) => {
  const [year, month, day] = centreDay(instant).split("-").map(Number);
  return `${year}年${month}月${day}日`;
};

/**
 * A 专报 draft in the centre's register (情况专报: 基本情况、主要诉求、办理情况、原因分析、工作建议).
 * Every figure comes from the data; analysis and proposals are blanks for the author.
 *
 * @example
 * topicDraft(facts).title; // "关于江城区魅力之城小区油烟扰民问题的专报（草稿）"
 */
export function topicDraft(facts: TopicFacts): {
  title: string;
  sections: { heading: string; text: string }[];
} {
  const place = facts.places[0] ?? facts.district ?? "";
  // Pieces of a place name ("之城", "小区" of 魅力之城小区) say where, not what: the place is named already.
  const placeNames = [...facts.places, facts.district ?? ""].filter(Boolean);
  const subject =
    facts.keywords
      .filter((keyword) => !placeNames.some((name) => name.includes(keyword)))
      .slice(0, 3)
      .join("、") || blank("问题概括");
  const where = [facts.district, place !== facts.district ? place : null].filter(Boolean).join("");
  const dispatched =
    facts.departments.length > 0
      ? `相关工单派往${facts.departments.map((department) => `${department.name}（${department.count}件）`).join("、")}`
      : "相关诉求尚无派单记录";
  return {
    title: `关于${where || blank("地点")}${subject}问题的专报（草稿）`,
    sections: [
      {
        heading: "一、基本情况",
        text: `${chineseDate(facts.firstAt)}至${chineseDate(facts.lastAt)}，12345热线共受理${where ? `${where}` : ""}涉及“${subject}”的诉求${facts.count}件${facts.places.length > 1 ? `，涉及${facts.places.join("、")}等地点` : ""}。`,
      },
      {
        heading: "二、主要诉求",
        text: `群众反映的主要内容包括：${facts.examples.length > 0 ? facts.examples.map((example, index) => `（${index + 1}）${example}`).join("；") : blank("主要诉求")}。${blank("归纳群众的核心诉求")}`,
      },
      {
        heading: "三、办理情况",
        text: `${dispatched}；目前仍在办理${facts.openOrders}件，其中超期${facts.overdueOrders}件。${blank("承办部门的处置进展与答复情况")}`,
      },
      { heading: "四、原因分析", text: blank("问题反复出现的原因（须经核实）") },
      { heading: "五、工作建议", text: blank("对市政府及相关部门的建议") },
    ],
  };
}

/** The dimensions spikes are counted by (the key's prefix, see #domain/analytics/spikes). */
export const SPIKE_DIMENSIONS = ["category", "department", "district", "topic"] as const;
export type SpikeDimension = (typeof SPIKE_DIMENSIONS)[number];

/** "department:zjj" → { dimension: "department", value: "zjj" }. */
export function splitSpikeKey(key: string): { dimension: SpikeDimension; value: string } | null {
  const at = key.indexOf(":");
  const dimension = key.slice(0, at) as SpikeDimension;
  return at > 0 && SPIKE_DIMENSIONS.includes(dimension) ? { dimension, value: key.slice(at + 1) } : null;
}

/**
 * A spike alert's id: its key and the centre day its window ends on, so the same spike keeps its
 * id through the day (an admin can link it to a crisis) and tomorrow's is a new alert. FNV-1a keeps
 * it short and URL-safe whatever the key's characters.
 */
export function spikeAlertId(key: string, windowEnd: Date): string {
  let hash = 0x811c9dc5;
  for (const char of `${key}@${centreDay(windowEnd)}`) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `spike-${centreDay(windowEnd).replaceAll("-", "")}-${hash.toString(16).padStart(8, "0")}`;
}

/** How the usual level was taken, in Chinese, for the alert's evidence. */
export function spikeBasis(windowStart: Date, windowEnd: Date, weeks: number): string {
  const hours = Math.round((windowEnd.getTime() - windowStart.getTime()) / HOUR_MS);
  return `${centreWeekdayTime(windowStart)}至${centreWeekdayTime(windowEnd)}（${hours}小时）的受理量，对比此前${weeks}周同一星期、同一时段的平均值`;
}
