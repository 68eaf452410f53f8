import { integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The State Council's 放假/调休 notice per year, as the centre entered it (knowledge/calendar.yaml,
 * synced at start, or PUT /v1/admin/calendar/{year}); layered over chinese-days.
 */
export const calendarYears = pgTable("calendar_years", {
  year: integer().primaryKey(),
  notice: text().notNull(),
  holidays: jsonb().$type<{ name: string; from: string; to: string }[]>().notNull(),
  workdays: jsonb().$type<string[]>().notNull(),
  /** "file" (knowledge/calendar.yaml) or "api". */
  source: text().notNull(),
  updatedBy: text().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * The declared crisis (应急状态), at most one row (id 1); no row = no crisis. Kept in the database
 * so every replica applies the same one from the next request on; its history is the audit log.
 */
export const crisisState = pgTable("crisis_state", {
  id: integer().primaryKey(),
  name: text().notNull(),
  keywords: jsonb().$type<string[]>().notNull(),
  categories: jsonb().$type<string[]>().notNull(),
  emergencies: jsonb().$type<string[]>().notNull(),
  reason: text().notNull(),
  declaredBy: text().notNull(),
  declaredAt: timestamp({ withTimezone: true }).notNull(),
});
