import { CONFIDENCE_BANDS, type ConfidenceBand } from "./values";

/*
 * Accuracy against final values: what the console suggested for an order (the stored suggestion,
 * linked by suggestionId) compared with what the order was closed with. Pure: the service loads
 * the rows, these functions count.
 */

export const OUTCOME_HEADS = ["category", "type", "department", "urgent", "marketEntity"] as const;
export type OutcomeHead = (typeof OUTCOME_HEADS)[number];

/** China Standard Time: days and weeks are the centre's, not UTC's. */
const CENTRE_OFFSET_MS = 8 * 3600_000;

/** Alert settings: a head alerts when its last week's top-1 is more than `margin` below the weeks before. */
export interface AlertSettings {
  /** Absolute drop in top-1 (0.05 = five percentage points). */
  margin: number;
  /** How many earlier weeks form the baseline. */
  baselineWeeks: number;
  /** Weeks with fewer linked closed orders than this are not judged, nor used as a baseline. */
  minOrders: number;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = { margin: 0.05, baselineWeeks: 4, minOrders: 20 };

/** One closed order with the suggestion made for it. */
export interface OutcomeRow {
  orderId: string;
  receivedAt: string;
  /** Ranked suggestions per head, best first, with the band of each (null when the head has none). */
  suggested: Record<OutcomeHead, { label: string; band: ConfidenceBand | null }[]>;
  final: {
    category: string[];
    type: string;
    /** The final lead department (主办). */
    department: string | null;
    urgent: boolean;
    marketEntity: boolean;
  };
}

/**
 * Whether a suggested label is the final value. A category path is right when it begins with the
 * final path (a final value of one or two levels is matched on those levels).
 *
 * @example
 * isCorrect("category", "城乡建设/市政设施/路灯", { ...final, category: ["城乡建设"] }); // true
 */
export function isCorrect(head: OutcomeHead, label: string, final: OutcomeRow["final"]): boolean {
  switch (head) {
    case "category": {
      const levels = label.split("/");
      return final.category.every((level, index) => levels[index] === level);
    }
    case "type":
      return label === final.type;
    case "department":
      return final.department !== null && label === final.department;
    case "urgent":
      return label === String(final.urgent);
    case "marketEntity":
      return label === String(final.marketEntity);
  }
}

export interface BandFigures {
  /** Orders whose top suggestion was in this band. */
  count: number;
  /** Their share of all orders of the bucket. */
  coverage: number;
  /** Top-1 accuracy within the band (null when the band is empty). */
  top1: number | null;
}

export interface HeadFigures {
  count: number;
  correctTop1: number;
  correctTop3: number;
  top1: number | null;
  top3: number | null;
  /** Per confidence band of the top suggestion; null for heads served without bands. */
  bands: Record<ConfidenceBand, BandFigures> | null;
}

export interface AccuracyBucket {
  /** First day of the bucket (YYYY-MM-DD, China time): the day, or the Monday of the week. */
  start: string;
  orders: number;
  heads: Record<OutcomeHead, HeadFigures>;
}

export type Interval = "day" | "week";

/**
 * The centre's calendar day of an instant, or the Monday of its week.
 *
 * @example
 * bucketStart("2026-03-04T10:00:00+08:00", "week"); // "2026-03-02"
 */
export function bucketStart(instant: string | Date, interval: Interval): string {
  const local = new Date(new Date(instant).getTime() + CENTRE_OFFSET_MS);
  if (interval === "week") local.setUTCDate(local.getUTCDate() - ((local.getUTCDay() + 6) % 7));
  return local.toISOString().slice(0, 10);
}

/** The instant a centre day (YYYY-MM-DD) begins. */
export function centreDayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - CENTRE_OFFSET_MS);
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}

function headFigures(rows: readonly OutcomeRow[], head: OutcomeHead): HeadFigures {
  let correctTop1 = 0;
  let correctTop3 = 0;
  let banded = false;
  const bands = Object.fromEntries(
    CONFIDENCE_BANDS.map((band) => [band, { count: 0, correct: 0 }]),
  ) as Record<ConfidenceBand, { count: number; correct: number }>;
  for (const row of rows) {
    const ranked = row.suggested[head];
    const first = ranked[0];
    const right = first !== undefined && isCorrect(head, first.label, row.final);
    if (right) correctTop1 += 1;
    if (ranked.slice(0, 3).some((entry) => isCorrect(head, entry.label, row.final))) correctTop3 += 1;
    if (first?.band) {
      banded = true;
      bands[first.band].count += 1;
      if (right) bands[first.band].correct += 1;
    }
  }
  return {
    count: rows.length,
    correctTop1,
    correctTop3,
    top1: ratio(correctTop1, rows.length),
    top3: ratio(correctTop3, rows.length),
    bands: banded
      ? (Object.fromEntries(
          CONFIDENCE_BANDS.map((band) => [
            band,
            {
              count: bands[band].count,
              coverage: ratio(bands[band].count, rows.length) ?? 0,
              top1: ratio(bands[band].correct, bands[band].count),
            },
          ]),
        ) as Record<ConfidenceBand, BandFigures>)
      : null,
  };
}

