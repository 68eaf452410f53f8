import { z } from "zod";

/**
 * The working-day calendar: public holidays and 调休 make-up working days as the State Council
 * publishes them each November, layered over a shipped source (chinese-days). Day arithmetic is
 * done on ISO strings through `Date.parse`/`toISOString`, which are exact for every year 0000–9999
 * (never `new Date(y, m, d)`, which maps years below 100 to 19xx: review #20).
 */

/** Working-day arithmetic with public holidays and 调休. */
export interface WorkCalendar {
  /** The date (YYYY-MM-DD) `days` working days after `date`; 0 = `date` itself if it is a working day, else the next one. */
  addWorkingDays(date: string, days: number): string;
  /**
   * The last day (YYYY-MM-DD) up to which every year's holidays and 调休 are known. Past it only
   * weekends may count as days off, so deadlines crossing it must say so.
   */
  coveredThrough(): string;
  /** Whether this year's 放假/调休 schedule is known. */
  covers(year: number): boolean;
}

/** A shipped schedule (chinese-days): which years it knows and what each of their days is. */
export interface HolidaySource {
  readonly firstYear: number;
  readonly lastYear: number;
  /** Only asked for days of years in [firstYear, lastYear]. */
  isWorkingDay(day: string): boolean;
}

const DAY_MS = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `day` is a real date written YYYY-MM-DD (2027-02-30 is not). */
export function isRealDay(day: string): boolean {
  if (!ISO_DAY.test(day)) return false;
  const time = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === day;
}

/**
 * The day `count` days after `day` (negative: before), for any 4-digit year.
 *
 * @example
 * addDays("0050-12-31", 1); // "0051-01-01"
 */
export function addDays(day: string, count: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + count * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: string): number {
  return new Date(Date.parse(`${day}T00:00:00Z`)).getUTCDay();
}

const isWeekend = (day: string) => {
  const weekday = weekdayOf(day);
  return weekday === 0 || weekday === 6;
};

/** The seven statutory holidays every year's notice must schedule. */
export const STATUTORY_HOLIDAYS = ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"] as const;

const DaySchema = z.preprocess(
  // YAML reads an unquoted 2027-01-01 as a Date.
  (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value),
  z.string().refine(isRealDay, { message: "expected a real date YYYY-MM-DD" }),
);

/** One year's 放假/调休 notice, as entered from the State Council's published text. */
export const CalendarYearEntrySchema = z.strictObject({
  /** The notice it was typed from, e.g. "国办发明电〔2026〕X号" (so a reviewer can compare). */
  notice: z.string().trim().min(1).max(200),
  /** Each holiday period: name (several joined by 、 when combined, e.g. "中秋节、国庆节"), first and last day off. */
  holidays: z
    .array(z.strictObject({ name: z.string().trim().min(1).max(30), from: DaySchema, to: DaySchema }))
    .min(1)
    .max(20),
  /** 调休: weekend days that are working days. */
  workdays: z.array(DaySchema).max(20).default([]),
});
export type CalendarYearEntry = z.infer<typeof CalendarYearEntrySchema>;

export interface CalendarYear extends CalendarYearEntry {
  year: number;
}

/** Longest holiday period a notice has ever had is 8 days; anything much longer is a typo. */
const MAX_HOLIDAY_DAYS = 12;

/** Every day from `from` to `to` inclusive (empty when to < from). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to && days.length <= 400; day = addDays(day, 1)) days.push(day);
  return days;
}

/**
 * What is wrong with one year's notice: days outside the year (元旦 may start in the last week of
 * the previous December), a period ending before it starts or implausibly long, a 调休 working day
 * that is not a weekend day, a day both off and working or in two periods, and a year that does
 * not schedule all seven statutory holidays.
 *
 * @example
 * checkCalendarYear({ year: 2030, notice: "…", holidays: [...], workdays: [] }); // [] when valid
 */
