import { z } from "zod";
import {
  buildWorkCalendar,
  type CalendarYear,
  CalendarYearEntrySchema,
  checkCalendarYear,
  sameCalendarYear,
  type WorkCalendar,
} from "#domain/calendar";
import { calendarCoverage } from "#domain/deadlines";
import { DomainError } from "#domain/errors";
import type { ServiceDeps } from "./deps";

type CalendarDeps = Pick<ServiceDeps, "calendar" | "calendarYears">;

/** Who the file sync writes as, in the audit log. */
export const CALENDAR_FILE_AUTHOR = "knowledge-files";

/**
 * The working-day calendar as it is now: the entered years (database, shared by every replica)
 * over chinese-days. Read per request, so an entered year applies from the next deadline on.
 *
 * @example
 * const calendar = await loadWorkCalendar({ deps });
 * calendar.addWorkingDays("2026-09-30", 1); // "2026-10-08"
 */
export async function loadWorkCalendar({ deps }: { deps: CalendarDeps }): Promise<WorkCalendar> {
  return buildWorkCalendar(deps.calendar, await deps.calendarYears.list());
}

export interface CalendarStatus {
  coveredThrough: string;
  /** False within 45 days of the end of the known holidays. */
  ok: boolean;
  /** In Chinese, for the console's banner; null while ok. */
  message: string | null;
  years: { year: number; notice: string; source: "file" | "api"; updatedBy: string; updatedAt: string }[];
}

/** Calendar coverage for /readyz and the consoles: how far holidays are known and which years were entered. */
export async function describeCalendar({
  deps,
}: {
  deps: CalendarDeps & Pick<ServiceDeps, "clock">;
}): Promise<CalendarStatus> {
  const years = await deps.calendarYears.list();
  const calendar = buildWorkCalendar(deps.calendar, years);
  const coverage = calendarCoverage(calendar.coveredThrough(), deps.clock.now());
  const nextYear = Number(coverage.coveredThrough.slice(0, 4)) + 1;
  return {
    ...coverage,
    message: coverage.ok
      ? null
      : `节假日安排只录入到 ${coverage.coveredThrough}：${nextYear} 年的放假与调休通知尚未录入，跨入该年的办结时间只扣除周末，请人工核对；请管理员录入国务院办公厅通知。`,
    years: years.map(({ year, notice, source, updatedBy, updatedAt }) => ({
      year,
      notice,
      source,
      updatedBy,
      updatedAt,
    })),
  };
}

export const PutCalendarYearInputSchema = z.object({
  year: z.number().int().min(1000).max(9999),
  entry: CalendarYearEntrySchema,
});

function checked(entry: CalendarYear): CalendarYear {
  const issues = checkCalendarYear(entry);
  if (issues.length > 0) throw new DomainError("BAD_REQUEST", issues.join("; "));
  return entry;
}

/**
 * Enters (or corrects) one year's 放假/调休 notice; audited. Deadlines counted into that year use
 * it from the next request on, on every replica.
 *
 * @example
 * await putCalendarYear({ deps, input: { year: 2027, entry: { notice, holidays, workdays } }, actor: "admin" });
 */
export async function putCalendarYear({
  deps,
  input,
  actor,
}: {
  deps: Pick<ServiceDeps, "transact" | "clock">;
  input: z.input<typeof PutCalendarYearInputSchema>;
  actor: string;
}): Promise<CalendarYear & { source: "api" }> {
  const parsed = PutCalendarYearInputSchema.parse(input);
  const entry = checked({ year: parsed.year, ...parsed.entry });
  const now = deps.clock.now();
  await deps.transact(async ({ calendarYears, audit }) => {
    const before = await calendarYears.put({ ...entry, source: "api", updatedBy: actor }, now);
    await audit.append(
      {
        actor,
        action: "calendar.put",
        entityType: "calendar_year",
        entityId: String(entry.year),
        before,
        after: entry,
      },
      now,
    );
  });
  return { ...entry, source: "api" };
}

/**
 * Brings the years of knowledge/calendar.yaml (the reviewed source) into the database at start:
 * a year that is new or differs is written (audited as the file's); years entered only through the
 * API are kept.
 *
 * @example
 * const { written } = await syncCalendarFile({ deps, input: { years } }); // [2027]
 */
export async function syncCalendarFile({
  deps,
  input,
}: {
  deps: Pick<ServiceDeps, "transact" | "clock" | "calendarYears">;
  input: { years: readonly CalendarYear[] };
}): Promise<{ written: number[] }> {
  const stored = new Map((await deps.calendarYears.list()).map((entry) => [entry.year, entry]));
  const changed = input.years.map(checked).filter((entry) => {
    const current = stored.get(entry.year);
    return current?.source !== "file" || !sameCalendarYear(current, entry);
  });
  if (changed.length === 0) return { written: [] };
  const now = deps.clock.now();
  await deps.transact(async ({ calendarYears, audit }) => {
    for (const entry of changed) {
      const before = await calendarYears.put(
        { ...entry, source: "file", updatedBy: CALENDAR_FILE_AUTHOR },
        now,
      );
      await audit.append(
        {
          actor: CALENDAR_FILE_AUTHOR,
          action: "calendar.sync",
          entityType: "calendar_year",
          entityId: String(entry.year),
          before,
          after: entry,
        },
        now,
      );
    }
  });
  return { written: changed.map((entry) => entry.year) };
}
