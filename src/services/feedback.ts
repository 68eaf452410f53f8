import type { z } from "zod";
import type { Principal } from "#domain/access";
import { isTaxonomyPath, type SuggestionRecord } from "#domain/cases";
import { ForbiddenError, NotFoundError, ValidationError } from "#domain/errors";
import type { Repositories } from "#domain/repositories";
import {
  type DispatchEventInput,
  DispatchEventSchema,
  type FeedbackInput,
  FeedbackInputSchema,
} from "#domain/requests";
import { maskPersonalData } from "#domain/text/pii";
import { explicitFeedback } from "#domain/work-orders";
import type { ServiceDeps } from "./deps";
import { type PreparedCases, prepareCases, storeCases } from "./import-cases";
import type { Suggestion } from "./suggest";
import { prepareOrderRelabel } from "./work-orders";

type FeedbackDeps = Pick<
  ServiceDeps,
  "suggestions" | "cases" | "embedder" | "transact" | "clock" | "suggest" | "workOrders"
>;
type Actor = Pick<Principal, "name" | "keyId" | "role">;

/**
 * Whether `actor` is the key that asked for the suggestion. Rows stored before the key id was
 * recorded fall back to the key's name.
 *
 * @example
 * ownsSuggestion({ actor: "agent1", actorKeyId: 7 }, { keyId: 7, name: "agent1" }); // true
 */
export function ownsSuggestion(
  stored: Pick<SuggestionRecord, "actor" | "actorKeyId">,
  actor: Pick<Principal, "name" | "keyId">,
): boolean {
  return stored.actorKeyId === null ? stored.actor === actor.name : stored.actorKeyId === actor.keyId;
}

function checkLabels(
  deps: Pick<FeedbackDeps, "suggest">,
  labels: { finalCategory?: string[] | undefined; finalDepartments?: string[] | undefined },
): void {
  if (labels.finalCategory && !isTaxonomyPath(deps.suggest.categoryPaths, labels.finalCategory))
    throw new ValidationError(`finalCategory ${labels.finalCategory.join("/")} is not in the taxonomy`);
  for (const code of labels.finalDepartments ?? []) {
    if (!deps.suggest.departmentNames.has(code)) throw new ValidationError(`unknown department code ${code}`);
  }
}

/** The suggestion, if it exists and `actor` may label it; otherwise the same 404 either way. */
async function labelableSuggestion(
  deps: Pick<FeedbackDeps, "suggestions">,
  suggestionId: string,
  actor: Actor,
  supervisorMayLabel: boolean,
): Promise<SuggestionRecord> {
  const stored = await deps.suggestions.get(suggestionId);
  const supervisor = supervisorMayLabel && (actor.role === "reviewer" || actor.role === "admin");
  // Another agent's suggestion is reported as missing: its existence is not theirs to learn.
  if (!stored || !(ownsSuggestion(stored, actor) || supervisor))
    throw new NotFoundError(`suggestion ${suggestionId} does not exist`);
  return stored;
}

interface FeedbackPlan {
  suggestionId: string;
  feedback: Record<string, unknown>;
  before: Record<string, unknown>;
  caseId: string | null;
  prepared: PreparedCases | null;
}

/** Everything slow (embedding the case) happens here, before the transaction. */
async function planFeedback(
  deps: FeedbackDeps,
  stored: SuggestionRecord,
  feedback: z.output<typeof FeedbackInputSchema>,
  actor: Actor,
): Promise<FeedbackPlan> {
  const suggested = stored.result as Suggestion;
  const { agentId: _claimed, ...labels } = feedback;
  // Only what the agent set or confirmed is a label (#15): an untouched preselection is the model's
  // own guess, and so are urgency and the 2135 flag, which the agent does not confirm here.
  const explicit = explicitFeedback(labels) ?? {};
  const caseId = stored.text ? `feedback-${stored.id}` : null;
  const prepared = stored.text
    ? await prepareCases({
        deps,
        input: {
          source: "feedback",
          rows: [
            {
              id: caseId,
              text: stored.text,
              category: explicit.category,
              department: explicit.departments,
              type: explicit.type,
              receivedAt: stored.createdAt,
            },
          ],
        },
      })
    : null;
  return {
    suggestionId: stored.id,
    // The agent is who authenticated, never what the body claims (review #11).
    feedback: { ...labels, agentId: actor.name, agentKeyId: actor.keyId },
    before: {
      category: suggested.category[0]?.path ?? null,
      departments: suggested.departments.map((department) => department.code),
      type: suggested.type[0]?.label ?? null,
    },
    caseId,
    prepared,
  };
}

async function writeFeedback(
  repositories: Repositories,
  plan: FeedbackPlan,
  actor: Actor,
  at: Date,
): Promise<void> {
  await repositories.suggestions.setFeedback(plan.suggestionId, plan.feedback, at);
  if (plan.prepared) await storeCases(repositories, plan.prepared, actor, at);
  await repositories.audit.append(
    {
      actor: actor.name,
      action: "suggestion.feedback",
      entityType: "suggestion",
      entityId: plan.suggestionId,
      before: plan.before,
      after: { ...plan.feedback, caseId: plan.caseId },
    },
    at,
  );
}

