import { and, desc, gte, inArray, isNull, lt } from "drizzle-orm";
import type { GapQuestion, GapRepository } from "#domain/knowledge/gaps";
import type { Db } from "./client";
import { knowledgeGapQuestions } from "./schema/index";

/** Knowledge-gap questions (缺口) in `knowledge_gap_questions`. */
export function createGapRepository(db: Db): GapRepository {
  return {
    async save(question) {
      await db
        .insert(knowledgeGapQuestions)
        .values({
          id: question.id,
          source: question.source,
          at: question.at,
          text: question.text,
          terms: [...question.terms],
          embedding: Array.from(question.embedding),
        })
        .onConflictDoNothing({ target: knowledgeGapQuestions.id });
    },
    async openBetween(from, to, limit) {
      const rows = await db
        .select()
        .from(knowledgeGapQuestions)
        .where(
          and(
            gte(knowledgeGapQuestions.at, from),
            lt(knowledgeGapQuestions.at, to),
            isNull(knowledgeGapQuestions.coveredAt),
          ),
        )
        .orderBy(desc(knowledgeGapQuestions.at))
        .limit(limit);
      return rows.map(
        (row): GapQuestion => ({
          id: row.id,
          source: row.source as GapQuestion["source"],
          at: row.at,
          text: row.text,
          terms: row.terms,
          embedding: Float32Array.from(row.embedding),
        }),
      );
    },
    async markCovered(ids, scriptId, at) {
      if (ids.length === 0) return;
      await db
        .update(knowledgeGapQuestions)
        .set({ coveredAt: at, coveredBy: scriptId })
        .where(inArray(knowledgeGapQuestions.id, [...ids]));
    },
    async forgetBefore(before) {
      const rows = await db
        .delete(knowledgeGapQuestions)
        .where(lt(knowledgeGapQuestions.at, before))
        .returning({ id: knowledgeGapQuestions.id });
      return rows.length;
    },
  };
}
