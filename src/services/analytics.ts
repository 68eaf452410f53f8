import { randomUUID } from "node:crypto";
import { findPossibleDuplicates, type PossibleDuplicate } from "#domain/analytics/duplicates";
import {
  addToTopics,
  DEFAULT_CLUSTERING,
  type RankedTopic,
  rankTopics,
  type Topic,
} from "#domain/analytics/hot-topics";
import { extractPlaces } from "#domain/analytics/places";
import type { RequestSignal } from "#domain/analytics/repository";
import { DEFAULT_SPIKES, detectSpikes, type Spike } from "#domain/analytics/spikes";
import { topicTerms } from "#domain/analytics/terms";
import type { ServiceDeps } from "./deps";

const DAY_MS = 86_400_000;
/** Characters of the masked text kept as a request's summary in reports and 并单 hints. */
const SUMMARY_LENGTH = 80;
/** 并单 looks this far back for open requests. */
export const DUPLICATE_WINDOW_DAYS = 14;
/** Signals clustered per step of an update (each step is one transaction). */
const UPDATE_BATCH = 500;

export interface RequestSignalInput {
  readonly source: RequestSignal["source"];
  readonly sourceId: string;
  readonly at: Date;
  /** Already masked. */
  readonly text: string;
  readonly district?: string | null;
  readonly embedding: Float32Array;
  readonly category?: readonly string[];
  readonly department?: string | null;
  readonly likes?: number;
  readonly closedAt?: Date | null;
}

type AnalyticsDeps = Pick<ServiceDeps, "analytics" | "segmenter" | "lexicon">;

/** What the analytics need of a request: its places and words, computed once. */
export function describeRequest(
  deps: Pick<ServiceDeps, "segmenter" | "lexicon">,
  text: string,
  district?: string | null,
): { places: string[]; districts: string[]; terms: string[] } {
  const mentions = extractPlaces(`${district ?? ""} ${text}`);
  return { ...mentions, terms: topicTerms(deps.segmenter.cut(text), deps.lexicon.stopWords) };
}

/**
 * Stores a request for the analytics (hot topics, spikes, 并单). Called by suggest and by the
 * work-order intake; the hot-topic update places it later.
 */
export async function recordRequestSignal({
  deps,
  input,
}: {
  deps: AnalyticsDeps;
  input: RequestSignalInput;
}): Promise<void> {
  const described = describeRequest(deps, input.text, input.district);
  await deps.analytics.saveSignal({
    id: `${input.source}:${input.sourceId}`,
    source: input.source,
    sourceId: input.sourceId,
    at: input.at,
    summary: input.text.slice(0, SUMMARY_LENGTH),
    ...described,
    category: [...(input.category ?? [])],
    department: input.department ?? null,
    likes: input.likes ?? 0,
    embedding: input.embedding,
    closedAt: input.closedAt ?? null,
  });
}

/**
 * Places every request not yet in a topic (incremental: only new requests are compared, with the
 * topics active around their time). Returns how many were placed and how many topics changed.
 * One update at a time across replicas: the scheduled job and an admin's update asked for at the
 * same moment would otherwise both place the same requests (the second waits, then finds the rest).
 */
export function updateHotTopics({
  deps,
  onProgress,
}: {
  deps: Pick<ServiceDeps, "analytics" | "locks">;
  onProgress?: (placed: number) => void;
}): Promise<{ placed: number; topicsChanged: number }> {
  return deps.locks.withLock("hot-topics", () => placeUnclustered(deps, onProgress));
}

async function placeUnclustered(
  deps: Pick<ServiceDeps, "analytics">,
  onProgress?: (placed: number) => void,
): Promise<{ placed: number; topicsChanged: number }> {
  let placed = 0;
  const changed = new Set<string>();
  for (;;) {
    const batch = await deps.analytics.unclustered(UPDATE_BATCH);
    if (batch.length === 0) break;
    const oldest = batch[0]?.at ?? new Date();
    const topics: Topic[] = await deps.analytics.activeTopics(
      new Date(oldest.getTime() - DEFAULT_CLUSTERING.windowDays * DAY_MS),
    );
    const { assignments } = addToTopics(topics, batch, () => `topic-${randomUUID()}`);
    const touched = new Set(assignments.values());
    for (const id of touched) changed.add(id);
    await deps.analytics.saveClustering(
      topics.filter((topic) => touched.has(topic.id)),
      assignments,
    );
    placed += batch.length;
    onProgress?.(placed);
  }
  return { placed, topicsChanged: changed.size };
}

export interface HotTopic extends Omit<RankedTopic, "firstAt" | "lastAt"> {
  readonly firstAt: string;
  readonly lastAt: string;
}

/** Topics of requests in [from, to), ranked by heat; counts and members are those inside the range. */
export async function listHotTopics({
  deps,
  input,
}: {
  deps: Pick<ServiceDeps, "analytics">;
  input: { from: Date; to: Date; limit: number };
}): Promise<HotTopic[]> {
  const found = await deps.analytics.topicsBetween(input.from, input.to);
  const inRange = found.map(({ topic, members }) => ({
    ...topic,
    size: members.length,
    firstAt: members[0]?.at ?? topic.firstAt,
    lastAt: members.at(-1)?.at ?? topic.lastAt,
    memberIds: members.map((member) => member.id),
  }));
  const memberTimes = new Map(
    found.flatMap(({ members }) => members.map((member) => [member.id, member.at] as const)),
  );
  const frequencies = await deps.analytics.termFrequencies(input.from, input.to);
  const total = Math.max(1, frequencies.total);
  return rankTopics(inRange, memberTimes, (term) => (frequencies.counts.get(term) ?? 0) / total, {
    limit: input.limit,
  }).map((topic) => ({ ...topic, firstAt: topic.firstAt.toISOString(), lastAt: topic.lastAt.toISOString() }));
}

/** 并单 hints for a request being taken: open requests about the same problem and place. */
export async function possibleDuplicates({
  deps,
  input,
}: {
  deps: Pick<ServiceDeps, "analytics" | "segmenter" | "lexicon" | "clock">;
  input: { text: string; district?: string | null; embedding: Float32Array; excludeId?: string };
}): Promise<PossibleDuplicate[]> {
  const since = new Date(deps.clock.now().getTime() - DUPLICATE_WINDOW_DAYS * DAY_MS);
  const candidates = await deps.analytics.nearestOpen(input.embedding, since, 20, input.excludeId);
  if (candidates.length === 0) return [];
  const described = describeRequest(deps, input.text, input.district);
  return findPossibleDuplicates(
    { places: described.places, districts: described.districts },
    candidates.map((candidate) => ({
      id: candidate.id,
      at: candidate.at,
      similarity: candidate.similarity,
      places: candidate.places,
      districts: candidate.districts,
      summary: candidate.summary,
    })),
  );
}

/** Spike alerts for the day ending now, against the same day of the previous weeks. */
export async function spikeAlerts({
  deps,
}: {
  deps: Pick<ServiceDeps, "analytics" | "clock">;
}): Promise<Spike[]> {
  const now = deps.clock.now();
  const from = new Date(now.getTime() - (DEFAULT_SPIKES.baselineWeeks * 7 + 1) * DAY_MS);
  return detectSpikes(await deps.analytics.keyedEvents(from, now), now);
}
