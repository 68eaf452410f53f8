import { randomUUID } from "node:crypto";
import type { JobHandler, JobName, JobQueue, JobView } from "#domain/jobs";
import { WORKER_ID } from "./progress";

/** Retries on the embedded database: 3, after 5 s, 10 s, 20 s (as the pg-boss queues). */
const RETRY = { limit: 3, delayMs: 5000 } as const;
/** Finished jobs kept for `GET /v1/jobs`. */
const KEEP_FINISHED = 200;

/** One field of a 5-field cron expression: `*`, `*\/n`, `a`, `a-b`, lists of those. */
function fieldMatches(field: string, value: number): boolean {
  return field.split(",").some((part) => {
    const [range = "*", stepText] = part.split("/");
    const step = stepText ? Number(stepText) : 1;
    if (range === "*") return value % step === 0;
    const [from, to] = range.split("-").map(Number);
    if (from === undefined || Number.isNaN(from)) return false;
    const upper = to ?? (stepText ? Number.POSITIVE_INFINITY : from);
    return value >= from && value <= upper && (value - from) % step === 0;
  });
}

/**
 * The next minute after `after` matching a 5-field cron expression (minute hour day month weekday),
 * in the process's time zone.
 *
 * @example
 * nextCronTime("0 3 * * 0", new Date("2026-12-02T10:00:00")); // Sunday 03:00
 */
export function nextCronTime(cron: string, after: Date): Date {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`cron "${cron}" needs 5 fields (minute hour day month weekday)`);
  const [minute = "*", hour = "*", day = "*", month = "*", weekday = "*"] = fields;
  const at = new Date(after);
  at.setSeconds(0, 0);
  for (let i = 0; i < 60 * 24 * 366; i += 1) {
    at.setMinutes(at.getMinutes() + 1);
    if (
      fieldMatches(minute, at.getMinutes()) &&
      fieldMatches(hour, at.getHours()) &&
      fieldMatches(day, at.getDate()) &&
      fieldMatches(month, at.getMonth() + 1) &&
      fieldMatches(weekday, at.getDay())
    )
      return at;
  }
  throw new Error(`cron "${cron}" never fires`);
}

interface Entry {
  view: JobView;
  singletonKey?: string;
}

/**
 * Jobs on the embedded database (PGlite has one connection in one process, so pg-boss, which
 * needs a server, cannot run there): a queue per job name in memory, one job at a time per name,
 * retries with backoff, progress in memory. Jobs queued when the process stops are lost; the
 * server queues what it needs again at its next start (first training, retention).
 *
 * @example
 * const queue = createInProcessQueue();
 * await queue.work("retention", async () => ({ forgotten: 0 }));
 * await queue.enqueue("retention", {});
 */
export function createInProcessQueue(
  options: { retryDelayMs?: number; onError?: (error: unknown) => void } = {},
): JobQueue {
  const retryDelayMs = options.retryDelayMs ?? RETRY.delayMs;
  const jobs: Entry[] = [];
  const handlers = new Map<JobName, JobHandler<Record<string, unknown>>>();
  const running = new Set<JobName>();
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  let stopped = false;

  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timer.unref();
    timers.add(timer);
  };

  const pump = (name: JobName) => {
    if (stopped || running.has(name)) return;
    const handler = handlers.get(name);
    const now = Date.now();
    const waiting = jobs.filter(
      (entry) => entry.view.name === name && (entry.view.state === "created" || entry.view.state === "retry"),
    );
    const startOf = (entry: Entry) => Date.parse(entry.view.data.__startAfter as string);
    const next = waiting.find((entry) => startOf(entry) <= now);
    if (handler && !next && waiting.length > 0) {
      // A timer may fire a millisecond before the wall clock reaches a retry's start: look again
      // then, or the job would wait in "retry" until some other job of its name comes.
      const soonest = Math.min(...waiting.map(startOf));
      later(Math.max(1, soonest - now), () => pump(name));
    }
    if (!handler || !next) return;
    running.add(name);
    const job = next.view;
    job.state = "active";
    job.startedAt = new Date().toISOString();
    const run = (async () => {
      try {
        const { __startAfter: _ignored, ...data } = job.data;
        job.output = await handler({
          id: job.id,
          data,
          retryCount: job.retryCount,
          progress: (stage, done, total) => {
            job.progress = { stage, done, total, worker: WORKER_ID, updatedAt: new Date().toISOString() };
          },
        });
        job.state = "completed";
      } catch (error) {
        options.onError?.(error);
        job.output = { message: error instanceof Error ? error.message : String(error) };
        if (job.retryCount < RETRY.limit && !stopped) {
          job.retryCount += 1;
          job.state = "retry";
          const delay = retryDelayMs * 2 ** (job.retryCount - 1);
          job.data.__startAfter = new Date(Date.now() + delay).toISOString();
          later(delay, () => pump(name));
        } else job.state = "failed";
      } finally {
        if (job.state === "completed" || job.state === "failed") job.completedAt = new Date().toISOString();
        running.delete(name);
        const finished = jobs.filter((entry) => ["completed", "failed"].includes(entry.view.state));
        for (const old of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED)))
          jobs.splice(jobs.indexOf(old), 1);
        pump(name);
      }
    })();
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run));
  };

  const visible = (view: JobView): JobView => {
    const { __startAfter: _ignored, ...data } = view.data;
    return { ...view, data };
  };

  return {
    kind: "in-process",
    async enqueue(name, data, enqueueOptions = {}) {
      // As pg-boss's `stately` queues: at most one job per name and key waits at a time.
      const key = enqueueOptions.singletonKey;
      if (
        jobs.some(
          (entry) =>
            entry.view.name === name &&
            entry.singletonKey === key &&
            (entry.view.state === "created" || entry.view.state === "retry"),
        )
      )
        return null;
      const view: JobView = {
        id: randomUUID(),
        name,
        state: "created",
        data: { ...data, __startAfter: new Date().toISOString() },
        createdAt: new Date().toISOString(),
        startedAt: null,
        completedAt: null,
        retryCount: 0,
        retryLimit: RETRY.limit,
        output: null,
        progress: null,
      };
      jobs.push({ view, ...(key ? { singletonKey: key } : {}) });
      queueMicrotask(() => pump(name));
      return view.id;
    },
    async work(name, handler) {
      handlers.set(name, handler as JobHandler<Record<string, unknown>>);
      pump(name);
    },
    async schedule(name, cron, data = {}) {
      const arm = () => {
        const at = nextCronTime(cron, new Date());
        later(at.getTime() - Date.now(), () => {
          void this.enqueue(name, data, { singletonKey: `scheduled-${name}` });
          arm();
        });
      };
      arm();
    },
    async list({ limit, name }) {
      return [...jobs]
        .reverse()
        .filter((entry) => !name || entry.view.name === name)
        .map((entry) => visible(entry.view))
        .slice(0, limit);
    },
    async get(id) {
      const entry = jobs.find((candidate) => candidate.view.id === id);
      return entry ? visible(entry.view) : null;
    },
    async stop(graceMs = 10_000) {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((resolve) => setTimeout(resolve, graceMs)),
      ]);
    },
  };
}
