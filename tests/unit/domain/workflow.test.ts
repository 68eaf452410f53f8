import { describe, expect, it } from "vitest";
import { personIdentity, ROLES, type Role, samePerson } from "#domain/access";
import type { ItemStatus, VersionState } from "#domain/knowledge/repository";
import {
  decideTransition,
  ITEM_STATUSES,
  syncDecision,
  VERSION_STATES,
  WORKFLOW_ACTIONS,
  type WorkflowAction,
  type WorkflowDecision,
  type WorkflowSubject,
} from "#domain/knowledge/workflow";

/** What a decision says, in one word: the state it moves to ("→x"), or why it refuses. */
function outcome(decision: WorkflowDecision): string {
  return decision.allowed ? `→${decision.to ?? "-"}` : decision.reason;
}

const reviewer = { role: "reviewer", person: "li-na" } as const;
const editor = { role: "editor", person: "wang-fang" } as const;
/** The role each action needs, held by someone who did not write the version. */
const ACTOR: Record<WorkflowAction, { role: Role; person: string }> = {
  save: editor,
  submit: editor,
  approve: reviewer,
  reject: reviewer,
  publish: reviewer,
  rollback: reviewer,
  retire: reviewer,
};

/** A live script (published v1) and its version 2 in `state`, written by zhang-wei through the API. */
const subject = (
  state: VersionState,
  overrides: Partial<NonNullable<WorkflowSubject["version"]>> = {},
  item: WorkflowSubject["item"] = { status: "published", publishedVersion: 1 },
): WorkflowSubject => ({
  item,
  version: { version: 2, state, authorPerson: "zhang-wei", source: "api", ...overrides },
});

/**
 * The whole table: every action on a version in every state (item live, right role, another
 * person). Written out by hand, not derived from the rules, so a change to the rules shows here.
 */
const EXPECTED: Record<WorkflowAction, Record<VersionState, string>> = {
  save: {
    draft: "→pending_review",
    pending_review: "→pending_review",
    approved: "→pending_review",
    rejected: "→pending_review",
    published: "→pending_review",
    superseded: "→pending_review",
  },
  submit: {
    draft: "→pending_review",
    pending_review: "state",
    approved: "state",
    rejected: "state",
    published: "state",
    superseded: "state",
  },
  approve: {
    draft: "state",
    pending_review: "→approved",
    approved: "state",
    rejected: "state",
    published: "state",
    superseded: "state",
  },
  reject: {
    draft: "state",
    pending_review: "→rejected",
    approved: "state",
    rejected: "state",
    published: "state",
    superseded: "state",
  },
  publish: {
    draft: "state",
    pending_review: "state",
    approved: "→published",
    rejected: "state",
    published: "state",
    superseded: "state",
  },
  rollback: {
    draft: "not-restorable",
    pending_review: "not-restorable",
    approved: "→published",
    rejected: "not-restorable",
    published: "→published",
    superseded: "→published",
  },
  retire: {
    draft: "→-",
    pending_review: "→-",
    approved: "→-",
    rejected: "→-",
    published: "→-",
    superseded: "→-",
  },
};

describe("decideTransition: every state × action", () => {
  const cases = WORKFLOW_ACTIONS.flatMap((action) => VERSION_STATES.map((state) => [action, state] as const));

  it("covers the whole table", () => {
    expect(cases).toHaveLength(WORKFLOW_ACTIONS.length * VERSION_STATES.length);
    for (const [action, state] of cases)
      expect(EXPECTED[action][state], `${action} × ${state}`).toBeDefined();
  });

  it.each(cases)("%s on a %s version", (action, state) => {
    expect(outcome(decideTransition(action, ACTOR[action], subject(state)))).toBe(EXPECTED[action][state]);
  });
});

