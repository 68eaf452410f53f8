import type { EngineTrainingOptions } from "#domain/classifier/engine";
import type { GateSettings } from "#domain/classifier/registry";
import { NotFoundError } from "#domain/errors";
import type { JobName, JobQueue, JobView } from "#domain/jobs";
import type { KnowledgeBundle } from "#domain/knowledge/schema";
import { updateHotTopics } from "./analytics";
import type { ServiceDeps } from "./deps";
import { reembedAll } from "./reembed";
import { applyRetention } from "./retention";
import { trainCandidate } from "./train-candidate";

type JobDeps = Omit<ServiceDeps, "readiness" | "keys">;

/** What the job handlers need besides the service deps (wired by main.ts). */
export interface JobSettings {
  gate: GateSettings;
  training: Partial<EngineTrainingOptions>;
  retentionDays: number;
  bundle: KnowledgeBundle;
  /** Extra clean-up the retention job does (e.g. stale rate-limit buckets); returns rows removed. */
  prune?: (now: Date) => Promise<number>;
  onTrained?: (outcome: { version: string; status: string; reasons: string[] }) => void;
}

/**
 * Registers this replica as a worker of every job. On PostgreSQL every replica registers and
 * pg-boss hands each job to one of them; on the embedded database the one process runs them.
 *
 * @example
 * await registerJobHandlers({ deps, jobs: queue, settings });
 */
export async function registerJobHandlers({
  deps,
  jobs,
  settings,
}: {
  deps: JobDeps;
  jobs: JobQueue;
  settings: JobSettings;
}): Promise<void> {
  const train = async (job: {
    data: Record<string, unknown>;
    progress: (s: string, d: number, t: number) => unknown;
  }) => {
    // A first-model request queued by several replicas at start trains once.
    if (job.data.onlyIfNone === true && (await deps.models.promotedVersion()) !== null)
      return { skipped: "a model is already promoted" };
    const outcome = await trainCandidate({
      deps,
      gate: settings.gate,
      actor: { name: typeof job.data.actor === "string" ? job.data.actor : "system" },
      options: settings.training,
      onProgress: (stage, done, total) => void job.progress(stage, done, total),
    });
    settings.onTrained?.(outcome);
    return { version: outcome.version, status: outcome.status, reasons: outcome.reasons };
  };
  await jobs.work("train", train);
  // The schedule queues an ordinary training, so it never runs beside one an admin asked for.
  await jobs.work("retrain-scheduled", async () => ({
    queued: await jobs.enqueue("train", { actor: "schedule" }, { singletonKey: "train" }),
  }));
  await jobs.work("retention", async () => {
    const forgotten = await applyRetention({ deps, input: { days: settings.retentionDays } });
    const pruned = settings.prune ? await settings.prune(deps.clock.now()) : 0;
    return { forgotten, pruned };
  });
  // New requests join hot topics (incremental: only unplaced requests are compared). A scheduled
  // job rather than a timer per replica, so the update runs once across replicas and retries.
  await jobs.work("hot-topics", async (job) =>
    updateHotTopics({
      deps,
      // The total is unknown until the last batch: progress counts what is placed so far. Nothing
      // placed writes no progress row, so the minutely schedule does not fill job_progress.
      onProgress: (placed) => void job.progress("placing", placed, placed),
    }),
  );
  await jobs.work("reembed", async (job) =>
    reembedAll({
      deps,
      input: { bundle: settings.bundle },
      onProgress: (stage, done, total) => job.progress(stage, done, total),
    }),
  );
}

/**
 * Queues a training run (`POST /v1/models/train`): at most one waits at a time; a request while
 * one is waiting returns that one. Audited.
 *
 * @example
 * const { job } = await requestJob({ deps, input: { name: "train" }, actor: "admin" });
 */
export async function requestJob({
  deps,
  input,
  actor,
}: {
  deps: Pick<ServiceDeps, "jobs" | "audit" | "clock">;
  input: { name: Extract<JobName, "train" | "reembed">; reason?: string | undefined };
  actor: string;
}): Promise<{ job: JobView; queued: boolean }> {
  const id = await deps.jobs.enqueue(
    input.name,
    { actor, ...(input.reason ? { reason: input.reason } : {}) },
    { singletonKey: input.name },
  );
  const job = id
    ? await deps.jobs.get(id)
    : ((await deps.jobs.list({ limit: 50, name: input.name })).find(
        (candidate) => candidate.state === "created" || candidate.state === "retry",
      ) ?? null);
  if (!job) throw new NotFoundError(`the ${input.name} job could not be found after queueing it`);
  await deps.audit.append(
    {
      actor,
      action: `job.${input.name}`,
      entityType: "job",
      entityId: job.id,
      after: { queued: id !== null },
      ...(input.reason ? { reason: input.reason } : {}),
    },
    deps.clock.now(),
  );
  return { job, queued: id !== null };
}

/**
 * Background jobs, newest first, with state, retries, progress and result.
 *
 * @example
 * const jobs = await listJobs({ deps, input: { limit: 50 } });
 */
export async function listJobs({
  deps,
  input,
}: {
  deps: Pick<ServiceDeps, "jobs">;
  input: { limit: number; name?: JobName | undefined };
}): Promise<{ queue: JobQueue["kind"]; jobs: JobView[] }> {
  return {
    queue: deps.jobs.kind,
    jobs: await deps.jobs.list({ limit: input.limit, ...(input.name ? { name: input.name } : {}) }),
  };
}

export async function getJob({
  deps,
  input,
}: {
  deps: Pick<ServiceDeps, "jobs">;
  input: { id: string };
}): Promise<JobView> {
  const job = await deps.jobs.get(input.id);
  if (!job) throw new NotFoundError(`no job ${input.id}`);
  return job;
}
