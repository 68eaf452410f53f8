import { randomUUID } from "node:crypto";
import type { Role } from "#domain/access";
import { topicTerms } from "#domain/analytics/terms";
import { clusterGaps, type GapQuestion } from "#domain/knowledge/gaps";
import { maskPersonalData } from "#domain/text/pii";
import type { ServiceDeps } from "./deps";
import { type SearchDeps, searchKnowledge } from "./search-knowledge";

/** Characters of a masked question kept (the opening names the problem). */
const QUESTION_LENGTH = 120;
/** Questions read per listing: the newest this many in the range are grouped. */
export const GAP_SCAN_LIMIT = 2000;

type GapDeps = Pick<ServiceDeps, "gaps" | "segmenter" | "lexicon" | "clock">;

/**
 * Stores a question no script answered confidently (suggest and agents' searches call it).
 * `text` must be masked already.
 *
 * @example
 * await recordKnowledgeGap({ deps, input: { source: "suggestion", sourceId: id, text, embedding } });
 */
export async function recordKnowledgeGap({
  deps,
  input,
}: {
  deps: GapDeps;
  input: { source: GapQuestion["source"]; sourceId: string; text: string; embedding: Float32Array };
}): Promise<void> {
  await deps.gaps.save({
    id: `${input.source}:${input.sourceId}`,
    source: input.source,
    at: deps.clock.now(),
    text: input.text.slice(0, QUESTION_LENGTH),
    terms: topicTerms(deps.segmenter.cut(input.text), deps.lexicon.stopWords),
    embedding: input.embedding,
  });
}

/**
 * The knowledge search as agents and editors call it: an agent's search that finds no confident
 * script is recorded as a knowledge gap (masked). Editors' and evaluators' searches are not: they
 * probe wordings on purpose, and would fill the 缺口 list with their own tests.
 */
export async function searchKnowledgeAs({
  deps,
  input,
  role,
}: {
  deps: SearchDeps & GapDeps;
  input: Parameters<typeof searchKnowledge>[0]["input"];
  role: Role;
}): Promise<Awaited<ReturnType<typeof searchKnowledge>>> {
  const result = await searchKnowledge({ deps, input });
  // Filtered searches ask for a part of the base only; their misses say nothing about the whole.
  const filtered = Object.values(input.filters ?? {}).some(
    (value) => value !== undefined && (!Array.isArray(value) || value.length > 0),
  );
  if (role === "agent" && !result.confident && !filtered && input.query.trim()) {
    const text = maskPersonalData(input.query);
    const [embedding] = await deps.embedder.embed([text]);
    if (embedding) {
      await recordKnowledgeGap({
        deps,
        input: { source: "search", sourceId: randomUUID(), text, embedding },
      });
    }
  }
  return result;
}

export interface KnowledgeGap {
  readonly id: string;
  readonly count: number;
  readonly firstAt: string;
  readonly lastAt: string;
  readonly examples: string[];
  readonly keywords: string[];
}

/**
 * The 缺口 list: unanswered questions in [from, to) grouped by meaning, largest first. Before a
 * group is listed its most typical question is searched again; when a published script now answers
 * it confidently, the group's questions are marked covered by that script and leave the list for
 * good (so a gap disappears once its script is published, without a hook in the review workflow).
 *
 * @example
 * const { gaps } = await listKnowledgeGaps({ deps, input: { from, to, limit: 20 } });
 */
export async function listKnowledgeGaps({
  deps,
  input,
}: {
  deps: SearchDeps & GapDeps;
  input: { from: Date; to: Date; limit: number };
}): Promise<{ gaps: KnowledgeGap[]; covered: { id: string; scriptId: string; count: number }[] }> {
  const questions = await deps.gaps.openBetween(input.from, input.to, GAP_SCAN_LIMIT);
  const gaps: KnowledgeGap[] = [];
  const covered: { id: string; scriptId: string; count: number }[] = [];
  for (const cluster of clusterGaps(questions)) {
    if (gaps.length >= input.limit) break;
    const check = await searchKnowledge({
      deps,
      input: { query: cluster.representative.text, limit: 1 },
      vector: cluster.representative.embedding,
    });
    const answeredBy = check.confident ? check.results[0]?.id : undefined;
    if (answeredBy) {
      await deps.gaps.markCovered(cluster.memberIds, answeredBy, deps.clock.now());
      covered.push({ id: cluster.id, scriptId: answeredBy, count: cluster.count });
      continue;
    }
    gaps.push({
      id: cluster.id,
      count: cluster.count,
      firstAt: cluster.firstAt.toISOString(),
      lastAt: cluster.lastAt.toISOString(),
      examples: cluster.examples,
      keywords: cluster.keywords,
    });
  }
  return { gaps, covered };
}
