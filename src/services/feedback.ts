import type { Principal } from "#domain/access";
import { NotFoundError, ValidationError } from "#domain/errors";
import {
  type DispatchEventInput,
  DispatchEventSchema,
  type FeedbackInput,
  FeedbackInputSchema,
} from "#domain/requests";
import { maskPersonalData } from "#domain/text/pii";
import type { ServiceDeps } from "./deps";
import { importCases } from "./import-cases";
import type { Suggestion } from "./suggest";

type FeedbackDeps = Pick<
  ServiceDeps,
  "suggestions" | "cases" | "embedder" | "transact" | "clock" | "suggest" | "audit"
>;

/**
 * Stores the agent's confirmation or correction of a suggestion and turns it into a labelled case
 * (source "feedback"), so the next training learns from it. Labels the agent did not correct are
 * taken from the suggestion as confirmed.
 */
export async function recordFeedback({
  deps,
  input,
  actor,
}: {
  deps: FeedbackDeps;
  input: { suggestionId: string } & FeedbackInput;
  actor: Pick<Principal, "name">;
}): Promise<{ suggestionId: string; caseId: string | null }> {
  const { suggestionId, ...rest } = input;
  const feedback = FeedbackInputSchema.parse(rest);
  const stored = await deps.suggestions.get(suggestionId);
  if (!stored) throw new NotFoundError(`suggestion ${suggestionId} does not exist`);
  const suggested = stored.result as Suggestion;
  for (const code of feedback.finalDepartments ?? []) {
    if (!deps.suggest.departmentNames.has(code)) throw new ValidationError(`unknown department code ${code}`);
  }
  const now = deps.clock.now();
  await deps.suggestions.setFeedback(suggestionId, feedback, now);
  let caseId: string | null = null;
  if (stored.text) {
    caseId = `feedback-${suggestionId}`;
    await importCases({
      deps,
      input: {
        source: "feedback",
        rows: [
          {
            id: caseId,
            text: stored.text,
            category: feedback.finalCategory ?? suggested.category[0]?.path,
            department:
              feedback.finalDepartments ??
              suggested.departments.map((department) => department.code).slice(0, 1),
            type: feedback.finalType ?? suggested.type[0]?.label,
            urgent: suggested.urgent.flag,
            marketEntity: suggested.marketEntity.flag,
            receivedAt: stored.createdAt,
          },
        ],
      },
      actor,
    });
  }
  await deps.audit.append(
    {
      actor: actor.name,
      action: "suggestion.feedback",
      entityType: "suggestion",
      entityId: suggestionId,
      before: {
        category: suggested.category[0]?.path ?? null,
        departments: suggested.departments.map((department) => department.code),
        type: suggested.type[0]?.label ?? null,
      },
      after: { ...feedback, caseId },
    },
    now,
  );
  return { suggestionId, caseId };
}

/**
 * Records a 退单 (returned) or 改派 (reassigned) dispatch. A reassignment of a suggested request
 * also corrects that request's labelled case, so training learns the right department.
 */
export async function recordDispatchEvent({
  deps,
  input,
  actor,
}: {
  deps: FeedbackDeps;
  input: DispatchEventInput;
  actor: Pick<Principal, "name">;
}): Promise<{ id: number }> {
  const event = DispatchEventSchema.parse(input);
  for (const code of [event.fromDepartment, event.toDepartment].filter((code): code is string =>
    Boolean(code),
  )) {
    if (!deps.suggest.departmentNames.has(code)) throw new ValidationError(`unknown department code ${code}`);
  }
  if (event.kind === "reassigned" && !event.toDepartment)
    throw new ValidationError("a reassignment needs toDepartment");
  // Checked before anything is written: a 404 from the feedback step below would leave the event
  // stored (review #10; the fuzz suite found it). A transaction around the whole verb is the full fix.
  if (event.kind === "reassigned" && event.suggestionId && !(await deps.suggestions.get(event.suggestionId)))
    throw new NotFoundError(`suggestion ${event.suggestionId} does not exist`);
  // Free text is masked before it is stored and audited: the audit log can never be erased (review #2).
  const reason = maskPersonalData(event.reason);
  const created = await deps.suggestions.insertDispatchEvent({
    suggestionId: event.suggestionId ?? null,
    caseId: event.caseId ?? null,
    kind: event.kind,
    fromDepartment: event.fromDepartment,
    toDepartment: event.toDepartment ?? null,
    reason,
    actor: actor.name,
  });
  if (event.kind === "reassigned" && event.suggestionId && event.toDepartment) {
    await recordFeedback({
      deps,
      input: {
        suggestionId: event.suggestionId,
        finalDepartments: [event.toDepartment],
        agentId: actor.name,
      },
      actor,
    });
  }
  await deps.audit.append(
    {
      actor: actor.name,
      action: `dispatch.${event.kind}`,
      entityType: "dispatch",
      entityId: String(created.id),
      after: { ...event, reason },
    },
    deps.clock.now(),
  );
  return created;
}
