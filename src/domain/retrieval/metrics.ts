/** One question's outcome: the ids returned (best first) and the ids that would be right. */
export interface RankedCase {
  expected: readonly string[];
  returned: readonly string[];
  /** Whether the search said it was confident; absent counts as confident. */
  confident?: boolean;
}

/** 1-based rank of the first correct id, or null when none was returned. */
export function firstHitRank(testCase: RankedCase): number | null {
  const index = testCase.returned.findIndex((id) => testCase.expected.includes(id));
  return index === -1 ? null : index + 1;
}

export interface RetrievalMetrics {
  n: number;
  answerable: number;
  recallAt1: number;
  recallAt3: number;
  recallAt5: number;
  mrr: number;
  /** Share of answerable questions with no correct script in the results. */
  noAnswerRate: number;
  /** Share of unanswerable questions (expected = []) for which something was still returned. */
  falseAnswerRate: number | null;
  /** Share of answerable questions the search was not confident about (refused wrongly). */
  confidentRefusal: number;
  /** Share of unanswerable (off-topic) questions the search was not confident about (refused rightly). */
  offTopicRejected: number | null;
}

/**
 * Recall@k and MRR over the answerable questions (those with at least one expected id).
 *
 * @example
 * retrievalMetrics([{ expected: ["a"], returned: ["b", "a"] }]); // recallAt1 0, recallAt3 1, mrr 0.5
 */
const refused = (testCase: RankedCase) => testCase.confident === false;

export function retrievalMetrics(cases: readonly RankedCase[]): RetrievalMetrics {
  const answerable = cases.filter((testCase) => testCase.expected.length > 0);
  const unanswerable = cases.filter((testCase) => testCase.expected.length === 0);
  const ranks = answerable.map(firstHitRank);
  const share = (count: number, total: number) => (total === 0 ? 0 : count / total);
  const within = (k: number) =>
    share(ranks.filter((rank) => rank !== null && rank <= k).length, answerable.length);
  return {
    n: cases.length,
    answerable: answerable.length,
    recallAt1: within(1),
    recallAt3: within(3),
    recallAt5: within(5),
    mrr: share(
      ranks.reduce<number>((sum, rank) => sum + (rank === null ? 0 : 1 / rank), 0),
      answerable.length,
    ),
    noAnswerRate: share(ranks.filter((rank) => rank === null).length, answerable.length),
    falseAnswerRate:
      unanswerable.length === 0
        ? null
        : share(unanswerable.filter((testCase) => testCase.returned.length > 0).length, unanswerable.length),
    confidentRefusal: share(answerable.filter(refused).length, answerable.length),
    offTopicRejected:
      unanswerable.length === 0 ? null : share(unanswerable.filter(refused).length, unanswerable.length),
  };
}
