import { index, integer, jsonb, pgTable, real, text, timestamp, vector } from "drizzle-orm/pg-core";
import { EMBEDDING_DIMENSIONS } from "./knowledge";

/**
 * What the centre's analytics read of each request (a suggestion or a work order): when, where,
 * its gist and its meaning. Texts are masked; `summary` is the opening of the masked text, kept
 * for reports and 并单 hints after the suggestion's text has been deleted by retention.
 */
export const requestSignals = pgTable(
  "request_signals",
  {
    /** `suggestion:<id>` or `order:<id>`. */
    id: text().primaryKey(),
    source: text().notNull(),
    sourceId: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
    summary: text().notNull(),
    places: jsonb().$type<string[]>().notNull().default([]),
    districts: jsonb().$type<string[]>().notNull().default([]),
    terms: jsonb().$type<string[]>().notNull().default([]),
    category: jsonb().$type<string[]>().notNull().default([]),
    department: text(),
    likes: integer().notNull().default(0),
    embedding: vector({ dimensions: EMBEDDING_DIMENSIONS }).notNull(),
    /** Null until the hot-topic update has placed it. */
    topicId: text(),
    /** Closed work orders are no longer 并单 candidates. */
    closedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    index("request_signals_at_idx").on(table.at),
    index("request_signals_topic_idx").on(table.topicId),
    index("request_signals_embedding_hnsw").using("hnsw", table.embedding.op("vector_cosine_ops")),
  ],
);

/** Hot topics with their running sums, so new requests join without recomputing the world. */
export const hotTopics = pgTable(
  "hot_topics",
  {
    id: text().primaryKey(),
    centroidSum: jsonb().$type<number[]>().notNull(),
    size: integer().notNull(),
    firstAt: timestamp({ withTimezone: true }).notNull(),
    lastAt: timestamp({ withTimezone: true }).notNull(),
    termCounts: jsonb().$type<Record<string, number>>().notNull(),
    placeCounts: jsonb().$type<Record<string, number>>().notNull(),
    districtCounts: jsonb().$type<Record<string, number>>().notNull(),
    likes: real().notNull().default(0),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("hot_topics_last_at_idx").on(table.lastAt)],
);
