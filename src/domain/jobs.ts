/**
 * Background work (issue #16 item 2) behind one port: pg-boss on PostgreSQL, an in-process queue
 * on the embedded database. Handlers live in `src/services/jobs.ts`.
 */

/** The jobs the service runs. */
export const JOB_NAMES = ["train", "reembed", "retention", "retrain-scheduled", "hot-topics"] as const;
export type JobName = (typeof JOB_NAMES)[number];

export const JOB_STATES = ["created", "retry", "active", "completed", "cancelled", "failed"] as const;
export type JobState = (typeof JOB_STATES)[number];

/** What a handler reports while it runs. */
export type ReportProgress = (stage: string, done: number, total: number) => Promise<void> | void;

export interface JobContext<T> {
  id: string;
  data: T;
  /** 0 on the first attempt. */
  retryCount: number;
  progress: ReportProgress;
}

export type JobHandler<T = Record<string, unknown>> = (job: JobContext<T>) => Promise<unknown>;

/** A job as `GET /v1/jobs` shows it. */
export interface JobView {
  id: string;
  name: JobName;
  state: JobState;
  data: Record<string, unknown>;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  retryCount: number;
  retryLimit: number;
  /** What the handler returned (completed) or the error (failed/retry). */
  output: unknown;
  progress: { stage: string; done: number; total: number; worker: string; updatedAt: string } | null;
}

export interface EnqueueOptions {
  /** At most one queued job per key (e.g. one training waiting at a time). */
  singletonKey?: string;
}

export interface JobQueue {
  /** "pg-boss" (PostgreSQL: jobs shared by every replica) or "in-process" (embedded database). */
  readonly kind: "pg-boss" | "in-process";
  /** Queues a job; null when an equal singleton job is already waiting. */
  enqueue(name: JobName, data: Record<string, unknown>, options?: EnqueueOptions): Promise<string | null>;
  /** Runs `handler` for jobs of `name` on this process (one at a time). */
  work<T extends Record<string, unknown>>(name: JobName, handler: JobHandler<T>): Promise<void>;
  /** Enqueues `name` on a cron schedule (once across replicas). */
  schedule(name: JobName, cron: string, data?: Record<string, unknown>): Promise<void>;
  /** Newest first. */
  list(options: { limit: number; name?: JobName }): Promise<JobView[]>;
  get(id: string): Promise<JobView | null>;
  /** Stops taking jobs; waits for running handlers up to `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}
