import { date, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** 派单目录: the dispatch catalogue. Codes are the customer's contract (departments.tsv). */
export const departments = pgTable("departments", {
  code: text().primaryKey(),
  name: text().notNull(),
  aliases: jsonb().$type<string[]>().notNull().default([]),
  level: text().notNull(),
  district: text().notNull(),
  duties: jsonb().$type<string[]>().notNull().default([]),
  keywords: jsonb().$type<string[]>().notNull().default([]),
  examples: jsonb().$type<string[]>().notNull().default([]),
  validFrom: date({ mode: "string" }).notNull(),
  validTo: date({ mode: "string" }),
  contentHash: text().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** Category taxonomy, one row per node; `path` is "l1/l2/l3". */
export const categories = pgTable("categories", {
  path: text().primaryKey(),
  name: text().notNull(),
  level: integer().notNull(),
  parentPath: text(),
  departments: jsonb().$type<string[]>().notNull().default([]),
  contentHash: text().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
