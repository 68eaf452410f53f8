import { type Role, roleAllowed, samePerson } from "../access";
import type { ItemStatus, VersionState } from "./repository";

/**
 * The knowledge workflow as one table (review #3, #6, #7, #12): which action moves a version (or
 * the script) from which state to which, who may do it, and what must hold. Services ask
 * `decideTransition()` before they write and apply its answer as a conditional update inside their
 * transaction, so the check and the write see the same row and a concurrent loser gets 409.
 *
 *   (new) ──save──▶ draft ──submit──▶ pending_review ──approve──▶ approved ──publish──▶ published
 *                     │                     │                                            │
 *                     └──────retire─────────┴──reject / retire──▶ rejected      superseded (next publish)
 *   rollback: a version that was once approved, published or synced from the files becomes a new
 *             approved version that is published at once. retire: the script leaves service for good.
 */
export const WORKFLOW_ACTIONS = [
  "save",
  "submit",
  "approve",
  "reject",
  "publish",
  "rollback",
  "retire",
] as const;
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];

// Declared once with the other value lists; re-exported here beside the workflow that moves them.
export { VERSION_STATES } from "../values";
export const ITEM_STATUSES = ["draft", "published", "retired"] as const satisfies readonly ItemStatus[];

/** States a rollback may restore: wording that once passed review (or came from the files). */
export const RESTORABLE_STATES: readonly VersionState[] = ["approved", "published", "superseded"];

interface Rule {
  /** Roles that may take the action (admins always may). */
  roles: readonly Role[];
  /** The version's state before, or null for actions that do not start from one version. */
  from: readonly VersionState[] | null;
  /** The state the acted-on version ends in (for rollback: the new version's state). */
  to: VersionState | null;
  /** The two-person rule applies: the version's author may not take the action. */
  notAuthor: boolean;
}

export const WORKFLOW_RULES: Readonly<Record<WorkflowAction, Rule>> = {
  save: { roles: ["editor"], from: null, to: "pending_review", notAuthor: false },
  submit: { roles: ["editor"], from: ["draft"], to: "pending_review", notAuthor: false },
  approve: { roles: ["reviewer"], from: ["pending_review"], to: "approved", notAuthor: true },
  reject: { roles: ["reviewer"], from: ["pending_review"], to: "rejected", notAuthor: true },
  publish: { roles: ["reviewer"], from: ["approved"], to: "published", notAuthor: false },
  rollback: { roles: ["reviewer"], from: null, to: "published", notAuthor: false },
  retire: { roles: ["reviewer"], from: null, to: null, notAuthor: false },
};

/** Versions a retirement cancels (they become rejected), so nothing can bring the script back. */
export const CANCELLED_ON_RETIRE: readonly VersionState[] = ["draft", "pending_review"];

export interface WorkflowActor {
  role: Role;
  /** Normalised person identity (see `personIdentity()` in access.ts), not a key's display name. */
  person: string;
}

export interface WorkflowSubject {
  /** The script; null when it does not exist (yet). */
  item: { status: ItemStatus; publishedVersion: number | null } | null;
  /** The version acted on: for rollback, the version to restore. */
  version?:
    | { version: number; state: VersionState; authorPerson: string; source: "file" | "api" }
    | undefined;
}

export type RefusalReason =
  | "role"
  | "missing"
  | "retired"
  | "state"
  | "own-version"
  | "not-restorable"
  | "already-live"
  | "older-than-published";

export type WorkflowDecision =
  | { allowed: true; from: VersionState | null; to: VersionState | null }
  | { allowed: false; reason: RefusalReason; message: string };

const refuse = (reason: RefusalReason, message: string): WorkflowDecision => ({
  allowed: false,
  reason,
  message,
});

/**
 * Whether `actor` may take `action` on `subject`, and into which state it moves the version.
 * Pure: the caller loads the item (locked) and the version inside its transaction.
 *
 * @example
 * decideTransition("approve", { role: "reviewer", person: "li" },
 *   { item: { status: "published", publishedVersion: 1 },
 *     version: { version: 2, state: "pending_review", authorPerson: "wang", source: "api" } });
 * // → { allowed: true, from: "pending_review", to: "approved" }
 */
export function decideTransition(
  action: WorkflowAction,
  actor: WorkflowActor,
  subject: WorkflowSubject,
): WorkflowDecision {
  const rule = WORKFLOW_RULES[action];
  if (!roleAllowed(actor.role, rule.roles)) {
    return refuse("role", `role ${actor.role} may not ${action} (needs ${rule.roles.join(" or ")})`);
  }
  const { item, version } = subject;
  if (!item) {
    // Only saving may start a script; everything else needs one.
    return action === "save"
      ? { allowed: true, from: null, to: rule.to }
      : refuse("missing", "the script does not exist");
  }
  if (item.status === "retired") {
    return refuse("retired", "the script is retired");
  }
  if (action === "save" || action === "retire") return { allowed: true, from: null, to: rule.to };
  if (!version) return refuse("missing", "the version does not exist");
  if (action === "rollback") {
    if (version.source !== "file" && !RESTORABLE_STATES.includes(version.state)) {
      return refuse(
        "not-restorable",
        `version ${version.version} is ${version.state} and was never approved; it cannot be restored`,
      );
    }
    if (version.version === item.publishedVersion) {
      return refuse("already-live", `version ${version.version} is the published version already`);
    }
    return { allowed: true, from: null, to: rule.to };
  }
  if (!rule.from?.includes(version.state)) {
    return refuse(
      "state",
      `version ${version.version} is ${version.state}; ${action} needs ${rule.from?.join(" or ")}`,
    );
  }
  if (rule.notAuthor && samePerson(version.authorPerson, actor.person)) {
    return refuse(
      "own-version",
      `two-person rule: you wrote version ${version.version} and cannot review it`,
    );
  }
  if (action === "publish" && item.publishedVersion !== null && item.publishedVersion >= version.version) {
    return refuse(
      "older-than-published",
      `version ${version.version} is older than the published version ${item.publishedVersion}; roll back instead`,
    );
  }
  return { allowed: true, from: version.state, to: rule.to };
}

/**
 * What the knowledge-file sync does with a changed file for a script in this status (review #15):
 * a retired script stays retired, the file change is skipped and reported.
 *
 * @example
 * syncDecision({ status: "retired" }); // → "skip-retired"
 */
export function syncDecision(item: { status: ItemStatus } | null): "create" | "publish" | "skip-retired" {
  if (!item) return "create";
  return item.status === "retired" ? "skip-retired" : "publish";
}
