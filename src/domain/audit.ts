import { createHash } from "node:crypto";
import { stableStringify } from "./knowledge/hash";

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
