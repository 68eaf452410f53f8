import { z } from "zod";
import type { Labels } from "./classifier/engine";
import { REQUEST_TYPES } from "./classifier/rules";

/** One labelled past request, as imported (JSONL/CSV) or recorded from feedback. */
export const CaseInputSchema = z.strictObject({
  id: z.string().trim().min(1).max(100).optional(),
  text: z.string().trim().min(1).max(5000),
  /** Category path "l1/l2/l3" or a list of 1–3 levels. */
  category: z
    .union([z.string().trim().min(1), z.array(z.string().trim().min(1)).min(1).max(3)])
    .transform((value) => (Array.isArray(value) ? value : value.split("/").map((part) => part.trim())))
    .optional(),
  /** A department code, or acceptable codes (lead first). */
  department: z.union([z.string().trim().min(1), z.array(z.string().trim().min(1)).min(1)]).optional(),
  /** 协办: departments that must also act on the call besides the lead (`department`); may be empty. */
  assistingDepartments: z.array(z.string().trim().min(1)).max(10).optional(),
  type: z.enum(REQUEST_TYPES).optional(),
  urgent: z.boolean().optional(),
  marketEntity: z.boolean().optional(),
  receivedAt: z.iso.datetime({ offset: true }).optional(),
  time: z.iso.datetime({ offset: true }).optional(),
});
export type CaseInput = z.infer<typeof CaseInputSchema>;

export interface StoredCase {
  id: string;
  text: string;
  category: string[];
  departments: string[];
  /** 协办 departments, when the history names them (absent or empty otherwise). */
  assistingDepartments?: string[];
  type: string | null;
  urgent: boolean | null;
  marketEntity: boolean | null;
  receivedAt: string | null;
  /** closed | feedback | dispatch come from work orders and agents; seed | import from files. */
  source: CaseSource;
  contentHash: string;
  /** The work order the case was made from (cases `order-<orderId>`). */
  orderId?: string | null;
  /** Per label (category, type, urgent, marketEntity, departments), where it came from. */
  labelSources?: Record<string, string> | null;
  /** Departments that returned or were reassigned away from this request: evidence against them. */
  rejectedDepartments?: string[];
}

export const CASE_SOURCES = ["seed", "import", "feedback", "closed", "dispatch"] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

export interface CaseWithEmbedding extends StoredCase {
  embedding: Float32Array;
}

/**
 * A category path of 1–3 levels that starts an existing taxonomy path.
 *
 * @example
 * isTaxonomyPath([["城乡建设", "市政设施", "路灯"]], ["城乡建设"]); // true
 */
export function isTaxonomyPath(paths: readonly (readonly string[])[], candidate: readonly string[]): boolean {
  return paths.some((path) => candidate.every((level, index) => path[index] === level));
}

/** The engine's labels of a stored case. */
export function labelsOf(
  stored: Pick<StoredCase, "category" | "departments" | "type" | "urgent" | "marketEntity">,
): Labels {
  const labels: Labels = {};
  if (stored.category.length > 0 && stored.category[0]) labels.category1 = [stored.category[0]];
  if (stored.category.length === 3) labels.category = [stored.category.join("/")];
  if (stored.departments.length > 0) labels.department = [...stored.departments];
  if (stored.type) labels.type = [stored.type];
  if (stored.urgent !== null) labels.urgent = [String(stored.urgent)];
  if (stored.marketEntity !== null) labels.marketEntity = [String(stored.marketEntity)];
  return labels;
}

export interface CaseRepository {
  /** Inserts or replaces cases by id. */
  upsert(cases: readonly (StoredCase & { embedding: Float32Array; embeddingModel: string })[]): Promise<void>;
  existingHashes(ids: readonly string[]): Promise<Map<string, string>>;
  count(): Promise<number>;
  nearest(vector: Float32Array, k: number): Promise<{ similarity: number; stored: StoredCase }[]>;
  all(): Promise<CaseWithEmbedding[]>;
  /** Removes every case (evaluation folds start from an empty history). */
  clear(): Promise<void>;
  /** Removes the given cases (a feedback case once its work order's case supersedes it). */
  remove(ids: readonly string[]): Promise<number>;
  /**
   * Labelled cases received at or after `since`, newest first, optionally of some sources only:
   * e.g. the held-out slice of recent closed orders a candidate model is evaluated on.
   */
  receivedSince(since: Date, sources?: readonly CaseSource[]): Promise<CaseWithEmbedding[]>;
}

export interface SuggestionRecord {
  id: string;
  createdAt: string;
  text: string | null;
  request: unknown;
  result: unknown;
  modelVersion: string;
  actor: string;
  /** The API key that asked (null on rows stored before keys were recorded). */
  actorKeyId: number | null;
  feedback: unknown;
}

export interface RetentionCounts {
  suggestions: number;
  feedbackCases: number;
  dispatchReasons: number;
  /** Analytics' summaries of requests (request_signals), emptied like the texts they come from. */
  requestSummaries?: number;
  /** Unanswered questions of the knowledge-gap list (knowledge_gap_questions), deleted. */
  gapQuestions?: number;
}

/** What a dispatch reason becomes once its retention period is over. */
export const FORGOTTEN_REASON = "[已按保留期限删除]";

export interface SuggestionRepository {
  insert(record: Omit<SuggestionRecord, "createdAt" | "feedback"> & { createdAt: Date }): Promise<void>;
  get(id: string): Promise<SuggestionRecord | null>;
  setFeedback(id: string, feedback: unknown, at: Date): Promise<void>;
  /**
   * Personal-data retention for everything older than `before`: empties suggestion texts and the
   * similar cases stored in their results, deletes cases made from feedback (text and embedding)
   * and empties dispatch reasons. Returns how many rows of each were changed.
   */
  forgetPersonalDataBefore(before: Date): Promise<RetentionCounts>;
  insertDispatchEvent(event: {
    suggestionId: string | null;
    caseId: string | null;
    kind: "returned" | "reassigned";
    fromDepartment: string;
    toDepartment: string | null;
    reason: string;
    actor: string;
    at: Date;
  }): Promise<{ id: number }>;
  disputeCounts(): Promise<
    { fromDepartment: string; toDepartment: string | null; kind: string; count: number }[]
  >;
  /** Agents' marks on the scripts suggestions showed (feedback): 不适用 and 采用 counts per script. */
  scriptMarks(): Promise<ScriptMarks[]>;
}

export interface ScriptMarks {
  scriptId: string;
  /** Times agents marked the script 不适用 (dismissedScriptIds). */
  dismissed: number;
  /** Times agents marked it used (acceptedScriptIds). */
  accepted: number;
  /** The latest such feedback (ISO instant). */
  lastAt: string | null;
}
