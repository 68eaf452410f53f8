import type { ModelSummary } from "#domain/classifier/registry";
import { ConflictError, NotFoundError } from "#domain/errors";
import type { ServiceDeps } from "./deps";

type ModelDeps = Pick<ServiceDeps, "models" | "audit" | "clock">;

/**
 * Stored models, newest first, with their status, metrics, the gate's evaluation and reasons.
 *
 * @example
 * const { promoted, models } = await listModels({ deps, input: { limit: 20 } });
 */
export async function listModels({
  deps,
  input,
}: {
  deps: Pick<ServiceDeps, "models">;
  input: { limit: number };
}): Promise<{ promoted: string | null; models: ModelSummary[] }> {
  const [promoted, models] = await Promise.all([
    deps.models.promotedVersion(),
    deps.models.list(input.limit),
  ]);
  return { promoted, models };
}

/**
 * An admin promotes a stored version by hand (e.g. a refused candidate after review); the one
 * served before is retired. Every replica serves it within about a second. Audited.
 *
 * @example
 * await promoteModel({ deps, input: { version: "20261202T2100Z-1a2b3c4d", reason: "复核通过" }, actor: "admin" });
 */
export async function promoteModel({
  deps,
  input,
  actor,
}: {
  deps: ModelDeps;
  input: { version: string; reason?: string | undefined };
  actor: string;
}): Promise<ModelSummary> {
  const target = await deps.models.get(input.version);
  if (!target) throw new NotFoundError(`no model version ${input.version}`);
  if (target.status === "promoted") throw new ConflictError(`${input.version} is already promoted`);
  const now = deps.clock.now();
  const { previous } = await deps.models.promote(input.version, now, actor, {
    reason: `promoted by ${actor}${input.reason ? `: ${input.reason}` : ""}`,
  });
  await deps.audit.append(
    {
      actor,
      action: "model.promote",
      entityType: "model",
      entityId: input.version,
      before: { promoted: previous, status: target.status },
      after: { promoted: input.version },
      ...(input.reason ? { reason: input.reason } : {}),
    },
    now,
  );
  return (await deps.models.get(input.version)) as ModelSummary;
}

/**
 * Undoes the last promotion: the promoted version is retired as rolled back and the one promoted
 * before it is served again, on every replica. 409 when there is nothing to return to. Audited.
 *
 * @example
 * const { version, previous } = await rollbackModel({ deps, input: { reason: "误判增多" }, actor: "admin" });
 */
export async function rollbackModel({
  deps,
  input,
  actor,
}: {
  deps: ModelDeps;
  input: { reason?: string | undefined };
  actor: string;
}): Promise<{ version: string; rolledBack: string }> {
  const current = await deps.models.promotedVersion();
  if (!current) throw new ConflictError("no promoted model to roll back");
  const previous = await deps.models.previousPromoted();
  if (!previous) throw new ConflictError(`no earlier promoted model to return to from ${current}`);
  const now = deps.clock.now();
  await deps.models.promote(previous, now, actor, {
    rollingBack: true,
    reason: `restored by rollback from ${current} (${actor})${input.reason ? `: ${input.reason}` : ""}`,
  });
  await deps.audit.append(
    {
      actor,
      action: "model.rollback",
      entityType: "model",
      entityId: previous,
      before: { promoted: current },
      after: { promoted: previous },
      ...(input.reason ? { reason: input.reason } : {}),
    },
    now,
  );
  return { version: previous, rolledBack: current };
}
