import { z } from "zod";
import { rankTopics } from "#domain/analytics/hot-topics";
import {
  agentBoard,
  centreDay,
  centreDayRange,
  centreMonthRange,
  type DepartmentDisputes,
  type DueItem,
  dailyCounts,
  departmentBoard,
  disputesByDepartment,
  dueStatus,
  orderIs2135,
  orderLead,
  orderUrgent,
  REPORT_SETTINGS,
  SPIKE_DIMENSIONS,
  type SpikeDimension,
  spikeAlertId,
  spikeBasis,
  splitSpikeKey,
  summaryOf,
  topicDraft,
  volumeOf,
} from "#domain/analytics/reports";
import { DEFAULT_SPIKES, detectSpikes } from "#domain/analytics/spikes";
import type { Crisis } from "#domain/crisis";
import { ConflictError, DomainError, NotFoundError } from "#domain/errors";
import { CalendarDateSchema } from "#domain/values";
import { declareCrisis } from "./crisis";
import type { ServiceDeps } from "./deps";

const DAY_MS = 86_400_000;
/** Audit entity type of the links between spike alerts and crises. */
const ALERT_ENTITY = "analytics-alert";

type ReportDeps = Pick<ServiceDeps, "reports" | "analytics" | "clock" | "suggest" | "audit" | "telemetry">;

const nameOf = (deps: Pick<ServiceDeps, "suggest">, code: string | null) =>
  code ? (deps.suggest.departmentNames.get(code) ?? code) : null;

/** A hot topic's label, keywords and places (as the hot-topic list ranks them), with its requests. */
async function describedTopic(deps: Pick<ServiceDeps, "reports" | "analytics">, topicId: string) {
  const found = await deps.reports.topic(topicId);
  if (!found) return null;
  const { topic, members } = found;
  const to = new Date(topic.lastAt.getTime() + 1);
  const frequencies = await deps.analytics.termFrequencies(topic.firstAt, to);
  const total = Math.max(1, frequencies.total);
  const [ranked] = rankTopics(
    [topic],
    new Map(members.map((member) => [member.id, member.at] as const)),
    (term) => (frequencies.counts.get(term) ?? 0) / total,
    { limit: 1, minCount: 1 },
  );
  return ranked ? { ranked, members } : null;
}

export interface SpikeAlert {
  kind: "spike";
  id: string;
  dimension: SpikeDimension;
  /** The department code, category path, district or topic id. */
  value: string;
  /** What people read: the department's name, the topic's label, the category or district itself. */
  label: string;
  key: string;
  count: number;
  usual: number;
  previous: number[];
  ratio: number;
  windowStart: string;
  windowEnd: string;
  /** How the usual level was taken (weekday and hours), in Chinese. */
  basis: string;
  /** The crisis an admin linked the alert to, if any. */
  crisis: { name: string; linkedBy: string; linkedAt: string } | null;
}

/**
 * Spike alerts at `at` (default now): each key's count in the last window against the same
 * weekday and hours of the previous weeks, with the evidence, a readable label and any crisis link.
 * Computing the current alerts also sets the `hotline_spike_alerts` gauge.
 *
 * @example
 * const alerts = await listSpikeAlerts({ deps, input: {} });
 */
