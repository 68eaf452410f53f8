import { addToTopics, type ClusteringOptions, DEFAULT_CLUSTERING, type Topic } from "../analytics/hot-topics";

/**
 * Knowledge gaps (缺口): what agents searched for, and what suggest was asked, when no published
 * script answered with the calibrated confidence. Stored masked; grouped by meaning into the
 * editor's 缺口 list, each group a script the knowledge base still lacks.
 */
export interface GapQuestion {
  /** `search:<uuid>` or `suggestion:<id>`. */
  readonly id: string;
  readonly source: "search" | "suggestion";
  readonly at: Date;
  /** The masked question (its opening). */
  readonly text: string;
  readonly terms: readonly string[];
  readonly embedding: Float32Array;
}

export interface GapRepository {
  save(question: GapQuestion): Promise<void>;
  /** Questions in [from, to) not yet marked covered, newest first, at most `limit`. */
  openBetween(from: Date, to: Date, limit: number): Promise<GapQuestion[]>;
  /** Marks questions answered by a script now (they leave the list). */
  markCovered(ids: readonly string[], scriptId: string, at: Date): Promise<void>;
  /** Deletes the questions asked before `before` (retention: the text is all they are); returns how many. */
  forgetBefore(before: Date): Promise<number>;
}

export interface GapCluster {
  readonly id: string;
  readonly count: number;
  readonly firstAt: Date;
  readonly lastAt: Date;
  /** Distinct questions, the most typical (nearest the group's meaning) first. */
  readonly examples: string[];
  readonly keywords: string[];
  readonly memberIds: string[];
  /** The most typical member: what a coverage check searches with. */
  readonly representative: GapQuestion;
}

/**
 * Grouping of questions. Places do not split a gap (a script answers 公积金提取 in every district),
 * and the window is the listed range itself. Short questions sit lower than the hot topics' title +
 * text: with bge-small-zh, paraphrases scored 0.80–0.86 (公积金怎么提取 / 住房公积金提取需要什么材料
 * 0.80, 电动车怎么上牌 / 新买的电动自行车去哪里登记上牌 0.81) and different questions at most 0.60.
 */
export const GAP_CLUSTERING: ClusteringOptions = {
  ...DEFAULT_CLUSTERING,
  joinSimilarity: 0.78,
  windowDays: 3650,
};

const EXAMPLES = 5;
const KEYWORDS = 5;

function dot(left: Float32Array, right: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < left.length; index += 1) sum += (left[index] ?? 0) * (right[index] ?? 0);
  return sum;
}

/**
 * Groups unanswered questions by meaning with the hot-topic clustering, largest group first (then
 * the most recent). The group's id is its oldest member's, so it stays put while questions join.
 *
 * @example
 * clusterGaps(questions)[0]; // { count: 7, examples: ["灵活就业人员怎么交医保", …], … }
 */
export function clusterGaps(
  questions: readonly GapQuestion[],
  options: ClusteringOptions = GAP_CLUSTERING,
): GapCluster[] {
  const byId = new Map(questions.map((question) => [question.id, question]));
  let counter = 0;
  const { topics } = addToTopics(
    [],
    questions.map((question) => ({
      id: question.id,
      at: question.at,
      embedding: question.embedding,
      terms: question.terms,
      places: [],
      districts: [],
    })),
    () => {
      counter += 1;
      return `gap-${counter}`;
    },
    options,
  );
  return topics
    .map((topic) => describe(topic, byId))
    .sort((left, right) => right.count - left.count || right.lastAt.getTime() - left.lastAt.getTime());
}

function describe(topic: Topic, byId: ReadonlyMap<string, GapQuestion>): GapCluster {
  const members = topic.memberIds
    .map((id) => byId.get(id))
    .filter((member): member is GapQuestion => member !== undefined);
  const typical = [...members].sort(
    (left, right) => dot(right.embedding, topic.centroidSum) - dot(left.embedding, topic.centroidSum),
  );
  const examples = [...new Set(typical.map((member) => member.text.trim()).filter(Boolean))].slice(
    0,
    EXAMPLES,
  );
  const keywords = [...topic.termCounts.entries()]
    .sort((left, right) => right[1] - left[1] || left[0].localeCompare(right[0]))
    .slice(0, KEYWORDS)
    .map(([term]) => term);
  const oldest = members.reduce((first, member) => (member.at < first.at ? member : first));
  return {
    id: oldest.id,
    count: topic.size,
    firstAt: topic.firstAt,
    lastAt: topic.lastAt,
    examples,
    keywords,
    memberIds: members.map((member) => member.id),
    representative: typical[0] ?? oldest,
  };
}