describe("decideTransition: preconditions", () => {
  it.each(WORKFLOW_ACTIONS)("a retired script refuses %s (review #6)", (action) => {
    for (const state of VERSION_STATES) {
      const retired = subject(state, {}, { status: "retired", publishedVersion: 1 });
      expect(outcome(decideTransition(action, ACTOR[action], retired)), state).toBe("retired");
    }
  });

  it.each(WORKFLOW_ACTIONS)("who may %s: the rule's role or an admin, nobody else", (action) => {
    const allowed: Record<WorkflowAction, Role[]> = {
      save: ["editor", "admin"],
      submit: ["editor", "admin"],
      approve: ["reviewer", "admin"],
      reject: ["reviewer", "admin"],
      publish: ["reviewer", "admin"],
      rollback: ["reviewer", "admin"],
      retire: ["reviewer", "admin"],
    };
    const state: VersionState =
      action === "submit"
        ? "draft"
        : action === "publish"
          ? "approved"
          : action === "rollback"
            ? "superseded"
            : "pending_review";
    for (const role of ROLES) {
      const result = outcome(decideTransition(action, { role, person: "someone-else" }, subject(state)));
      if (allowed[action].includes(role)) expect(result, role).toMatch(/^→/);
      else expect(result, role).toBe("role");
    }
  });

  it("the two-person rule compares persons: the author cannot approve or reject, whatever the spelling", () => {
    for (const action of ["approve", "reject"] as const) {
      for (const person of ["zhang-wei", "ZHANG-WEI", " ｚｈａｎｇ-ｗｅｉ "]) {
        const result = decideTransition(action, { role: "reviewer", person }, subject("pending_review"));
        expect(outcome(result), `${action} by ${person}`).toBe("own-version");
      }
      // An admin is a person too: holding the admin role does not lift the rule.
      expect(
        outcome(decideTransition(action, { role: "admin", person: "zhang-wei" }, subject("pending_review"))),
      ).toBe("own-version");
    }
    // Submitting your own draft, publishing or restoring your own earlier wording is not a review.
    const author = { role: "admin", person: "zhang-wei" } as const;
    expect(outcome(decideTransition("submit", author, subject("draft")))).toBe("→pending_review");
    expect(outcome(decideTransition("publish", author, subject("approved")))).toBe("→published");
    expect(outcome(decideTransition("rollback", author, subject("superseded")))).toBe("→published");
  });

  it("rollback restores file versions in any state, never the live version (review #3)", () => {
    for (const state of VERSION_STATES) {
      expect(outcome(decideTransition("rollback", reviewer, subject(state, { source: "file" }))), state).toBe(
        "→published",
      );
    }
    const live = subject("published", { version: 1 });
    expect(outcome(decideTransition("rollback", reviewer, live))).toBe("already-live");
  });

  it("publish refuses a version older than the published one", () => {
    const newer = subject("approved", {}, { status: "published", publishedVersion: 3 });
    expect(outcome(decideTransition("publish", reviewer, newer))).toBe("older-than-published");
  });

  it("only saving can start a script; every other action needs one, and one of its versions", () => {
    for (const action of WORKFLOW_ACTIONS) {
      const result = outcome(decideTransition(action, ACTOR[action], { item: null }));
      expect(result, action).toBe(action === "save" ? "→pending_review" : "missing");
    }
    const noVersion = { item: { status: "published" as ItemStatus, publishedVersion: 1 } };
    for (const action of ["submit", "approve", "reject", "publish", "rollback"] as const) {
      expect(outcome(decideTransition(action, ACTOR[action], noVersion)), action).toBe("missing");
    }
  });

  it("a draft script (never published) can be worked on like a live one", () => {
    const draftItem = { status: "draft" as ItemStatus, publishedVersion: null };
    expect(outcome(decideTransition("approve", reviewer, subject("pending_review", {}, draftItem)))).toBe(
      "→approved",
    );
    expect(outcome(decideTransition("publish", reviewer, subject("approved", {}, draftItem)))).toBe(
      "→published",
    );
    expect(outcome(decideTransition("retire", reviewer, { item: draftItem }))).toBe("→-");
  });
});

describe("syncDecision (review #15)", () => {
  it.each([...ITEM_STATUSES, null] as const)("a changed file for a script that is %s", (status) => {
    const expected = {
      draft: "publish",
      published: "publish",
      retired: "skip-retired",
      null: "create",
    } as const;
    expect(syncDecision(status === null ? null : { status })).toBe(
      expected[String(status) as keyof typeof expected],
    );
  });
});

describe("personIdentity (review #12)", () => {
  it.each([
    ["Mallory", "mallory"],
    [" ｍａｌｌｏｒｙ ", "mallory"],
    ["MALLORY", "mallory"],
    ["Mal  lory", "mal lory"],
    ["Straße", "strasse"],
    ["张伟", "张伟"],
    ["Zhang Wei\u3000", "zhang wei"],
  ])("%j → %j", (raw, expected) => {
    expect(personIdentity(raw)).toBe(expected);
  });

  it("is idempotent and tells different people apart", () => {
    for (const raw of ["Mallory", "ｍａｌｌｏｒｙ", "zhangwei-rsj", "Straße"]) {
      expect(personIdentity(personIdentity(raw))).toBe(personIdentity(raw));
    }
    expect(samePerson("zhangwei-rsj", "zhangwei-gaj")).toBe(false);
    expect(samePerson("Mallory", "ｍａｌｌｏｒｙ")).toBe(true);
  });
});