export async function listSpikeAlerts({
  deps,
  input,
}: {
  deps: ReportDeps;
  input: { at?: Date };
}): Promise<SpikeAlert[]> {
  const now = deps.clock.now();
  const at = input.at && input.at < now ? input.at : now;
  const from = new Date(at.getTime() - (DEFAULT_SPIKES.baselineWeeks * 7 + 1) * DAY_MS);
  const spikes = detectSpikes(await deps.analytics.keyedEvents(from, at), at);
  const alerts: SpikeAlert[] = [];
  for (const spike of spikes) {
    const split = splitSpikeKey(spike.key);
    if (!split) continue;
    const id = spikeAlertId(spike.key, spike.windowEnd);
    const label =
      split.dimension === "department"
        ? (nameOf(deps, split.value) ?? split.value)
        : split.dimension === "topic"
          ? ((await describedTopic(deps, split.value))?.ranked.label ?? split.value)
          : split.value;
    const [link] = await deps.audit.list({ entityType: ALERT_ENTITY, entityId: id, limit: 1 });
    const linked = link?.after as { crisis?: { name?: string } } | undefined;
    alerts.push({
      kind: "spike",
      id,
      ...split,
      label,
      key: spike.key,
      count: spike.count,
      usual: spike.usual,
      previous: spike.previous,
      ratio: spike.ratio,
      windowStart: spike.windowStart.toISOString(),
      windowEnd: spike.windowEnd.toISOString(),
      basis: spikeBasis(spike.windowStart, spike.windowEnd, DEFAULT_SPIKES.baselineWeeks),
      crisis:
        link && linked?.crisis?.name
          ? { name: linked.crisis.name, linkedBy: link.actor, linkedAt: link.at }
          : null,
    });
  }
  if (at === now)
    deps.telemetry.observeSpikeAlerts?.(
      SPIKE_DIMENSIONS.map((dimension) => ({
        dimension,
        alerts: alerts.filter((alert) => alert.dimension === dimension).length,
      })),
    );
  return alerts;
}

export const AlertCrisisLinkSchema = z.strictObject({
  /** Why the alert belongs to the crisis (audited). */
  reason: z.string().trim().min(1).max(500),
  /**
   * Declare a new crisis from the alert. Left out: the alert is linked to the crisis in force.
   * Without keywords and categories, a category alert declares its category and a topic alert
   * its three main keywords; a department or district alert must name them.
   */
  declare: z
    .strictObject({
      name: z.string().trim().min(1).max(50),
      keywords: z.array(z.string().trim().min(1).max(30)).max(50).default([]),
      categories: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
    })
    .optional(),
});

/**
 * Links a spike alert in force to a crisis: the one in force, or a new one declared from the alert
 * (through the crisis service, which audits the declaration). The link itself is audited too, and
 * shown with the alert from then on.
 *
 * @example
 * await linkAlertToCrisis({ deps, input: { alertId, reason: "台风过境，燃气报修激增" }, actor: "admin" });
 */
export async function linkAlertToCrisis({
  deps,
  input,
  actor,
}: {
  deps: ReportDeps & Pick<ServiceDeps, "transact" | "crisis">;
  input: { alertId: string } & z.input<typeof AlertCrisisLinkSchema>;
  actor: string;
}): Promise<{ alert: SpikeAlert; crisis: Crisis }> {
  const request = AlertCrisisLinkSchema.parse({ reason: input.reason, declare: input.declare });
  const alert = (await listSpikeAlerts({ deps, input: {} })).find((item) => item.id === input.alertId);
  if (!alert) throw new NotFoundError(`spike alert ${input.alertId} is not in force`);
  let crisis: Crisis | null;
  if (request.declare) {
    const declare = request.declare;
    const own = declare.keywords.length + declare.categories.length > 0;
    const keywords =
      own || alert.dimension !== "topic"
        ? declare.keywords
        : ((await describedTopic(deps, alert.value))?.ranked.keywords.slice(0, 3) ?? []);
    const categories = own || alert.dimension !== "category" ? declare.categories : [alert.value];
    crisis = await declareCrisis({
      deps,
      input: { active: true, name: declare.name, keywords, categories, reason: request.reason },
      actor,
    });
  } else {
    crisis = await deps.crisis.current();
    if (!crisis) throw new ConflictError("no crisis is in force: declare one with the link (`declare`)");
  }
  if (!crisis) throw new ConflictError("the crisis could not be declared");
  const linked = crisis;
  const at = deps.clock.now();
  await deps.transact(({ audit }) =>
    audit.append(
      {
        actor,
        action: "analytics.alert-crisis",
        entityType: ALERT_ENTITY,
        entityId: alert.id,
        after: {
          crisis: { name: linked.name, declaredAt: linked.declaredAt },
          alert: { key: alert.key, count: alert.count, usual: alert.usual, windowEnd: alert.windowEnd },
        },
        reason: request.reason,
      },
      at,
    ),
  );
  return {
    alert: { ...alert, crisis: { name: linked.name, linkedBy: actor, linkedAt: at.toISOString() } },
    crisis: linked,
  };
}

