import { asc, eq } from "drizzle-orm";
import type { CalendarRepository, StoredCalendarYear } from "#domain/calendar";
import type { Crisis, CrisisRepository } from "#domain/crisis";
import type { Db } from "./client";
import { calendarYears, crisisState } from "./schema/index";

function toYear(row: typeof calendarYears.$inferSelect): StoredCalendarYear {
  return {
    year: row.year,
    notice: row.notice,
    holidays: row.holidays,
    workdays: row.workdays,
    source: row.source === "file" ? "file" : "api",
    updatedBy: row.updatedBy,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function createCalendarRepository(db: Db): CalendarRepository {
  return {
    async list() {
      return (await db.select().from(calendarYears).orderBy(asc(calendarYears.year))).map(toYear);
    },
    async put(entry, at) {
      // Row lock: two admins entering the same year one after the other each see the other's entry as "before".
      const [previous] = await db
        .select()
        .from(calendarYears)
        .where(eq(calendarYears.year, entry.year))
        .for("update");
      const values = {
        notice: entry.notice,
        holidays: entry.holidays,
        workdays: entry.workdays,
        source: entry.source,
        updatedBy: entry.updatedBy,
        updatedAt: at,
      };
      await db
        .insert(calendarYears)
        .values({ year: entry.year, ...values })
        .onConflictDoUpdate({ target: calendarYears.year, set: values });
      return previous ? toYear(previous) : null;
    },
  };
}

const CRISIS_ROW = 1;

function toCrisis(row: typeof crisisState.$inferSelect): Crisis {
  return {
    name: row.name,
    keywords: row.keywords,
    categories: row.categories,
    emergencies: row.emergencies,
    reason: row.reason,
    declaredBy: row.declaredBy,
    declaredAt: row.declaredAt.toISOString(),
  };
}

export function createCrisisRepository(db: Db): CrisisRepository {
  return {
    async current() {
      const [row] = await db.select().from(crisisState).where(eq(crisisState.id, CRISIS_ROW));
      return row ? toCrisis(row) : null;
    },
    async set(crisis) {
      const [previous] = await db
        .select()
        .from(crisisState)
        .where(eq(crisisState.id, CRISIS_ROW))
        .for("update");
      if (!crisis) {
        await db.delete(crisisState).where(eq(crisisState.id, CRISIS_ROW));
      } else {
        const values = { ...crisis, declaredAt: new Date(crisis.declaredAt) };
        await db
          .insert(crisisState)
          .values({ id: CRISIS_ROW, ...values })
          .onConflictDoUpdate({ target: crisisState.id, set: values });
      }
      return previous ? toCrisis(previous) : null;
    },
  };
}
