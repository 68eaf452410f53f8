import { coresMatch, placeCore } from "./places";

/**
 * Hot topics: requests about the same problem in the same place, clustered incrementally. A new
 * request joins the most similar recent topic when its meaning is close enough (embedding cosine
 * to the topic's centroid) and its place does not contradict the topic's; otherwise it opens a
 * topic of its own. Topics keep running sums (centroid, term and place counts), so joining is
 * O(recent topics) per request and nothing is recomputed from scratch.
 */

export interface TopicRequest {
  readonly id: string;
  readonly at: Date;
  readonly embedding: Float32Array;
  /** Content words of the request (segmented, stop words removed). */
  readonly terms: readonly string[];
  readonly places: readonly string[];
  readonly districts: readonly string[];
  /** Likes / repeat callers where the channel knows them. */
  readonly likes?: number;
}

export interface Topic {
  readonly id: string;
  /** Sum of members' unit embeddings; its direction is the topic's meaning. */
  centroidSum: Float32Array;
  size: number;
  firstAt: Date;
  lastAt: Date;
  termCounts: Map<string, number>;
  placeCounts: Map<string, number>;
  districtCounts: Map<string, number>;
  likes: number;
  memberIds: string[];
}

export interface ClusteringOptions {
  /** A request joins a topic at this cosine similarity or above… */
  readonly joinSimilarity: number;
  /** …or at this one when both name places and none is shared (same problem, another place). */
  readonly conflictingPlaceSimilarity: number;
  /** …and this much lower when they share a place. */
  readonly sharedPlaceBonus: number;
  /** Only topics with a member in this many days before the request are candidates. */
  readonly windowDays: number;
}

export const DEFAULT_CLUSTERING: ClusteringOptions = {
  joinSimilarity: 0.86,
  conflictingPlaceSimilarity: 0.95,
  sharedPlaceBonus: 0.12,
  windowDays: 60,
};

const DAY_MS = 86_400_000;

function unit(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  return vector.map((value) => value / norm);
}

/** A topic's main places: the three most named (a big topic collects stray mentions too). */
const MAIN_PLACES = 3;

/** Per-topic values derived from its running sums, cached until the topic changes. */
interface TopicView {
  readonly direction: Float32Array;
  readonly placeCores: string[];
}
const views = new WeakMap<Topic, TopicView>();

function viewOf(topic: Topic): TopicView {
  let view = views.get(topic);
  if (!view) {
    const places = [...topic.placeCounts.entries()]
      .sort((left, right) => right[1] - left[1])
      .slice(0, MAIN_PLACES)
      .map(([place]) => place);
    view = { direction: unit(topic.centroidSum), placeCores: places.map(placeCore) };
    views.set(topic, view);
  }
  return view;
}

interface PreparedRequest {
  readonly request: TopicRequest;
  readonly direction: Float32Array;
  readonly placeCores: string[];
}

function prepare(request: TopicRequest): PreparedRequest {
  return { request, direction: unit(request.embedding), placeCores: request.places.map(placeCore) };
}

function sharesPlace(left: readonly string[], right: readonly string[]): boolean {
  return left.some((core) => right.some((other) => coresMatch(core, other)));
}

function dot(left: Float32Array, right: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < left.length; index += 1) sum += (left[index] ?? 0) * (right[index] ?? 0);
  return sum;
}

function fitSimilarity(topic: Topic, prepared: PreparedRequest, options: ClusteringOptions): number | null {
  if (prepared.request.at.getTime() - topic.lastAt.getTime() > options.windowDays * DAY_MS) return null;
  const view = viewOf(topic);
  const similarity = dot(view.direction, prepared.direction);
  // Cheap exit before the place comparison: nothing can make this similarity enough.
  if (similarity < options.joinSimilarity - options.sharedPlaceBonus) return null;
  let needed = options.joinSimilarity;
  if (sharesPlace(prepared.placeCores, view.placeCores)) needed -= options.sharedPlaceBonus;
  else if (prepared.placeCores.length > 0 && view.placeCores.length > 0)
    needed = options.conflictingPlaceSimilarity;
  return similarity >= needed ? similarity : null;
}

/** How well a request fits a topic (cosine similarity); null when it must not join. */
export function topicFit(
  topic: Topic,
  request: TopicRequest,
  options: ClusteringOptions = DEFAULT_CLUSTERING,
): { similarity: number } | null {
  const similarity = fitSimilarity(topic, prepare(request), options);
  return similarity === null ? null : { similarity };
}

function increment(counts: Map<string, number>, keys: readonly string[]): void {
  for (const key of new Set(keys)) counts.set(key, (counts.get(key) ?? 0) + 1);
}

function openTopic(id: string, request: TopicRequest): Topic {
  const topic: Topic = {
    id,
    centroidSum: new Float32Array(request.embedding.length),
    size: 0,
    firstAt: request.at,
    lastAt: request.at,
    termCounts: new Map(),
    placeCounts: new Map(),
    districtCounts: new Map(),
    likes: 0,
    memberIds: [],
  };
  return topic;
}