const named = (deps: Pick<ServiceDeps, "suggest">, rows: { key: string; count: number }[]) =>
  rows.map((row) => ({ ...row, label: nameOf(deps, row.key) ?? row.key }));

const CHANNEL_NAMES: Record<string, string> = { phone: "电话", web: "网站", wechat: "微信", app: "App" };

export interface DailyReport {
  date: string;
  timeZone: "Asia/Shanghai";
  from: string;
  to: string;
  /** The moment open orders and spikes are taken at: the day's end, or now for today. */
  asOf: string;
  generatedAt: string;
  volume: {
    orders: number;
    suggestions: number;
    byChannel: { key: string; label: string; count: number }[];
    byCategory: { key: string; label: string; count: number }[];
    byDepartment: { key: string; label: string; count: number }[];
    byDistrict: { key: string; label: string; count: number }[];
  };
  hotTopics: {
    id: string;
    label: string;
    count: number;
    heat: number;
    keywords: string[];
    district: string | null;
  }[];
  spikes: SpikeAlert[];
  business2135: {
    overdue: (DueItem & { departmentName: string | null })[];
    nearDue: (DueItem & { departmentName: string | null })[];
    unknownDue: number;
    nearDueHours: number;
  };
  urgent: {
    source: "order" | "suggestion";
    id: string;
    at: string;
    department: string | null;
    departmentName: string | null;
    summary: string;
  }[];
  disputes: (Omit<DepartmentDisputes, "pairs"> & { name: string; pairs: NamedPair[] })[];
}

type NamedPair = { from: string; to: string; count: number; toName: string };
const namedPairs = (
  deps: Pick<ServiceDeps, "suggest">,
  pairs: readonly { from: string; to: string; count: number }[],
) => pairs.map((pair) => ({ ...pair, toName: nameOf(deps, pair.to) ?? pair.to }));

export const DailyReportQuerySchema = z.object({ date: CalendarDateSchema });

/**
 * The daily report of a centre day: volume by channel, category, department and district; the
 * day's hot topics; spikes at the day's end; open 2135 orders overdue or near due; urgent
 * requests; 退单/改派 per department. Texts are the masked ones.
 *
 * @example
 * const report = await dailyReport({ deps, input: { date: "2026-11-30" } });
 */
