import { sql } from "drizzle-orm";
import {
  date,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
  vector,
} from "drizzle-orm/pg-core";
import type { PolicyBasis } from "../../../domain/knowledge/schema";
import { tsvector } from "./columns";

export const EMBEDDING_DIMENSIONS = 512;

/** An answer script (答复口径): the stable identity; its wording lives in versions. */
export const knowledgeItems = pgTable("knowledge_items", {
  id: text().primaryKey(),
  /** draft (never published) | published | retired */
  status: text().notNull().default("draft"),
  publishedVersion: integer(),
  latestVersion: integer().notNull().default(0),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** Every wording a script ever had. Never updated in place except for review fields. */
export const knowledgeVersions = pgTable(
  "knowledge_versions",
  {
    id: serial().primaryKey(),
    itemId: text()
      .notNull()
      .references(() => knowledgeItems.id),
    version: integer().notNull(),
    /** draft | pending_review | rejected | published | superseded */
    state: text().notNull(),
    title: text().notNull(),
    question: text().notNull(),
    variants: jsonb().$type<string[]>().notNull().default([]),
    answer: text().notNull(),
    /** The basis as one line for people (formatBasis); rows before issue #14 hold the legacy text. */
    basis: text().notNull().default(""),
    /** The structured basis (issue #14); null on rows written before it (read: the legacy text, parsed). */
    basisDetail: jsonb().$type<PolicyBasis>(),
    departments: jsonb().$type<string[]>().notNull().default([]),
    category: jsonb().$type<string[]>().notNull().default([]),
    region: text().notNull().default("全市"),
    audience: jsonb().$type<string[]>().notNull().default([]),
    tags: jsonb().$type<string[]>().notNull().default([]),
    validFrom: date({ mode: "string" }).notNull(),
    validTo: date({ mode: "string" }),
    owner: text().notNull().default(""),
    contentHash: text().notNull(),
    /** file (synced from knowledge/) | api (an editor) */
    source: text().notNull(),
    author: text().notNull(),
    /**
     * The author's person identity (what the two-person rule compares, review #12). Null on rows
     * written before persons existed: read as the normalised author name.
     */
    authorPerson: text(),
    baseVersion: integer(),
    changeNote: text().notNull().default(""),
    reviewer: text(),
    /** The reviewer's person identity; null on older rows (read as the normalised reviewer name). */
    reviewerPerson: text(),
    reviewComment: text(),
    reviewedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("knowledge_versions_item_version_uq").on(table.itemId, table.version),
    index("knowledge_versions_state_idx").on(table.state),
  ],
);

/**
 * The searchable texts of a script version (title, standard question, each variant), each with
 * its embedding and jieba tokens. Only the published version of a script has passages.
 */
export const knowledgePassages = pgTable(
  "knowledge_passages",
  {
    id: serial().primaryKey(),
    itemId: text()
      .notNull()
      .references(() => knowledgeItems.id),
    versionId: integer()
      .notNull()
      .references(() => knowledgeVersions.id),
    /** title | question | variant */
    kind: text().notNull(),
    text: text().notNull(),
    tokens: tsvector().notNull(),
    embedding: vector({ dimensions: EMBEDDING_DIMENSIONS }).notNull(),
    embeddingModel: text().notNull(),
    contentHash: text().notNull(),
  },
  (table) => [
    index("knowledge_passages_embedding_hnsw").using("hnsw", table.embedding.op("vector_cosine_ops")),
    // fastupdate off: knowledge changes are rare and searches constant; a pending list left by a sync
    // made every full-text search scan it (9 ms of the 11 ms statement until autovacuum merged it).
    index("knowledge_passages_tokens_gin").using("gin", table.tokens).with({ fastupdate: false }),
    index("knowledge_passages_item_idx").on(table.itemId),
  ],
);

/** Fingerprint of the last knowledge/ sync, so a restart only re-syncs changed files. */
export const knowledgeSyncState = pgTable("knowledge_sync_state", {
  scope: text().primaryKey(),
  contentHash: text().notNull(),
  embeddingModel: text().notNull(),
  syncedAt: timestamp({ withTimezone: true }).notNull().default(sql`now()`),
});

/** Batch hit tests (命中测试) over a question set, kept so runs can be compared. */
export const hitTestRuns = pgTable("hit_test_runs", {
  id: serial().primaryKey(),
  name: text().notNull(),
  actor: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  /** Fusion weights, model id, limit: what produced these numbers. */
  config: jsonb().notNull(),
  metrics: jsonb().notNull(),
  /** Per question: id, question, expected ids, returned ids, rank of the first correct one. */
  cases: jsonb().notNull(),
});
