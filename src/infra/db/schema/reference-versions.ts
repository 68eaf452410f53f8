import { index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * Versions of the reference data a centre changes while the service runs (派单目录, 权责清单,
 * 紧急项, 市场主体 rules, synonyms; issue #16). Append-only: the version in force for a kind is
 * the newest whose `effective_from` has come, so every replica reads the same one.
 */
export const referenceVersions = pgTable(
  "reference_versions",
  {
    id: serial().primaryKey(),
    kind: text().notNull(),
    version: integer().notNull(),
    content: jsonb().$type<unknown>().notNull(),
    contentHash: text().notNull(),
    /** "files" (the knowledge sync) or "api" (an admin). */
    source: text().notNull(),
    effectiveFrom: timestamp({ withTimezone: true }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    createdBy: text().notNull(),
    note: text(),
  },
  (table) => [
    uniqueIndex("reference_versions_kind_version_idx").on(table.kind, table.version),
    // The replicas' poll: the newest effective version per kind, from the index alone.
    index("reference_versions_effective_idx").on(table.kind, table.effectiveFrom, table.id),
  ],
);