export async function dailyReport({
  deps,
  input,
}: {
  deps: ReportDeps;
  input: { date: string };
}): Promise<DailyReport> {
  const { date } = DailyReportQuerySchema.parse(input);
  const now = deps.clock.now();
  if (date > centreDay(now)) throw new DomainError("BAD_REQUEST", `date ${date} has not happened yet`);
  const { from, to } = centreDayRange(date);
  const asOf = new Date(Math.min(to.getTime(), now.getTime()));
  const [orders, open, suggestions, disputes, spikes] = await Promise.all([
    deps.reports.ordersReceived(from, to),
    deps.reports.ordersOpenAt(asOf),
    deps.reports.suggestionsBetween(from, to),
    deps.reports.disputes(from, to),
    listSpikeAlerts({ deps, input: { at: asOf } }),
  ]);
  const found = await deps.analytics.topicsBetween(from, to);
  const frequencies = await deps.analytics.termFrequencies(from, to);
  const total = Math.max(1, frequencies.total);
  const topics = rankTopics(
    found.map(({ topic, members }) => ({
      ...topic,
      size: members.length,
      memberIds: members.map((member) => member.id),
    })),
    new Map(found.flatMap(({ members }) => members.map((member) => [member.id, member.at] as const))),
    (term) => (frequencies.counts.get(term) ?? 0) / total,
    { limit: REPORT_SETTINGS.hotTopics },
  );
  const volume = volumeOf(orders);
  const due = dueStatus(open, asOf);
  const withName = (item: DueItem) => ({ ...item, departmentName: nameOf(deps, item.department) });
  const linked = new Set(orders.flatMap((order) => order.state.created?.suggestionId ?? []));
  const urgent = [
    ...orders.filter(orderUrgent).map((order) => ({
      source: "order" as const,
      id: order.orderId,
      at: order.receivedAt?.toISOString() ?? "",
      department: orderLead(order),
      summary: summaryOf(order.state.created?.text ?? ""),
    })),
    // A call whose order has not arrived yet is still an urgent request of the day.
    ...suggestions
      .filter((suggestion) => suggestion.heads.urgent === true && !linked.has(suggestion.id))
      .map((suggestion) => ({
        source: "suggestion" as const,
        id: suggestion.id,
        at: suggestion.createdAt.toISOString(),
        department: suggestion.heads.lead,
        summary: summaryOf(suggestion.text ?? ""),
      })),
  ]
    .sort((left, right) => (left.at < right.at ? -1 : 1))
    .map((item) => ({ ...item, departmentName: nameOf(deps, item.department) }));
  return {
    date,
    timeZone: "Asia/Shanghai",
    from: from.toISOString(),
    to: to.toISOString(),
    asOf: asOf.toISOString(),
    generatedAt: now.toISOString(),
    volume: {
      orders: volume.orders,
      suggestions: suggestions.length,
      byChannel: volume.byChannel.map((row) => ({ ...row, label: CHANNEL_NAMES[row.key] ?? row.key })),
      byCategory: volume.byCategory.map((row) => ({ ...row, label: row.key })),
      byDepartment: named(deps, volume.byDepartment),
      byDistrict: volume.byDistrict.map((row) => ({ ...row, label: row.key })),
    },
    hotTopics: topics.map((topic) => ({
      id: topic.id,
      label: topic.label,
      count: topic.count,
      heat: Math.round(topic.heat * 100) / 100,
      keywords: topic.keywords,
      district: topic.district,
    })),
    spikes,
    business2135: {
      overdue: due.overdue.map(withName),
      nearDue: due.nearDue.map(withName),
      unknownDue: due.unknownDue,
      nearDueHours: REPORT_SETTINGS.nearDueHours,
    },
    urgent,
    disputes: disputesByDepartment(disputes).map((row) => ({
      ...row,
      name: nameOf(deps, row.department) ?? row.department,
      pairs: namedPairs(deps, row.pairs),
    })),
  };
}

/**
 * The 专报 material of one hot topic: label, keywords, places, requests per day, masked examples,
 * the departments involved, open and overdue orders, and a draft whose analysis and proposals
 * are marked blanks (never invented).
 *
 * @example
 * const report = await topicReport({ deps, input: { topicId: "topic-…" } });
 */
