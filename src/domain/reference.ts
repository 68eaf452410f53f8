import { z } from "zod";
import { checkKnowledge, type KnowledgeIssue } from "./knowledge/check";
import { type Duties, DutiesSchema } from "./knowledge/duties";
import { contentHash } from "./knowledge/hash";
import { type MarketEntityDefinition, MarketEntityDefinitionSchema } from "./knowledge/market-entity";
import {
  type Department,
  DepartmentSchema,
  type Emergency,
  EmergencySchema,
  type KnowledgeBundle,
  type Synonym,
  SynonymSchema,
} from "./knowledge/schema";

/**
 * Reference data a centre changes while the service runs (issue #16): stored as versions in the
 * shared database, so an admin change reaches every replica without a restart. The files under
 * knowledge/ stay the reviewed source and sync into new versions when they change.
 */
export const REFERENCE_KINDS = ["departments", "duties", "emergencies", "market-entity", "synonyms"] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

/** Each kind's content, with the same schemas `knowledge:check` reads the files with. */
export const REFERENCE_SCHEMAS = {
  departments: z.array(DepartmentSchema).min(1),
  duties: DutiesSchema,
  emergencies: z.array(EmergencySchema),
  "market-entity": MarketEntityDefinitionSchema,
  synonyms: z.array(SynonymSchema),
} as const satisfies Record<ReferenceKind, z.ZodType>;

export interface ReferenceContents {
  departments: Department[];
  duties: Duties;
  emergencies: Emergency[];
  "market-entity": MarketEntityDefinition;
  synonyms: Synonym[];
}

/** The knowledge file each kind is the database copy of (named in notes and issues). */
export const REFERENCE_FILES: Record<ReferenceKind, string> = {
  departments: "departments.yaml",
  duties: "duties.yaml",
  emergencies: "emergencies.yaml",
  "market-entity": "market-entity.yaml",
  synonyms: "synonyms.yaml",
};

/** One stored version of one kind. */
export interface ReferenceVersion {
  id: number;
  kind: ReferenceKind;
  /** 1, 2, … per kind. */
  version: number;
  content: unknown;
  contentHash: string;
  /** "files": written by the knowledge sync; "api": by an admin. */
  source: "files" | "api";
  /** From when it is in force (the newest one whose time has come wins). */
  effectiveFrom: string;
  createdAt: string;
  createdBy: string;
  note: string | null;
}

/** Which version of each kind is in force: what a replica polls (one small indexed query). */
export type EffectiveIds = Partial<Record<ReferenceKind, number>>;

export interface ReferenceRepository {
  /** The id of the version in force at `at`, per kind that has one. */
  effectiveIds(at: Date): Promise<EffectiveIds>;
  /** Versions by id (their content included). */
  byIds(ids: readonly number[]): Promise<ReferenceVersion[]>;
  /** A kind's versions, newest first (content included). */
  history(kind: ReferenceKind, limit: number): Promise<ReferenceVersion[]>;
  /** The newest version the knowledge sync wrote for a kind. */
  latestFromFiles(kind: ReferenceKind): Promise<ReferenceVersion | null>;
  /** Adds the next version of a kind (its number is the kind's highest + 1). */
  insert(entry: {
    kind: ReferenceKind;
    content: unknown;
    contentHash: string;
    source: "files" | "api";
    effectiveFrom: Date;
    createdBy: string;
    note: string | null;
  }): Promise<ReferenceVersion>;
}

/**
 * A kind's content as the files have it; null when the optional file is missing.
 *
 * @example
 * referenceFromBundle(bundle, "synonyms"); // bundle.synonyms
 */
export function referenceFromBundle(bundle: KnowledgeBundle, kind: ReferenceKind): unknown {
  switch (kind) {
    case "departments":
      return bundle.departments;
    case "duties":
      return bundle.duties ?? null;
    case "emergencies":
      return bundle.emergencies;
    case "market-entity":
      return bundle.marketEntity ?? null;
    case "synonyms":
      return bundle.synonyms;
  }
}

/** Fingerprint of a kind's content (what tells the sync the file changed). */
export function referenceHash(content: unknown): string {
  return contentHash(content);
}

/**
 * The bundle with stored versions in place of the files' content, kind by kind. Contents are
 * parsed again, so a row written by an older release that no longer fits is left out (the files'
 * content stays) rather than served.
 *
 * @example
 * const live = applyReference(bundle, [{ kind: "synonyms", content: [...] }]).bundle;
 */
export function applyReference<B extends KnowledgeBundle>(
  bundle: B,
  versions: readonly Pick<ReferenceVersion, "kind" | "content" | "id">[],
): { bundle: B; skipped: { id: number; kind: ReferenceKind; message: string }[] } {
  const next: B = { ...bundle };
  const skipped: { id: number; kind: ReferenceKind; message: string }[] = [];
  for (const version of versions) {
    const parsed = REFERENCE_SCHEMAS[version.kind].safeParse(version.content);
    if (!parsed.success) {
      skipped.push({ id: version.id, kind: version.kind, message: parsed.error.issues[0]?.message ?? "" });
      continue;
    }
    setKind(next, version.kind, parsed.data);
  }
  return { bundle: next, skipped };
}

function setKind(bundle: KnowledgeBundle, kind: ReferenceKind, content: unknown) {
  switch (kind) {
    case "departments":
      bundle.departments = content as Department[];
      return;
    case "duties":
      bundle.duties = content as Duties;
      return;
    case "emergencies":
      bundle.emergencies = content as Emergency[];
      return;
    case "market-entity":
      bundle.marketEntity = content as MarketEntityDefinition;
      return;
    case "synonyms":
      bundle.synonyms = content as Synonym[];
      return;
  }
}

/**
 * Checks new content for a kind the way `knowledge:check` checks the file: its schema, then the
 * cross-file rules against the rest of the data in force. `catalogueCodes` is the fixed contract
 * (departments.tsv): a department code outside it, or one of it left out, is refused.
 *
 * @example
 * const { issues } = validateReference("synonyms", body, bundleInForce, codes);
 */
export function validateReference(
  kind: ReferenceKind,
  content: unknown,
  inForce: KnowledgeBundle,
  catalogueCodes: ReadonlySet<string>,
): { content: unknown; issues: KnowledgeIssue[] } {
  const file = REFERENCE_FILES[kind];
  const parsed = REFERENCE_SCHEMAS[kind].safeParse(content);
  if (!parsed.success) {
    return {
      content,
      issues: parsed.error.issues.map((issue) => ({
        file,
        message: `${issue.path.join(".") || "(content)"}: ${issue.message}`,
      })),
    };
  }
  const candidate: KnowledgeBundle = { ...inForce };
  setKind(candidate, kind, parsed.data);
  // Only what this change breaks: problems the data in force already has are not the caller's.
  const before = new Set(checkKnowledge(inForce, catalogueCodes).map(issueKey));
  const issues = checkKnowledge(candidate, catalogueCodes).filter((issue) => !before.has(issueKey(issue)));
  return { content: parsed.data, issues };
}

function issueKey(issue: KnowledgeIssue): string {
  return `${issue.file}\u0000${issue.message}`;
}