/**
 * Top-1/top-3 per head and band coverage, overall and per day or week (by when the order was
 * received, China time), oldest bucket first.
 *
 * @example
 * const { total, buckets } = computeAccuracy(rows, "week");
 * total.heads.department.top1; // share of orders whose first suggested department was the final lead
 */
export function computeAccuracy(
  rows: readonly OutcomeRow[],
  interval: Interval,
): { total: Omit<AccuracyBucket, "start">; buckets: AccuracyBucket[] } {
  const grouped = new Map<string, OutcomeRow[]>();
  for (const row of rows) {
    const start = bucketStart(row.receivedAt, interval);
    grouped.set(start, [...(grouped.get(start) ?? []), row]);
  }
  const figures = (list: readonly OutcomeRow[]) => ({
    orders: list.length,
    heads: Object.fromEntries(OUTCOME_HEADS.map((head) => [head, headFigures(list, head)])) as Record<
      OutcomeHead,
      HeadFigures
    >,
  });
  return {
    total: figures(rows),
    buckets: [...grouped.keys()].sort().map((start) => ({ start, ...figures(grouped.get(start) ?? []) })),
  };
}

export interface AccuracyAlert {
  head: OutcomeHead;
  week: string;
  top1: number;
  baseline: number;
  drop: number;
  orders: number;
  baselineWeeks: string[];
}

/**
 * Heads whose top-1 in the last judged week (the newest with at least `minOrders` orders) is more
 * than `margin` below the pooled top-1 of up to `baselineWeeks` judged weeks before it.
 *
 * @example
 * accuracyAlerts(computeAccuracy(rows, "week").buckets, DEFAULT_ALERT_SETTINGS);
 */
export function accuracyAlerts(weeks: readonly AccuracyBucket[], settings: AlertSettings): AccuracyAlert[] {
  const alerts: AccuracyAlert[] = [];
  for (const head of OUTCOME_HEADS) {
    const judged = weeks.filter((week) => week.heads[head].count >= settings.minOrders);
    const last = judged.at(-1);
    const before = judged.slice(0, -1).slice(-settings.baselineWeeks);
    if (!last || before.length === 0 || last.heads[head].top1 === null) continue;
    const count = before.reduce((sum, week) => sum + week.heads[head].count, 0);
    const correct = before.reduce((sum, week) => sum + week.heads[head].correctTop1, 0);
    const baseline = correct / count;
    const drop = baseline - last.heads[head].correctTop1 / last.heads[head].count;
    // A tiny epsilon so a drop of exactly the margin (in floating point) does not alert.
    if (drop > settings.margin + 1e-9) {
      alerts.push({
        head,
        week: last.start,
        top1: last.heads[head].top1,
        baseline: Math.round(baseline * 10_000) / 10_000,
        drop: Math.round(drop * 10_000) / 10_000,
        orders: last.heads[head].count,
        baselineWeeks: before.map((week) => week.start),
      });
    }
  }
  return alerts;
}

export interface KnownFail {
  head: OutcomeHead;
  suggested: string;
  final: string;
  count: number;
  /** A few order ids, newest first. */
  examples: string[];
}

/** The final value of a head as a label string (the category as its path). */
export function finalLabel(head: OutcomeHead, final: OutcomeRow["final"]): string {
  switch (head) {
    case "category":
      return final.category.join("/");
    case "department":
      return final.department ?? "";
    case "type":
      return final.type;
    case "urgent":
      return String(final.urgent);
    case "marketEntity":
      return String(final.marketEntity);
  }
}

/**
 * Recurring wrong suggestions: (head, suggested top-1, final value) pairs seen at least `minCount`
 * times, most frequent first, with up to `examples` order ids each.
 *
 * @example
 * knownFails(rows, { minCount: 2, examples: 3 })[0]; // { head: "department", suggested: "cgj", final: "zjj", count: 7, … }
 */
export function knownFails(
  rows: readonly OutcomeRow[],
  options: { minCount: number; examples: number },
): KnownFail[] {
  const pairs = new Map<string, KnownFail>();
  const newestFirst = [...rows].sort((a, b) => Date.parse(b.receivedAt) - Date.parse(a.receivedAt));
  for (const row of newestFirst) {
    for (const head of OUTCOME_HEADS) {
      const first = row.suggested[head][0];
      if (!first || isCorrect(head, first.label, row.final)) continue;
      const final = finalLabel(head, row.final);
      const key = JSON.stringify([head, first.label, final]);
      const entry = pairs.get(key) ?? { head, suggested: first.label, final, count: 0, examples: [] };
      entry.count += 1;
      if (entry.examples.length < options.examples) entry.examples.push(row.orderId);
      pairs.set(key, entry);
    }
  }
  return [...pairs.values()]
    .filter((entry) => entry.count >= options.minCount)
    .sort(
      (a, b) =>
        b.count - a.count ||
        a.head.localeCompare(b.head) ||
        a.suggested.localeCompare(b.suggested) ||
        a.final.localeCompare(b.final),
    );
}
