import type { FusionConfig, SignalHit } from "../retrieval/fusion";
import type { VersionState } from "../values";
import type { CategoryPath, Department, Script } from "./schema";

/** Lifecycle of one version of a script. */
export type { VersionState };
/** Lifecycle of a script as a whole. */
export type ItemStatus = "draft" | "published" | "retired";

/** A script's wording fields (everything but its id). */
export type ScriptContent = Omit<Script, "id">;

export interface ScriptVersion extends ScriptContent {
  versionId: number;
  itemId: string;
  version: number;
  state: VersionState;
  contentHash: string;
  source: "file" | "api";
  author: string;
  /** The author's person identity (normalised): what the two-person rule compares. */
  authorPerson: string;
  baseVersion: number | null;
  changeNote: string;
  reviewer: string | null;
  reviewerPerson: string | null;
  reviewComment: string | null;
  reviewedAt: string | null;
  createdAt: string;
}

/** What a search result shows of a script's published version. */
export type PublishedScript = Pick<
  ScriptVersion,
  | "itemId"
  | "version"
  | "title"
  | "question"
  | "answer"
  | "basis"
  | "departments"
  | "category"
  | "region"
  | "validTo"
>;

export interface KnowledgeItem {
  id: string;
  status: ItemStatus;
  publishedVersion: number | null;
  latestVersion: number;
  updatedAt: string;
}

/** A version as written: everything but the fields the database and the review fill in. */
export type NewVersion = Omit<
  ScriptVersion,
  "versionId" | "reviewer" | "reviewerPerson" | "reviewComment" | "reviewedAt" | "createdAt"
>;

/** Who decided on a version, and when. */
export interface ReviewStamp {
  reviewer: string;
  reviewerPerson: string;
  comment: string | null;
  at: Date;
}

export interface PassageInput {
  kind: "title" | "question" | "variant";
  text: string;
  /** Search-mode jieba tokens joined by spaces, indexed with the `simple` configuration. */
  tokens: string;
  embedding: Float32Array;
  embeddingModel: string;
  contentHash: string;
}

export interface SearchFilters {
  departments?: readonly string[] | undefined;
  /** 1 to 3 levels: scripts whose category starts with these levels. */
  category?: readonly string[] | undefined;
  /** Scripts for this region or for 全市. */
  region?: string | undefined;
}

export interface SearchOptions {
  limit: number;
  filters: SearchFilters;
  /** Only scripts valid on this day (YYYY-MM-DD) surface. */
  today: string;
}

export interface CategoryRow {
  path: CategoryPath | [string] | [string, string];
  departments: string[];
}

/** What the editors' script list narrows to: a script's status, or the state of its newest version. */
export const SCRIPT_LIST_STATUSES = ["published", "pending_review", "draft", "rejected", "retired"] as const;
export type ScriptListStatus = (typeof SCRIPT_LIST_STATUSES)[number];

/**
 * Filters of the editors' script list. Text, department and category apply to the newest version
 * (the wording being worked on); `validToBetween` to the published one, as the expiring list does.
 */
export interface ScriptListFilters {
  /** Part of the id, title, standard question, a variant or the answer (case-insensitive). */
  text?: string | undefined;
  department?: string | undefined;
  /** 1 to 3 levels: scripts whose category starts with these levels. */
  category?: readonly string[] | undefined;
  /**
   * published / retired: the script's status; pending_review / draft / rejected: the state of its
   * newest version.
   */
  status?: ScriptListStatus | undefined;
  /** Published scripts whose validTo falls in [from, to] (YYYY-MM-DD), soonest first. */
  validToBetween?: { from: string; to: string } | undefined;
}

/** One line of the editors' script list. */
export interface ScriptSummary {
  id: string;
  status: ItemStatus;
  publishedVersion: number | null;
  latestVersion: number;
  latestState: VersionState;
  latestAuthor: string;
  title: string;
  question: string;
  departments: string[];
  category: string[];
  region: string;
  /** The published version's validTo (the newest version's when never published). */
  validTo: string | null;
  updatedAt: string;
}

export interface HitTestCaseResult {
  id: string;
  question: string;
  expected: string[];
  returned: string[];
  rank: number | null;
  /** Whether the search was confident (absent on runs stored before issue #14: read as true). */
  confident?: boolean;
}

export interface HitTestRun {
  id: number;
  name: string;
  actor: string;
  createdAt: string;
  config: Record<string, unknown>;
  metrics: import("../retrieval/metrics").RetrievalMetrics;
  cases: HitTestCaseResult[];
}