/**
 * Stores the agent's confirmation or correction of a suggestion and turns it into a labelled case
 * (source "feedback"), so the next training learns from it. Only the fields the agent set or
 * confirmed (`confirmed`, or the final values sent) are labels: an untouched preselection is not a
 * confirmation, and urgency and the 2135 flag are never copied from the model's guess. Only the key that asked for the suggestion may label it
 * (others get 404); labels must exist in the taxonomy and the catalogue, and accepted/dismissed
 * scripts must be among those the suggestion showed (422). The feedback, its
 * case and the audit entry are written in one transaction: a refused request leaves nothing.
 *
 * @example
 * await recordFeedback({ deps, input: { suggestionId, finalDepartments: ["zjj"] }, actor: principal });
 */
export async function recordFeedback({
  deps,
  input,
  actor,
}: {
  deps: FeedbackDeps;
  input: { suggestionId: string } & FeedbackInput;
  actor: Actor;
}): Promise<{ suggestionId: string; caseId: string | null }> {
  const { suggestionId, ...rest } = input;
  const feedback = FeedbackInputSchema.parse(rest);
  if (feedback.agentId !== undefined && feedback.agentId !== actor.name)
    throw new ForbiddenError("agentId must be the caller's own key name (or be left out)");
  checkLabels(deps, feedback);
  const stored = await labelableSuggestion(deps, suggestionId, actor, false);
  // Script marks refer to the scripts this suggestion showed; anything else is not feedback on it.
  const shown = new Set((stored.result as Suggestion).scripts.map((script) => script.id));
  for (const id of [...feedback.acceptedScriptIds, ...feedback.dismissedScriptIds]) {
    if (!shown.has(id)) throw new ValidationError(`script ${id} was not among this suggestion's scripts`);
  }
  // 并单 merges with a request the suggestion offered, not with any id the body names.
  const offered = new Set(((stored.result as Suggestion).possibleDuplicates ?? []).map((match) => match.id));
  for (const id of feedback.mergedWith ?? []) {
    if (!offered.has(id))
      throw new ValidationError(`${id} was not among this suggestion's possible duplicates`);
  }
  const plan = await planFeedback(deps, stored, feedback, actor);
  // When the platform already reported this call's work order, its case takes the feedback (#15).
  const relabelOrder = await prepareOrderRelabel({ deps, input: { suggestionId } });
  await deps.transact(async (repositories) => {
    await writeFeedback(repositories, plan, actor, deps.clock.now());
    // A request merged into an earlier one is handled there: later calls are pointed at that one.
    if ((feedback.mergedWith ?? []).length > 0)
      await repositories.analytics.markClosed(`suggestion:${suggestionId}`, deps.clock.now());
    await relabelOrder?.write(repositories);
  });
  return { suggestionId, caseId: relabelOrder?.caseId ?? plan.caseId };
}

/**
 * Records a 退单 (returned) or 改派 (reassigned) dispatch. A reassignment of a suggested request
 * also corrects that request's labelled case, so training learns the right department. Who may
 * refer to a suggestion: the agent key that asked for it, or a reviewer/admin (the supervisors
 * who handle dispatch disputes); to anyone else it does not exist (404). The reason is masked;
 * the event, the relabelling and the audit entries are written in one transaction.
 *
 * @example
 * await recordDispatchEvent({ deps, input: { kind: "returned", fromDepartment: "xfj", reason: "非本部门职责" }, actor });
 */
export async function recordDispatchEvent({
  deps,
  input,
  actor,
}: {
  deps: FeedbackDeps;
  input: DispatchEventInput;
  actor: Actor;
}): Promise<{ id: number }> {
  const event = DispatchEventSchema.parse(input);
  for (const code of [event.fromDepartment, event.toDepartment].filter((code): code is string =>
    Boolean(code),
  )) {
    if (!deps.suggest.departmentNames.has(code)) throw new ValidationError(`unknown department code ${code}`);
  }
  if (event.kind === "reassigned" && !event.toDepartment)
    throw new ValidationError("a reassignment needs toDepartment");
  const stored = event.suggestionId ? await labelableSuggestion(deps, event.suggestionId, actor, true) : null;
  // The case is relabelled with the new department and the agent's explicit category and type; an
  // earlier feedback record is kept inside the new one (#15: a 改派 after a correction keeps both).
  const earlier = explicitFeedback(stored?.feedback);
  const planned =
    stored && event.kind === "reassigned" && event.toDepartment
      ? await planFeedback(
          deps,
          stored,
          FeedbackInputSchema.parse({
            finalDepartments: [event.toDepartment],
            ...(earlier?.category ? { finalCategory: earlier.category } : {}),
            ...(earlier?.type ? { finalType: earlier.type } : {}),
          }),
          actor,
        )
      : null;
  const plan =
    planned && stored?.feedback
      ? { ...planned, feedback: { ...planned.feedback, earlierFeedback: stored.feedback } }
      : planned;
  // Free text is masked before it is stored (review #2), and it stays out of the audit log, which
  // can never be erased: the event row holds it until retention empties it.
  const reason = maskPersonalData(event.reason);
  return deps.transact(async (repositories) => {
    const now = deps.clock.now();
    const created = await repositories.suggestions.insertDispatchEvent({
      suggestionId: event.suggestionId ?? null,
      caseId: event.caseId ?? null,
      kind: event.kind,
      fromDepartment: event.fromDepartment,
      toDepartment: event.toDepartment ?? null,
      reason,
      actor: actor.name,
      at: now,
    });
    if (plan) await writeFeedback(repositories, plan, actor, now);
    const { reason: _reason, ...withoutReason } = event;
    await repositories.audit.append(
      {
        actor: actor.name,
        action: `dispatch.${event.kind}`,
        entityType: "dispatch",
        entityId: String(created.id),
        after: withoutReason,
      },
      now,
    );
    return created;
  });
}
