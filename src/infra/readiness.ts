import { buildWorkCalendar, type CalendarRepository, type HolidaySource } from "#domain/calendar";
import { calendarCoverage } from "#domain/deadlines";
import type { Embedder, ReadinessCheck } from "#domain/ports";
import { type DatabaseHandle, expectedMigrations } from "./db/client";

/** `/readyz` checks for the real dependencies: database reachable with every migration applied, model loaded. */
export function createReadinessChecks(database: DatabaseHandle, embedder: Embedder): ReadinessCheck[] {
  let modelLoaded = false;
  let modelError: string | undefined;
  embedder.ready().then(
    () => {
      modelLoaded = true;
    },
    (error: unknown) => {
      modelError = error instanceof Error ? error.message : String(error);
    },
  );
  return [
    {
      name: "database",
      check: async () => {
        await database.ping(2000);
        const [applied, expected] = await Promise.all([database.appliedMigrations(), expectedMigrations()]);
        return {
          ok: applied >= expected,
          detail: `${database.kind}, ${applied} of ${expected} migrations applied`,
        };
      },
    },
    {
      name: "model",
      check: async () => ({
        ok: modelLoaded,
        detail: modelLoaded
          ? `${embedder.modelId} (${embedder.dimensions}-d) loaded`
          : (modelError ?? `${embedder.modelId} loading`),
      }),
    },
  ];
}

/**
 * Advisory `/readyz` check: holiday data (chinese-days plus the entered years) must reach at least
 * 45 days ahead, else "not ok" (still ready). Reports `coveredThrough`.
 */
export function createCalendarCheck(
  source: HolidaySource,
  years: Pick<CalendarRepository, "list">,
  now: () => Date = () => new Date(),
): ReadinessCheck {
  return {
    name: "calendar",
    advisory: true,
    check: async () => {
      const calendar = buildWorkCalendar(source, await years.list());
      const coverage = calendarCoverage(calendar.coveredThrough(), now());
      return {
        ...coverage,
        detail: coverage.ok
          ? `holidays known through ${coverage.coveredThrough}`
          : `holidays known only through ${coverage.coveredThrough}: deadlines after it count weekends only; enter next year's 放假/调休 notice (knowledge/calendar.yaml or PUT /v1/admin/calendar/{year})`,
      };
    },
  };
}