/**
 * How many published versions the hybrid search returns per result asked for: the versions of the
 * items its own fusion ranks first. Its tie order may differ from fuseRankings', so it takes a
 * margin; a result it still missed is read apart (searchKnowledge).
 */
export const HYBRID_VERSIONS_PER_RESULT = 3;

/**
 * Storage of the knowledge base. Implemented over PGlite and PostgreSQL in infra; writes that must
 * land together go through the one `Transact` port (src/domain/repositories.ts).
 */
export interface KnowledgeRepository {
  replaceDepartments(departments: readonly Department[]): Promise<void>;
  replaceCategories(categories: readonly CategoryRow[]): Promise<void>;
  listDepartments(): Promise<Department[]>;

  getSyncState(scope: string): Promise<{ contentHash: string; embeddingModel: string } | null>;
  setSyncState(scope: string, contentHash: string, embeddingModel: string): Promise<void>;

  listItems(): Promise<KnowledgeItem[]>;
  /** Scripts matching every given filter, with the total before paging. */
  listScripts(
    filters: ScriptListFilters,
    page: { limit: number; offset: number },
  ): Promise<{ total: number; scripts: ScriptSummary[] }>;
  getItem(id: string, options?: { forUpdate?: boolean }): Promise<KnowledgeItem | null>;
  /** Creates the item; false when a script with this id exists already (a concurrent create). */
  createItem(id: string): Promise<boolean>;
  /**
   * Moves `latestVersion` from `expected` to `expected + 1` only if nobody else did first.
   * Returns false when the item's latest version is no longer `expected` (a stale edit).
   */
  advanceLatestVersion(id: string, expected: number): Promise<boolean>;
  setItemStatus(id: string, status: ItemStatus, publishedVersion: number | null): Promise<void>;

  insertVersion(version: NewVersion): Promise<ScriptVersion>;
  getVersion(itemId: string, version: number): Promise<ScriptVersion | null>;
  listVersions(itemId: string): Promise<ScriptVersion[]>;
  /** Content hashes of every version of the item that came from knowledge files. */
  fileVersionHashes(itemId: string): Promise<string[]>;
  setVersionState(versionId: number, state: VersionState, review?: ReviewStamp): Promise<void>;
  /**
   * Moves a version from `from` to `to` only if it is still in `from` (false otherwise): the
   * condition is part of the update, so of two concurrent decisions exactly one wins.
   */
  transitionVersionState(
    versionId: number,
    from: VersionState,
    to: VersionState,
    review?: ReviewStamp,
  ): Promise<boolean>;
  listVersionsInState(state: VersionState): Promise<ScriptVersion[]>;

  replacePassages(itemId: string, versionId: number, passages: readonly PassageInput[]): Promise<void>;
  deletePassages(itemId: string): Promise<void>;
  /**
   * Re-writes the full-text tokens of a script's passages (matched by text), keeping their
   * embeddings: a dictionary or synonym change re-cuts the text but does not change what it means.
   */
  retokenisePassages(itemId: string, passages: readonly { text: string; tokens: string }[]): Promise<void>;
  /** Passages stored with another embedding model than `modelId` (they need re-embedding). */
  countPassagesNotEmbeddedWith(modelId: string): Promise<number>;

  vectorSearch(vector: Float32Array, options: SearchOptions): Promise<SignalHit[]>;
  fulltextSearch(terms: readonly string[], options: SearchOptions): Promise<SignalHit[]>;
  /** The published versions of these scripts, in any order. */
  publishedVersions(itemIds: readonly string[]): Promise<ScriptVersion[]>;
  /**
   * vectorSearch, fulltextSearch and the published versions of the items `fusion` ranks first (at
   * least `HYBRID_VERSIONS_PER_RESULT × limit` of them, by the same reciprocal-rank fusion), in one
   * round trip to the database (the suggest call's path). Optional: without it the three run apart.
   */
  hybridSearch?(
    vector: Float32Array,
    terms: readonly string[],
    options: SearchOptions,
    fusion: FusionConfig,
  ): Promise<{ vector: SignalHit[]; fulltext: SignalHit[]; versions: PublishedScript[] }>;
  /** Published scripts whose validTo falls in [from, to]. */
  expiringBetween(from: string, to: string): Promise<ScriptVersion[]>;

  saveHitTestRun(run: Omit<HitTestRun, "id" | "createdAt">): Promise<HitTestRun>;
  listHitTestRuns(limit: number): Promise<Omit<HitTestRun, "cases">[]>;
  getHitTestRun(id: number): Promise<HitTestRun | null>;
}