export async function topicReport({ deps, input }: { deps: ReportDeps; input: { topicId: string } }) {
  const described = await describedTopic(deps, input.topicId);
  if (!described) throw new NotFoundError(`hot topic ${input.topicId} does not exist`);
  const { ranked, members } = described;
  const now = deps.clock.now();
  const orders = await deps.reports.ordersOf(
    members.filter((member) => member.source === "order").map((member) => member.sourceId),
    members.filter((member) => member.source === "suggestion").map((member) => member.sourceId),
  );
  const open = orders.filter((order) => !order.closedAt || order.closedAt > now);
  const overdue = open.filter((order) => {
    const due = order.suggestion?.completeBy ? Date.parse(order.suggestion.completeBy) : Number.NaN;
    return !Number.isNaN(due) && due < now.getTime();
  });
  const departments = new Map<string, number>();
  for (const order of orders) {
    const codes = new Set([
      ...order.state.departments.map((department) => department.code),
      ...(order.state.closed?.departments.map((department) => department.code) ?? []),
      ...order.state.returns.map((entry) => entry.department),
      ...order.state.reassignments.map((entry) => entry.from),
    ]);
    for (const code of codes) departments.set(code, (departments.get(code) ?? 0) + 1);
  }
  const involved = [...departments]
    .map(([code, count]) => ({ code, name: nameOf(deps, code) ?? code, count }))
    .sort((left, right) => right.count - left.count);
  // Only masked summaries, and none emptied by retention.
  const examples = members
    .filter((member) => member.summary)
    .slice(-REPORT_SETTINGS.examples)
    .map((member) => ({ id: member.id, at: member.at.toISOString(), summary: summaryOf(member.summary) }));
  const perDay = dailyCounts(
    members.map((member) => member.at),
    centreDay(ranked.firstAt),
    centreDay(ranked.lastAt),
  );
  const draft = topicDraft({
    label: ranked.label,
    keywords: ranked.keywords,
    places: ranked.places,
    district: ranked.district,
    count: members.length,
    firstAt: ranked.firstAt,
    lastAt: ranked.lastAt,
    departments: involved,
    openOrders: open.length,
    overdueOrders: overdue.length,
    examples: examples.map((example) => example.summary),
  });
  return {
    id: ranked.id,
    label: ranked.label,
    keywords: ranked.keywords,
    places: ranked.places,
    district: ranked.district,
    count: members.length,
    heat: Math.round(ranked.heat * 100) / 100,
    firstAt: ranked.firstAt.toISOString(),
    lastAt: ranked.lastAt.toISOString(),
    perDay,
    examples,
    departments: involved,
    orders: {
      linked: orders.length,
      open: open.length,
      overdue: overdue.length,
      business2135: orders.filter(orderIs2135).length,
    },
    draft,
    generatedAt: now.toISOString(),
  };
}

export const MonthQuerySchema = z.object({
  month: z.string().regex(/^(19|20)\d{2}-(0[1-9]|1[0-2])$/, "must be a month YYYY-MM (1900–2099)"),
});

/**
 * Per agent and month (红黑榜 data, admins only): suggestions, acceptance, corrections per field,
 * scripts used, mean time from suggestion to feedback.
 *
 * @example
 * await agentBoardOf({ deps, input: { month: "2026-11" } });
 */
export async function agentBoardOf({
  deps,
  input,
}: {
  deps: Pick<ServiceDeps, "reports">;
  input: { month: string };
}) {
  const { month } = MonthQuerySchema.parse(input);
  const { from, to } = centreMonthRange(month);
  return { month, agents: agentBoard(await deps.reports.suggestionsBetween(from, to)) };
}

/**
 * Per department and month: 退单 rate, 改派 pairs, overdue rate of the orders it closed as lead.
 *
 * @example
 * await departmentBoardOf({ deps, input: { month: "2026-11" } });
 */
export async function departmentBoardOf({
  deps,
  input,
}: {
  deps: Pick<ServiceDeps, "reports" | "suggest">;
  input: { month: string };
}) {
  const { month } = MonthQuerySchema.parse(input);
  const { from, to } = centreMonthRange(month);
  const [assignments, disputes, closed] = await Promise.all([
    deps.reports.assignments(from, to),
    deps.reports.disputes(from, to),
    deps.reports.ordersClosed(from, to),
  ]);
  return {
    month,
    departments: departmentBoard(assignments, disputes, closed).map((row) => ({
      ...row,
      name: nameOf(deps, row.department) ?? row.department,
      pairs: namedPairs(deps, row.pairs),
    })),
  };
}
