import { z } from "zod";
import type { RequestType } from "./classifier/rules";

/** Working-day arithmetic with public holidays and 调休 (adapter: chinese-days). */
export interface WorkCalendar {
  /** The date (YYYY-MM-DD) `days` working days after `date`; 0 = `date` itself if it is a working day, else the next one. */
  addWorkingDays(date: string, days: number): string;
  /**
   * The last day (YYYY-MM-DD) whose holidays and 调休 the calendar knows. Past it only weekends
   * count as days off, so deadlines crossing it must say so.
   */
  coveredThrough(): string;
}

const DaysByType = z.strictObject({
  咨询: z.number().int().min(0),
  求助: z.number().int().min(0),
  投诉: z.number().int().min(0),
  举报: z.number().int().min(0),
  建议: z.number().int().min(0),
  表扬: z.number().int().min(0),
});

/** knowledge/rules.yaml: handling-time rules. */
export const HandlingRulesSchema = z.strictObject({
  /** "2135": business (市场主体) requests answered within 2 h, closed in 1/3/5 working days by type. */
  business2135: z.strictObject({
    respondWithinHours: z.number().positive(),
    completeWithinWorkingDays: DaysByType,
  }),
  standard: z.strictObject({
    respondWithinHours: z.number().positive(),
    completeWithinWorkingDays: DaysByType,
  }),
  emergency: z.strictObject({ completeWithinHours: z.number().positive() }),
  /** Close of business, China time, for "within N working days". */
  endOfWorkday: z.string().regex(/^\d{2}:\d{2}$/),
  /** Crisis mode (e.g. an epidemic): every time limit is multiplied by this factor. */
  crisisMode: z.strictObject({ factor: z.number().positive().max(1) }),
});
export type HandlingRules = z.infer<typeof HandlingRulesSchema>;

export interface Deadlines {
  respondBy: string;
  completeBy: string;
  rule: "2135" | "emergency" | "standard";
  /** `calendar-not-covered:YYYY` for each year the count crossed without holiday data. */
  warnings: string[];
}

/**
 * Years between two days (inclusive) that lie after the calendar's coverage: a working-day count
 * across them treated every holiday and 调休 day of that year as an ordinary day.
 */
export function uncoveredYears(fromDay: string, toDay: string, coveredThrough: string): number[] {
  const years: number[] = [];
  const first = Number(fromDay.slice(0, 4));
  const last = Number(toDay.slice(0, 4));
  for (let year = first; year <= last; year++) {
    const yearEnd = `${year}-12-31`;
    const spanEnd = year === last ? toDay : yearEnd;
    if (spanEnd > coveredThrough) years.push(year);
  }
  return years;
}

const CHINA_OFFSET_MS = 8 * 3600_000;

function chinaDay(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

function atChinaTime(day: string, time: string): Date {
  return new Date(`${day}T${time}:00+08:00`);
}

/**
 * Response and completion deadlines. Emergencies: respond within the list's dispatch time;
 * business requests: the 2135 rule; otherwise the standard rule. "N working days" ends at close of
 * business on the Nth working day after the day received (holidays and 调休 respected). In crisis
 * mode every limit is scaled by the configured factor (working days rounded up, at least 1).
 *
 * @example
 * computeDeadlines({ receivedAt, type: "咨询", marketEntity: true, dispatchWithinMinutes: null, crisisMode: false }, rules, calendar);
 * // { respondBy: receivedAt + 2 h, completeBy: next working day 17:30, rule: "2135" }
 */
export function computeDeadlines(
  input: {
    receivedAt: Date;
    type: RequestType;
    marketEntity: boolean;
    dispatchWithinMinutes: number | null;
    crisisMode: boolean;
  },
  rules: HandlingRules,
  calendar: WorkCalendar,
): Deadlines {
  const factor = input.crisisMode ? rules.crisisMode.factor : 1;
  const hours = (value: number) => new Date(input.receivedAt.getTime() + value * factor * 3600_000);
  const warnings: string[] = [];
  const workingDays = (value: number) => {
    const days = input.crisisMode ? Math.max(1, Math.ceil(value * factor)) : value;
    const fromDay = chinaDay(input.receivedAt);
    const dueDay = calendar.addWorkingDays(fromDay, days);
    for (const year of uncoveredYears(fromDay, dueDay, calendar.coveredThrough())) {
      warnings.push(`calendar-not-covered:${year}`);
    }
    return atChinaTime(dueDay, rules.endOfWorkday);
  };
  if (input.dispatchWithinMinutes !== null) {
    return {
      respondBy: hours(input.dispatchWithinMinutes / 60).toISOString(),
      completeBy: hours(rules.emergency.completeWithinHours).toISOString(),
      rule: "emergency",
      warnings,
    };
  }
  const rule = input.marketEntity ? rules.business2135 : rules.standard;
  const completeBy = workingDays(rule.completeWithinWorkingDays[input.type]).toISOString();
  return {
    respondBy: hours(rule.respondWithinHours).toISOString(),
    completeBy,
    rule: input.marketEntity ? "2135" : "standard",
    warnings,
  };
}

/** Days before the end of holiday data from which `/readyz` reports the calendar as not ok. */
export const CALENDAR_WARNING_DAYS = 45;

/**
 * Whether the working-day calendar still covers the coming weeks: false once its last covered day
 * is fewer than CALENDAR_WARNING_DAYS days away (the next year's notice must be entered).
 */
export function calendarCoverage(coveredThrough: string, now: Date): { coveredThrough: string; ok: boolean } {
  const end = new Date(`${coveredThrough}T23:59:59+08:00`).getTime();
  return { coveredThrough, ok: end - now.getTime() >= CALENDAR_WARNING_DAYS * 86_400_000 };
}
