import { z } from "zod";
import { ValidationError } from "#domain/errors";
import {
  type AccuracyAlert,
  accuracyAlerts,
  bucketStart,
  centreDayStart,
  computeAccuracy,
  DEFAULT_ALERT_SETTINGS,
  type Interval,
  knownFails,
  OUTCOME_HEADS,
  type OutcomeHead,
  type OutcomeRow,
} from "#domain/outcomes";
import { CalendarDateSchema, CONFIDENCE_BANDS, type ConfidenceBand } from "#domain/values";
import type { OrderWithSuggestion } from "#domain/work-orders";
import type { ServiceDeps } from "./deps";

type OutcomeDeps = Pick<ServiceDeps, "workOrders" | "clock" | "telemetry" | "accuracyAlerts">;

const DAY_MS = 86_400_000;
/** The longest range one accuracy request may span (a year and a bit of weekly curves). */
const MAX_RANGE_DAYS = 400;

export const AccuracyQuerySchema = z.object({
  from: CalendarDateSchema,
  to: CalendarDateSchema,
  interval: z.enum(["day", "week"]).default("week"),
});

export const KnownFailsQuerySchema = z.object({
  from: CalendarDateSchema,
  to: CalendarDateSchema,
  minCount: z.number().int().min(1).max(1000).default(2),
});

const bandOf = (value: unknown): ConfidenceBand | null =>
  CONFIDENCE_BANDS.includes(value as ConfidenceBand) ? (value as ConfidenceBand) : null;

/** The suggestion as served, read defensively (rows stored by older versions may lack a field). */
const ServedSchema = z.object({
  category: z.array(z.object({ path: z.array(z.string()), band: z.unknown() })),
  type: z.array(z.object({ label: z.string(), band: z.unknown() })),
  departments: z.array(z.object({ code: z.string(), band: z.unknown() })),
  urgent: z.object({ flag: z.boolean() }),
  marketEntity: z.object({ flag: z.boolean() }),
});

/** A closed order and its suggestion as one row to count, or null when the suggestion is gone. */
export function outcomeRow(order: OrderWithSuggestion): OutcomeRow | null {
  const { state } = order;
  const served = ServedSchema.safeParse(order.suggestion);
  if (!served.success || !state.closed || !state.created) return null;
  const closed = state.closed;
  const suggested: Record<OutcomeHead, { label: string; band: ConfidenceBand | null }[]> = {
    category: served.data.category.map((entry) => ({
      label: entry.path.join("/"),
      band: bandOf(entry.band),
    })),
    type: served.data.type.map((entry) => ({ label: entry.label, band: bandOf(entry.band) })),
    department: served.data.departments.map((entry) => ({ label: entry.code, band: bandOf(entry.band) })),
    urgent: [{ label: String(served.data.urgent.flag), band: null }],
    marketEntity: [{ label: String(served.data.marketEntity.flag), band: null }],
  };
  return {
    orderId: state.orderId,
    receivedAt: state.created.receivedAt,
    suggested,
    final: {
      category: closed.category,
      type: closed.type,
      department: (closed.departments.find((d) => d.role === "主办") ?? closed.departments[0])?.code ?? null,
      urgent: closed.urgent,
      marketEntity: closed.marketEntity,
    },
  };
}

function range(from: string, to: string): { start: Date; end: Date } {
  if (to < from) throw new ValidationError(`to (${to}) is before from (${from})`);
  const start = centreDayStart(from);
  const end = new Date(centreDayStart(to).getTime() + DAY_MS);
  if ((end.getTime() - start.getTime()) / DAY_MS > MAX_RANGE_DAYS)
    throw new ValidationError(`a range spans at most ${MAX_RANGE_DAYS} days`);
  return { start, end };
}

async function rowsBetween(deps: Pick<OutcomeDeps, "workOrders">, start: Date, end: Date) {
  const orders = await deps.workOrders.closedWithSuggestions(start, end);
  const rows = orders.map(outcomeRow).filter((row): row is OutcomeRow => row !== null);
  return { rows, linked: orders.length };
}

/**
 * Top-1/top-3 of the suggestion made for each closed order against the value it was closed with,
 * per head, per day or week (China time, by when the order was received; `from`/`to` inclusive),
 * with coverage and top-1 per confidence band. Orders count when they were closed, name a
 * suggestion (`suggestionId` in `created`) and that suggestion is still stored.
 *
 * @example
 * await accuracyOverTime({ deps, input: { from: "2026-03-01", to: "2026-03-31", interval: "week" } });
 */
export async function accuracyOverTime({
  deps,
  input,
}: {
  deps: Pick<OutcomeDeps, "workOrders">;
  input: z.input<typeof AccuracyQuerySchema>;
}) {
  const query = AccuracyQuerySchema.parse(input);
  const { start, end } = range(query.from, query.to);
  const { rows, linked } = await rowsBetween(deps, start, end);
  const { total, buckets } = computeAccuracy(rows, query.interval as Interval);
  return {
    from: query.from,
    to: query.to,
    interval: query.interval,
    heads: [...OUTCOME_HEADS],
    /** Closed orders naming a suggestion; `orders` of the total is how many of them still had it stored. */
    linkedOrders: linked,
    total,
    buckets,
  };
}

/**
 * Heads whose top-1 in the last judged week dropped more than the configured margin below the
 * weeks before (see accuracyAlerts), computed over the recent weeks up to now. Reports them to
 * telemetry too (the `outcome_accuracy_alert` gauge).
 *
 * @example
 * const { alerts } = await checkAccuracyAlerts({ deps });
 */
export async function checkAccuracyAlerts({
  deps,
}: {
  deps: OutcomeDeps;
}): Promise<{ settings: typeof DEFAULT_ALERT_SETTINGS; alerts: AccuracyAlert[]; weeks: string[] }> {
  const settings = deps.accuracyAlerts ?? DEFAULT_ALERT_SETTINGS;
  const now = deps.clock.now();
  const thisWeek = centreDayStart(bucketStart(now, "week"));
  const start = new Date(thisWeek.getTime() - (settings.baselineWeeks + 1) * 7 * DAY_MS);
  const { rows } = await rowsBetween(deps, start, new Date(now.getTime() + 1));
  const { buckets } = computeAccuracy(rows, "week");
  const alerts = accuracyAlerts(buckets, settings);
  deps.telemetry.observeAccuracyAlerts?.(
    OUTCOME_HEADS.map((head) => ({ head, alerting: alerts.some((alert) => alert.head === head) })),
  );
  return { settings, alerts, weeks: buckets.map((bucket) => bucket.start) };
}

/**
 * Recurring wrong suggestions (suggested top-1 → final value) with counts and example order ids,
 * for evaluators.
 *
 * @example
 * await listKnownFails({ deps, input: { from: "2026-01-01", to: "2026-03-31", minCount: 3 } });
 */
export async function listKnownFails({
  deps,
  input,
}: {
  deps: Pick<OutcomeDeps, "workOrders">;
  input: z.input<typeof KnownFailsQuerySchema>;
}) {
  const query = KnownFailsQuerySchema.parse(input);
  const { start, end } = range(query.from, query.to);
  const { rows } = await rowsBetween(deps, start, end);
  return {
    from: query.from,
    to: query.to,
    orders: rows.length,
    fails: knownFails(rows, { minCount: query.minCount, examples: 5 }),
  };
}
