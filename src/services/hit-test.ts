import { z } from "zod";
import type { Principal } from "#domain/access";
import { NotFoundError } from "#domain/errors";
import type { HitTestCaseResult, HitTestRun } from "#domain/knowledge/repository";
import { firstHitRank, retrievalMetrics } from "#domain/retrieval/metrics";
import { maskPersonalData } from "#domain/text/pii";
import { TextSchema } from "#domain/values";
import { type SearchDeps, searchKnowledge } from "./search-knowledge";

export const HitTestCaseSchema = z.object({
  id: z.string().max(100).optional(),
  question: z.string().max(2000),
  expected: z.array(z.string().max(100)).max(20),
});
export type HitTestCase = z.infer<typeof HitTestCaseSchema>;

export const HitTestInputSchema = z.object({
  /** Stored: masked like every free-text field (review #2). */
  name: TextSchema({ max: 200 }).transform(maskPersonalData),
  cases: z.array(HitTestCaseSchema).min(1).max(5000),
  limit: z.number().int().min(1).max(20).default(5),
});

/**
 * Runs every question through the real search and scores recall@1/3/5, MRR and the no-answer
 * rate; the run (with each question's outcome) is stored so runs can be compared later. An
 * aborted `signal` stops the run between two questions and nothing is stored.
 *
 * @example
 * const run = await runHitTest({ deps, input: { name: "before synonyms", cases }, actor });
 */
export async function runHitTest({
  deps,
  input,
  actor,
  onProgress,
  signal,
}: {
  deps: SearchDeps;
  input: z.input<typeof HitTestInputSchema>;
  actor: Pick<Principal, "name">;
  onProgress?: (done: number, total: number) => void;
  /** Aborted when the caller gave up (the HTTP request timed out): stop, store nothing (review #14). */
  signal?: AbortSignal;
}): Promise<HitTestRun> {
  const { name, cases, limit } = HitTestInputSchema.parse(input);
  const results: HitTestCaseResult[] = [];
  for (const [index, testCase] of cases.entries()) {
    signal?.throwIfAborted();
    const { results: found, confident } = await searchKnowledge({
      deps,
      input: { query: testCase.question, limit },
    });
    const returned = found.map((result) => result.id);
    results.push({
      id: testCase.id ?? String(index + 1),
      // The stored copy is masked; the search above used the question as typed.
      question: maskPersonalData(testCase.question),
      expected: testCase.expected,
      returned,
      rank: firstHitRank({ expected: testCase.expected, returned }),
      confident,
    });
    onProgress?.(index + 1, cases.length);
  }
  signal?.throwIfAborted();
  return deps.knowledge.saveHitTestRun({
    name,
    actor: actor.name,
    config: { limit, fusion: deps.fusion, embeddingModel: deps.embedder.modelId },
    metrics: retrievalMetrics(results),
    cases: results,
  });
}

export async function listHitTestRuns({
  deps,
  input,
}: {
  deps: Pick<SearchDeps, "knowledge">;
  input: { limit: number };
}) {
  return deps.knowledge.listHitTestRuns(input.limit);
}

export async function getHitTestRun({
  deps,
  input,
}: {
  deps: Pick<SearchDeps, "knowledge">;
  input: { id: number };
}) {
  const run = await deps.knowledge.getHitTestRun(input.id);
  if (!run) throw new NotFoundError(`hit-test run ${input.id} does not exist`);
  return run;
}