export function checkCalendarYear(entry: CalendarYear): string[] {
  const issues: string[] = [];
  const { year } = entry;
  if (!Number.isInteger(year) || year < 1000 || year > 9999) return [`year ${year} is not a 4-digit year`];
  const first = `${String(year - 1).padStart(4, "0")}-12-25`;
  const last = `${String(year).padStart(4, "0")}-12-31`;
  const inYear = (day: string) => day >= first && day <= last;
  const offDays = new Map<string, string>();
  const named = new Set<string>();
  for (const holiday of entry.holidays) {
    for (const name of holiday.name.split(/[、，,/]/).map((part) => part.trim())) {
      if ((STATUTORY_HOLIDAYS as readonly string[]).includes(name)) named.add(name);
      else
        issues.push(
          `${year} ${holiday.name}: unknown holiday ${name} (expected ${STATUTORY_HOLIDAYS.join("、")})`,
        );
    }
    if (holiday.to < holiday.from) {
      issues.push(`${year} ${holiday.name}: ends ${holiday.to} before it starts ${holiday.from}`);
      continue;
    }
    const days = daysBetween(holiday.from, holiday.to);
    if (days.length > MAX_HOLIDAY_DAYS) {
      issues.push(`${year} ${holiday.name}: ${days.length} days off in a row (at most ${MAX_HOLIDAY_DAYS})`);
      continue;
    }
    for (const day of days) {
      if (!inYear(day)) issues.push(`${year} ${holiday.name}: ${day} is not in ${year}`);
      const other = offDays.get(day);
      if (other) issues.push(`${year}: ${day} is in both ${other} and ${holiday.name}`);
      offDays.set(day, holiday.name);
    }
  }
  const seen = new Set<string>();
  for (const day of entry.workdays) {
    if (!inYear(day)) issues.push(`${year} 调休: ${day} is not in ${year}`);
    if (seen.has(day)) issues.push(`${year} 调休: ${day} is listed twice`);
    seen.add(day);
    if (!isWeekend(day))
      issues.push(`${year} 调休: ${day} is a weekday (a make-up working day is a Saturday or Sunday)`);
    const holiday = offDays.get(day);
    if (holiday) issues.push(`${year}: ${day} is both a day off (${holiday}) and a working day (调休)`);
  }
  const missing = STATUTORY_HOLIDAYS.filter((name) => !named.has(name));
  if (missing.length > 0)
    issues.push(`${year} is incomplete: no ${missing.join("、")} (enter the whole notice)`);
  return issues;
}

/**
 * The working-day calendar of `years` (entered notices) over `source` (shipped schedules): an
 * entered year replaces the source for that year; a year neither knows counts weekends only and is
 * reported as not covered.
 *
 * @example
 * const calendar = buildWorkCalendar(chineseDays, [{ year: 2030, notice, holidays, workdays }]);
 * calendar.addWorkingDays("2030-09-30", 1);
 */
export function buildWorkCalendar(source: HolidaySource, years: readonly CalendarYear[]): WorkCalendar {
  const entered = new Set(years.map((entry) => entry.year));
  const explicit = new Map<string, boolean>();
  for (const entry of [...years].sort((a, b) => a.year - b.year)) {
    for (const holiday of entry.holidays) {
      for (const day of daysBetween(holiday.from, holiday.to)) explicit.set(day, false);
    }
    for (const day of entry.workdays) explicit.set(day, true);
  }
  const covers = (year: number) => entered.has(year) || (year >= source.firstYear && year <= source.lastYear);
  const isWorkingDay = (day: string): boolean => {
    const listed = explicit.get(day);
    if (listed !== undefined) return listed;
    const year = Number(day.slice(0, 4));
    if (!entered.has(year) && year >= source.firstYear && year <= source.lastYear) {
      return source.isWorkingDay(day);
    }
    return !isWeekend(day);
  };
  // Coverage runs on from the source's first year; an entered year after a gap does not close it.
  let through = source.firstYear;
  while (covers(through)) through++;
  const coveredThrough = `${String(through - 1).padStart(4, "0")}-12-31`;
  return {
    covers,
    coveredThrough: () => coveredThrough,
    addWorkingDays: (date, days) => {
      let day = date;
      while (!isWorkingDay(day)) day = addDays(day, 1);
      if (days === 0) return day;
      day = date;
      for (let counted = 0; counted < days; ) {
        day = addDays(day, 1);
        if (isWorkingDay(day)) counted++;
      }
      return day;
    },
  };
}

/** An entered year as stored, with where it came from. */
export interface StoredCalendarYear extends CalendarYear {
  /** "file": knowledge/calendar.yaml (reviewed in code review); "api": PUT /v1/admin/calendar/{year}. */
  source: "file" | "api";
  updatedBy: string;
  updatedAt: string;
}

/** Entered years, shared by every replica. */
export interface CalendarRepository {
  list(): Promise<StoredCalendarYear[]>;
  /** Inserts or replaces the year; returns the previous entry. */
  put(
    entry: CalendarYear & { source: "file" | "api"; updatedBy: string },
    at: Date,
  ): Promise<StoredCalendarYear | null>;
}

/** Two entries say the same (notice, holidays and 调休), whatever their source. */
export function sameCalendarYear(a: CalendarYear, b: CalendarYear): boolean {
  const shape = (entry: CalendarYear) =>
    JSON.stringify([
      entry.year,
      entry.notice,
      entry.holidays.map((h) => [h.name, h.from, h.to]),
      [...entry.workdays].sort(),
    ]);
  return shape(a) === shape(b);
}
