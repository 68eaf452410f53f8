import { index, jsonb, pgTable, text, timestamp, vector } from "drizzle-orm/pg-core";
import { EMBEDDING_DIMENSIONS } from "./knowledge";

/**
 * Knowledge gaps (缺口): agents' searches and suggest calls no published script answered with
 * confidence. `text` is masked; the whole row goes at the retention limit (the text is all it is).
 */
export const knowledgeGapQuestions = pgTable(
  "knowledge_gap_questions",
  {
    /** `search:<uuid>` or `suggestion:<id>`. */
    id: text().primaryKey(),
    source: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
    text: text().notNull(),
    terms: jsonb().$type<string[]>().notNull().default([]),
    embedding: vector({ dimensions: EMBEDDING_DIMENSIONS }).notNull(),
    /** Set once a published script answers the question's group confidently. */
    coveredAt: timestamp({ withTimezone: true }),
    coveredBy: text(),
  },
  (table) => [index("knowledge_gap_questions_at_idx").on(table.at)],
);
