import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  vector,
} from "drizzle-orm/pg-core";
import { EMBEDDING_DIMENSIONS } from "./knowledge";

/**
 * Labelled history: past work orders (imported or seed) and agents' corrections. Texts are stored
 * with personal data masked. The embedding serves the kNN signal.
 */
export const cases = pgTable(
  "cases",
  {
    id: text().primaryKey(),
    text: text().notNull(),
    /** Category path, 1–3 levels. */
    category: jsonb().$type<string[]>().notNull().default([]),
    /** Acceptable departments, lead first. */
    departments: jsonb().$type<string[]>().notNull().default([]),
    /** 协办 departments named by the history (empty when it names none). */
    assistingDepartments: jsonb().$type<string[]>().notNull().default([]),
    type: text(),
    urgent: boolean(),
    marketEntity: boolean(),
    receivedAt: timestamp({ withTimezone: true }),
    /**
     * seed | import | feedback | closed | dispatch — the strongest source among its labels: `closed`
     * (final values of a closed work order) beats `feedback` (the agent's explicit choice) beats
     * `dispatch` (the platform's current assignment).
     */
    source: text().notNull(),
    /** The work order a case was made from (`order-<orderId>` cases); null otherwise. */
    orderId: text(),
    /** Per label, where it came from (category, type, urgent, marketEntity, departments → source). */
    labelSources: jsonb().$type<Record<string, string>>(),
    /** Departments that returned (退单) or were reassigned away from (改派) this request: never its label. */
    rejectedDepartments: jsonb().$type<string[]>().notNull().default([]),
    contentHash: text().notNull(),
    embedding: vector({ dimensions: EMBEDDING_DIMENSIONS }).notNull(),
    embeddingModel: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("cases_embedding_hnsw").using("hnsw", table.embedding.op("vector_cosine_ops")),
    index("cases_source_idx").on(table.source),
    index("cases_received_idx").on(table.receivedAt),
  ],
);

/** Every suggestion served, so feedback can refer to it and retention can delete its text. */
export const suggestions = pgTable(
  "suggestions",
  {
    id: text().primaryKey(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Masked request text; emptied after the retention period. */
    text: text(),
    request: jsonb().notNull(),
    result: jsonb().notNull(),
    modelVersion: text().notNull(),
    actor: text().notNull(),
    /** The API key that asked; only it may give the suggestion's feedback (review #11). */
    actorKeyId: integer(),
    feedback: jsonb(),
    feedbackAt: timestamp({ withTimezone: true }),
  },
  (table) => [index("suggestions_created_idx").on(table.createdAt)],
);

/** 退单 (returned) and 改派 (reassigned) dispatches, for training and dispute rates. */
export const dispatchEvents = pgTable("dispatch_events", {
  id: serial().primaryKey(),
  suggestionId: text(),
  caseId: text(),
  /** returned (退单) | reassigned (改派) */
  kind: text().notNull(),
  fromDepartment: text().notNull(),
  toDepartment: text(),
  reason: text().notNull(),
  actor: text().notNull(),
  at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  approvedBy: text(),
  attempt: integer().notNull().default(1),
});
