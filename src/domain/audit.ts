import { createHash } from "node:crypto";
import { stableStringify } from "./knowledge/hash";
import { maskPersonalData } from "./text/pii";

export interface AuditInput {
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  reason?: string;
}

export interface AuditEntry extends Required<Omit<AuditInput, "before" | "after">> {
  id: number;
  at: string;
  before: unknown;
  after: unknown;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = "0".repeat(64);

/**
 * Fields of an audit payload (before/after, at any depth) that hold text someone typed: change
 * notes, review comments, retire/rollback/dispatch reasons, key and hit-test names, agent ids.
 * Identifiers, hashes, versions and dates are left alone (masking would corrupt them).
 */
export const AUDIT_FREE_TEXT_FIELDS: ReadonlySet<string> = new Set([
  "reason",
  "changeNote",
  "comment",
  "note",
  "name",
  "agentId",
  "district",
  "text",
  "question",
]);

/**
 * The entry with its free text masked (personal data never enters the append-only log, which can
 * never be erased; review #2): the actor, the reason and every AUDIT_FREE_TEXT_FIELDS string in
 * before/after. Applied once, by the repository, before the entry is hashed and stored; the hash is
 * then over what is stored, so verification needs no masking and old entries still verify.
 *
 * @example
 * maskAuditInput({ …, reason: "市民电话13812345678" }).reason; // "市民电话[手机号]"
 */
export function maskAuditInput(entry: AuditInput): AuditInput {
  return {
    ...entry,
    actor: maskPersonalData(entry.actor),
    before: maskFreeTextFields(entry.before, false),
    after: maskFreeTextFields(entry.after, false),
    ...(entry.reason === undefined ? {} : { reason: maskPersonalData(entry.reason) }),
  };
}

function maskFreeTextFields(value: unknown, freeText: boolean, depth = 0): unknown {
  if (depth > 20) return value;
  if (typeof value === "string") return freeText ? maskPersonalData(value) : value;
  if (Array.isArray(value)) return value.map((item) => maskFreeTextFields(item, freeText, depth + 1));
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, field]) => [
        key,
        maskFreeTextFields(field, freeText || AUDIT_FREE_TEXT_FIELDS.has(key), depth + 1),
      ]),
    );
  }
  return value;
}

/** An entry's stored fields, with absent ones made explicit (what is stored is what is hashed). */
export function auditRecord(entry: AuditInput): Required<AuditInput> {
  return {
    actor: wellFormed(entry.actor),
    action: wellFormed(entry.action),
    entityType: wellFormed(entry.entityType),
    entityId: wellFormed(entry.entityId),
    before: asStoredJson(entry.before),
    after: asStoredJson(entry.after),
    reason: wellFormed(entry.reason ?? ""),
  };
}

/** Lone surrogates become U+FFFD, as the database stores them (review #5: else the hash differs). */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

/**
 * The value as the jsonb column gives it back: Dates as ISO strings, undefined fields dropped,
 * strings well-formed (review #5: a Date used to be hashed as {}).
 */
function asStoredJson(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return JSON.parse(JSON.stringify(value), (_key, field: unknown) =>
    typeof field === "string" ? wellFormed(field) : field,
  );
}

/**
 * The hash of an audit entry: its content (with its time) chained to the previous entry's hash.
 *
 * @example
 * const hash = auditHash(GENESIS_HASH, { at, actor: "editor-1", action: "script.edit", … });
 */
export function auditHash(prevHash: string, entry: AuditInput & { at: string }): string {
  const content = stableStringify({ at: entry.at, ...auditRecord(entry) });
  return createHash("sha256").update(prevHash).update("\n").update(content).digest("hex");
}

/**
 * Walks the chain in id order and reports the first entry whose hash or link does not verify.
 *
 * @example
 * verifyAuditChain(entries); // { ok: true, checked: 120 }
 */
export function verifyAuditChain(entries: readonly AuditEntry[]): {
  ok: boolean;
  checked: number;
  brokenAt?: number;
  reason?: string;
} {
  let previous = GENESIS_HASH;
  for (const entry of entries) {
    if (entry.prevHash !== previous) {
      return {
        ok: false,
        checked: entries.length,
        brokenAt: entry.id,
        reason: "link to the previous entry is broken",
      };
    }
    if (auditHash(previous, entry) !== entry.hash) {
      return {
        ok: false,
        checked: entries.length,
        brokenAt: entry.id,
        reason: "content does not match its hash",
      };
    }
    previous = entry.hash;
  }
  return { ok: true, checked: entries.length };
}

export interface AuditRepository {
  /** Appends one entry, chained to the last one; serialised so the chain never forks. */
  append(entry: AuditInput, at: Date): Promise<AuditEntry>;
  list(filter: {
    entityType?: string;
    entityId?: string;
    limit: number;
    beforeId?: number;
  }): Promise<AuditEntry[]>;
  all(): Promise<AuditEntry[]>;
}
