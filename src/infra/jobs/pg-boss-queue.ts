import type { JobWithMetadata } from "pg-boss";
import { PgBoss } from "pg-boss";
import { JOB_NAMES, type JobName, type JobQueue, type JobState, type JobView } from "#domain/jobs";
import type { ProgressStore } from "./progress";

/**
 * Retries and liveness of every queue. A job whose worker stops sending heartbeats (the process
 * died mid-training) is failed by the supervisor of any replica after `heartbeatSeconds` and
 * retried with exponential backoff by whichever replica fetches it next.
 */
export const QUEUE_POLICY = {
  retryLimit: 3,
  retryDelay: 5,
  retryBackoff: true,
  retryDelayMax: 300,
  heartbeatSeconds: 10,
  expireInSeconds: 3 * 3600,
} as const;

type PgBossJob = JobWithMetadata<Record<string, unknown>>;

function toView(job: PgBossJob, progress: JobView["progress"]): JobView {
  return {
    id: job.id,
    name: job.name as JobName,
    state: job.state as JobState,
    data: job.data ?? {},
    createdAt: job.createdOn.toISOString(),
    startedAt: job.startedOn ? new Date(job.startedOn).toISOString() : null,
    completedAt: job.completedOn ? job.completedOn.toISOString() : null,
    retryCount: job.retryCount,
    retryLimit: job.retryLimit,
    output: job.output ?? null,
    progress,
  };
}

/**
 * Jobs on PostgreSQL through pg-boss 12 (its own `pgboss` schema, installed on first start): each
 * job runs on one replica at a time (SKIP LOCKED), a singleton key keeps at most one equal job
 * queued, cron schedules fire once across replicas, failed or abandoned jobs retry with backoff.
 *
 * @example
 * const queue = await createPgBossQueue({ url: config.DATABASE_URL, progress });
 * await queue.enqueue("train", { actor: "admin" }, { singletonKey: "train" });
 */
export async function createPgBossQueue(options: {
  url: string;
  progress: ProgressStore;
  onError?: (error: unknown) => void;
  /** Seconds between supervisor passes (expired heartbeats are found on these). */
  superviseIntervalSeconds?: number;
}): Promise<JobQueue> {
  const boss = new PgBoss({
    connectionString: options.url,
    max: 4,
    superviseIntervalSeconds: options.superviseIntervalSeconds ?? 10,
    application_name: "hotline-jobs",
  });
  boss.on("error", (error) => options.onError?.(error));
  await boss.start();
  for (const name of JOB_NAMES) {
    // `stately`: at most one queued and one active job per singleton key (e.g. one training).
    if (!(await boss.getQueue(name))) {
      await boss.createQueue(name, { policy: "stately", ...QUEUE_POLICY }).catch(async (error: unknown) => {
        // Another replica created it in between.
        if (!(await boss.getQueue(name))) throw error;
      });
    }
  }
  const { progress } = options;
  const find = async (name: JobName, id?: string) =>
    (await boss.findJobs<Record<string, unknown>>(name, id ? { id } : {})) as PgBossJob[];

  return {
    kind: "pg-boss",
    async enqueue(name, data, enqueueOptions = {}) {
      return boss.send(name, data, {
        ...(enqueueOptions.singletonKey ? { singletonKey: enqueueOptions.singletonKey } : {}),
      });
    },
    async work(name, handler) {
      await boss.work<Record<string, unknown>>(
        name,
        { includeMetadata: true, batchSize: 1, pollingIntervalSeconds: 2 },
        async ([job]) => {
          if (!job) return null;
          return handler({
            id: job.id,
            data: job.data as never,
            retryCount: job.retryCount,
            progress: (stage, done, total) =>
              progress.report(job.id, name, stage, done, total).catch(() => {}),
          });
        },
      );
    },
    async schedule(name, cron, data = {}) {
      await boss.schedule(name, cron, data, { tz: "Asia/Shanghai", singletonKey: `scheduled-${name}` });
    },
    async list({ limit, name }) {
      const names = name ? [name] : JOB_NAMES;
      const jobs = (await Promise.all(names.map((queue) => find(queue))))
        .flat()
        .sort((a, b) => b.createdOn.getTime() - a.createdOn.getTime())
        .slice(0, limit);
      const progressOf = await progress.of(jobs.map((job) => job.id));
      return jobs.map((job) => toView(job, progressOf.get(job.id) ?? null));
    },
    async get(id) {
      for (const name of JOB_NAMES) {
        const [job] = await find(name, id).catch(() => []);
        if (job) return toView(job, (await progress.of([id])).get(id) ?? null);
      }
      return null;
    },
    async stop(graceMs = 10_000) {
      await boss.stop({ graceful: true, timeout: graceMs });
    },
  };
}
