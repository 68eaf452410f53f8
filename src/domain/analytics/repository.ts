import type { Topic } from "./hot-topics";

/** A request as the analytics store it (see `request_signals`). */
export interface RequestSignal {
  readonly id: string;
  readonly source: "suggestion" | "order";
  readonly sourceId: string;
  readonly at: Date;
  readonly summary: string;
  readonly places: string[];
  readonly districts: string[];
  readonly terms: string[];
  readonly category: string[];
  readonly department: string | null;
  readonly likes: number;
  readonly embedding: Float32Array;
  readonly topicId: string | null;
  readonly closedAt: Date | null;
}

/**
 * An open signal found near a request: what the 并单 hint shows, and its cosine similarity to the
 * request (computed where the vectors are: every suggest asks for 20, and their vectors are
 * ~6 kB of text each to send and parse).
 */
export type NearbySignal = Omit<RequestSignal, "embedding"> & { similarity: number };

export interface AnalyticsRepository {
  /** Inserts or replaces a signal (an order's later events update its likes, department, closure). */
  saveSignal(signal: Omit<RequestSignal, "topicId">): Promise<void>;
  markClosed(id: string, closedAt: Date): Promise<void>;
  /** Empties the summaries of requests received before `before` (retention); returns how many. */
  forgetSummariesBefore(before: Date): Promise<number>;
  /** Signals not yet placed in a topic, oldest first. */
  unclustered(limit: number): Promise<RequestSignal[]>;
  /** Topics with a member at or after `since` (the candidates a new request may join). */
  activeTopics(since: Date): Promise<Topic[]>;
  /** Stores the topics' running sums and the signals' topics, in one transaction. */
  saveClustering(topics: readonly Topic[], assignments: ReadonlyMap<string, string>): Promise<void>;
  /** Topics that have members in [from, to), with those members' ids and times. */
  topicsBetween(from: Date, to: Date): Promise<{ topic: Topic; members: { id: string; at: Date }[] }[]>;
  /** Share of signals in [from, to) containing each term (for keyword distinctiveness). */
  termFrequencies(from: Date, to: Date): Promise<{ total: number; counts: Map<string, number> }>;
  /** The open signals since `since` nearest in meaning to `embedding`, most similar first. */
  nearestOpen(
    embedding: Float32Array,
    since: Date,
    limit: number,
    excludeId?: string,
  ): Promise<NearbySignal[]>;
  /** Signals in [from, to) reduced to the keys spikes are counted by. */
  keyedEvents(from: Date, to: Date): Promise<{ key: string; at: Date }[]>;
}
