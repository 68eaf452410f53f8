import { hostname } from "node:os";
import { eq, inArray, sql } from "drizzle-orm";
import type { JobView } from "#domain/jobs";
import type { Db } from "../db/client";
import { jobProgress } from "../db/schema/index";

/** Which process reports a job's progress (shown by `GET /v1/jobs`). */
export const WORKER_ID = `${hostname()}:${process.pid}`;

/** Job progress rows in the shared database (the pg-boss adapter). */
export function createProgressStore(db: Db) {
  return {
    async report(jobId: string, name: string, stage: string, done: number, total: number) {
      const values = { stage, done, total, worker: WORKER_ID, updatedAt: new Date() };
      await db
        .insert(jobProgress)
        .values({ jobId, name, ...values })
        .onConflictDoUpdate({ target: jobProgress.jobId, set: values });
    },
    async of(jobIds: readonly string[]): Promise<Map<string, NonNullable<JobView["progress"]>>> {
      if (jobIds.length === 0) return new Map();
      const rows = await db
        .select()
        .from(jobProgress)
        .where(inArray(jobProgress.jobId, [...jobIds]));
      return new Map(
        rows.map((row) => [
          row.jobId,
          {
            stage: row.stage,
            done: row.done,
            total: row.total,
            worker: row.worker,
            updatedAt: row.updatedAt.toISOString(),
          },
        ]),
      );
    },
    /** Progress rows of jobs the queue no longer keeps. */
    async prune(before: Date) {
      await db.delete(jobProgress).where(sql`${jobProgress.updatedAt} < ${before}`);
    },
    async clear(jobId: string) {
      await db.delete(jobProgress).where(eq(jobProgress.jobId, jobId));
    },
  };
}
export type ProgressStore = ReturnType<typeof createProgressStore>;