function join(topic: Topic, request: TopicRequest): void {
  const direction = unit(request.embedding);
  for (let index = 0; index < direction.length; index += 1) {
    topic.centroidSum[index] = (topic.centroidSum[index] ?? 0) + (direction[index] ?? 0);
  }
  topic.size += 1;
  if (request.at < topic.firstAt) topic.firstAt = request.at;
  if (request.at > topic.lastAt) topic.lastAt = request.at;
  increment(topic.termCounts, request.terms);
  // Places are counted by their core, under the first spelling seen (魅力之城 / 魅力之城小区).
  for (const place of new Set(request.places)) {
    const core = placeCore(place);
    const known = [...topic.placeCounts.keys()].find((existing) => placeCore(existing) === core) ?? place;
    topic.placeCounts.set(known, (topic.placeCounts.get(known) ?? 0) + 1);
  }
  increment(topic.districtCounts, request.districts);
  topic.likes += request.likes ?? 0;
  topic.memberIds.push(request.id);
  views.delete(topic);
}

/**
 * Adds requests (in time order) to the topics, opening new ones where nothing fits. Mutates and
 * returns `topics`; returns each request's topic id.
 *
 * @example
 * const { assignments } = addToTopics(topics, newRequests, () => randomUUID());
 */
export function addToTopics(
  topics: Topic[],
  requests: readonly TopicRequest[],
  newTopicId: () => string,
  options: ClusteringOptions = DEFAULT_CLUSTERING,
): { topics: Topic[]; assignments: Map<string, string> } {
  const assignments = new Map<string, string>();
  const ordered = [...requests].sort((left, right) => left.at.getTime() - right.at.getTime());
  for (const request of ordered) {
    // Normalised and place-parsed once per request, not once per candidate topic: with hundreds of
    // active topics this was most of an update's work.
    const prepared = prepare(request);
    let best: { topic: Topic; similarity: number } | null = null;
    for (const topic of topics) {
      const similarity = fitSimilarity(topic, prepared, options);
      if (similarity !== null && (best === null || similarity > best.similarity))
        best = { topic, similarity };
    }
    const topic = best?.topic ?? openTopic(newTopicId(), request);
    if (!best) topics.push(topic);
    join(topic, request);
    assignments.set(request.id, topic.id);
  }
  return { topics, assignments };
}

export interface RankedTopic {
  readonly id: string;
  readonly label: string;
  readonly keywords: string[];
  readonly count: number;
  readonly firstAt: Date;
  readonly lastAt: Date;
  readonly heat: number;
  readonly memberIds: string[];
  readonly district: string | null;
  readonly places: string[];
}

function topKeys(
  counts: Map<string, number>,
  limit: number,
  weight: (key: string) => number = () => 1,
): string[] {
  return [...counts.entries()]
    .map(([key, count]) => [key, count * weight(key)] as const)
    .sort((left, right) => right[1] - left[1] || left[0].localeCompare(right[0]))
    .slice(0, limit)
    .map(([key]) => key);
}

/** Requests a doubling of likes is worth in the heat. */
const LIKES_WEIGHT = 2;

/**
 * Heat: how many asked, how fast it grows and how many others agreed. `count` weighs most; growth
 * is the share of the topic's requests in its last week (a burst scores higher than a slow trickle
 * of the same size); likes (citizens who endorsed a published message: on a board, co-signers)
 * add on a log scale, so a thousand likes weigh like twenty more callers. At ten callers per
 * thousand likes, the 58车贷 and 五矿万境 incidents on the TipDM board (15 and 11 messages,
 * 2,000+ likes each) ranked below slow trickles of unrelated road requests.
 */
export function topicHeat(topic: Pick<Topic, "size" | "likes">, recentShare: number): number {
  const likes = LIKES_WEIGHT * Math.log2(1 + Math.max(0, topic.likes));
  return Math.round((topic.size * (1 + recentShare) + likes) * 100) / 100;
}

/**
 * Topics ranked by heat, labelled by their main place and their most distinctive words.
 * `documentFrequency(term)` is the share of all requests containing a term (for distinctiveness).
 */
export function rankTopics(
  topics: readonly Topic[],
  memberTimes: ReadonlyMap<string, Date>,
  documentFrequency: (term: string) => number,
  options: { limit: number; minCount?: number },
): RankedTopic[] {
  const minCount = options.minCount ?? 2;
  return topics
    .filter((topic) => topic.size >= minCount)
    .map((topic) => {
      const lastWeekStart = topic.lastAt.getTime() - 7 * DAY_MS;
      const recent = topic.memberIds.filter(
        (id) => (memberTimes.get(id)?.getTime() ?? 0) >= lastWeekStart,
      ).length;
      const places = topKeys(topic.placeCounts, 3);
      const keywords = topKeys(topic.termCounts, 6, (term) =>
        Math.log(1 + 1 / Math.max(documentFrequency(term), 1e-4)),
      );
      const district = topKeys(topic.districtCounts, 1)[0] ?? null;
      const label = [district, places[0], keywords.slice(0, 3).join("、")].filter(Boolean).join(" ");
      return {
        id: topic.id,
        label,
        keywords,
        count: topic.size,
        firstAt: topic.firstAt,
        lastAt: topic.lastAt,
        heat: topicHeat(topic, recent / topic.size),
        memberIds: [...topic.memberIds],
        district,
        places,
      };
    })
    .sort((left, right) => right.heat - left.heat || right.count - left.count)
    .slice(0, options.limit);
}
