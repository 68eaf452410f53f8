import { index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Evaluation runs (`npm run eval`): their metadata and figures in the shared database, so every
 * replica's /eval pages and /v1/eval/runs list the same runs (issue #16). The self-contained
 * report.html (charts as inline SVG) is stored with them for the same reason.
 */
export const evalRuns = pgTable(
  "eval_runs",
  {
    /** The run id: the report folder's name, e.g. 20261127T140451Z-ci. */
    id: text().primaryKey(),
    /** The suite (or task) run. */
    name: text().notNull(),
    /** running | completed | failed */
    status: text().notNull(),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    finishedAt: timestamp({ withTimezone: true }),
    modelVersion: text(),
    embeddingModel: text(),
    /** Who ran it (`cli:<user>`, or `files` for a run imported from a report folder). */
    createdBy: text(),
    inputs: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** The figures: report.json's results (what the summaries and comparisons read). */
    results: jsonb().$type<unknown[]>().notNull().default([]),
    reportHtml: text(),
    error: text(),
  },
  (table) => [index("eval_runs_started_idx").on(table.startedAt)],
);
