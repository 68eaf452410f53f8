import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { JobView } from "#domain/jobs";
import { openDatabase } from "#infra/db/client";
import { createDatabaseRateLimiter } from "#infra/db/rate-limiter";
import { createThrowawayDatabase } from "#infra/db/throwaway";
import { createPgBossQueue } from "#infra/jobs/pg-boss-queue";
import { createProgressStore } from "#infra/jobs/progress";
import { DATABASE_KINDS, openTestDatabase } from "../../helpers/databases";

const LIMIT = { perMinute: 60, burst: 10 } as const;

describe.each(DATABASE_KINDS)("rate-limit buckets in the database on %s", (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("holds one bucket for two replicas, refills at the rate, and keeps scopes apart", async () => {
    const replicaA = createDatabaseRateLimiter(database.db, { scope: "key", ...LIMIT });
    const replicaB = createDatabaseRateLimiter(database.db, { scope: "key", ...LIMIT });
    const now = Date.UTC(2026, 11, 2, 9);
    const verdicts = [];
    for (let index = 0; index < 16; index += 1)
      verdicts.push(await (index % 2 ? replicaB : replicaA).take("key:7", now));
    expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(LIMIT.burst);
    expect(verdicts.at(-1)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(await replicaB.peek("key:7", now)).toMatchObject({ allowed: false });
    // Six seconds at one a second: six more, whichever replica asks.
    const later = [];
    for (let index = 0; index < 8; index += 1)
      later.push(await (index % 2 ? replicaA : replicaB).take("key:7", now + 6000));
    expect(later.filter((verdict) => verdict.allowed)).toHaveLength(6);
    // Another key and another scope have buckets of their own.
    expect(await replicaA.take("key:8", now)).toEqual({ allowed: true });
    const address = createDatabaseRateLimiter(database.db, { scope: "address", ...LIMIT });
    expect(await address.take("key:7", now)).toEqual({ allowed: true });
    expect(await replicaA.prune(now + 2 * 3600_000)).toBe(3);
  });
});

describe("shared PostgreSQL state across processes", () => {
  let serverUrl: string;
  beforeAll(() => {
    serverUrl = inject("postgresUrl");
  });

  async function fresh(prefix: string, poolSize = 12) {
    const database = await createThrowawayDatabase(serverUrl, prefix, { poolSize });
    const rows = (await database.db.execute("select current_database() as name")) as unknown as {
      rows: { name: string }[];
    };
    const url = new URL(serverUrl);
    url.pathname = `/${rows.rows[0]?.name}`;
    return { database, url: url.toString() };
  }

  it("spends each token once when replicas ask at the same moment", async () => {
    const { database } = await fresh("limits");
    try {
      await database.migrate();
      const limiters = [0, 1, 2].map(() =>
        createDatabaseRateLimiter(database.db, { scope: "key", ...LIMIT }),
      );
      const now = Date.UTC(2026, 11, 2, 9);
      const verdicts = await Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          (limiters[index % 3] as (typeof limiters)[0]).take("key:1", now),
        ),
      );
      expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(LIMIT.burst);
    } finally {
      await database.drop();
    }
  });

  it("applies the migrations once when two replicas start together", async () => {
    const { database, url } = await fresh("migrate");
    const second = await openDatabase({ url, dataDir: "unused", poolSize: 2 });
    try {
      await Promise.all([database.migrate(), second.migrate()]);
      expect(await database.appliedMigrations()).toBe(await second.appliedMigrations());
      expect(await database.appliedMigrations()).toBeGreaterThan(9);
    } finally {
      await second.close();
      await database.drop();
    }
  });

  it("makes a second holder of an advisory lock wait for the first", async () => {
    const { database, url } = await fresh("lock");
    const second = await openDatabase({ url, dataDir: "unused", poolSize: 2 });
    try {
      const events: string[] = [];
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const first = database.withLock("knowledge-sync", async () => {
        events.push("first in");
        await held;
        events.push("first out");
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const waiting = second.withLock("knowledge-sync", async () => {
        events.push("second in");
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(events).toEqual(["first in"]);
      release();
      await Promise.all([first, waiting]);
      expect(events).toEqual(["first in", "first out", "second in"]);
    } finally {
      await second.close();
      await database.drop();
    }
  });

  it("runs each pg-boss job once across replicas, retries a failure, and shows progress", {
    timeout: 120_000,
  }, async () => {
    const { database, url } = await fresh("jobs");
    await database.migrate();
    const progress = createProgressStore(database.db);
    const replicas = [
      await createPgBossQueue({ url, progress, superviseIntervalSeconds: 2 }),
      await createPgBossQueue({ url, progress, superviseIntervalSeconds: 2 }),
    ];
    try {
      const ran: string[] = [];
      let failures = 0;
      for (const [index, queue] of replicas.entries()) {
        await queue.work("retention", async (job) => {
          ran.push(`${index}:${job.id}`);
          await job.progress("deleting", 1, 1);
          return { replica: index };
        });
        await queue.work("reembed", async (job) => {
          if (failures === 0) {
            failures += 1;
            throw new Error("embedder not ready");
          }
          return { retried: job.retryCount };
        });
      }
      // Every queue is `stately`: requests while one is waiting merge into it.
      const ids = (
        await Promise.all(
          Array.from({ length: 6 }, () => (replicas[0] as (typeof replicas)[0]).enqueue("retention", {})),
        )
      ).filter((id): id is string => id !== null);
      expect(ids.length).toBeGreaterThanOrEqual(1);
      expect(ids.length).toBeLessThan(6);
      const failing = (await (replicas[1] as (typeof replicas)[0]).enqueue("reembed", {})) as string;
      const deadline = Date.now() + 90_000;
      let views: JobView[] = [];
      while (Date.now() < deadline) {
        views = await (replicas[1] as (typeof replicas)[0]).list({ limit: 20 });
        if (views.filter((view) => view.state === "completed").length === ids.length + 1) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(views.filter((view) => view.state === "completed")).toHaveLength(ids.length + 1);
      expect(ran.map((entry) => entry.split(":")[1]).sort()).toEqual([...ids].sort());
      const retried = views.find((view) => view.id === failing);
      expect(retried).toMatchObject({ state: "completed", retryCount: 1, output: { retried: 1 } });
      const shown = views.find((view) => view.id === ids[0]);
      expect(shown?.progress).toMatchObject({ stage: "deleting", done: 1, total: 1 });
      // A second request while one is waiting is the same job.
      const single = replicas[0] as (typeof replicas)[0];
      await single.stop(0);
      const waitingJob = await (replicas[1] as (typeof replicas)[0]).enqueue(
        "train",
        {},
        { singletonKey: "train" },
      );
      expect(waitingJob).not.toBeNull();
      expect(
        await (replicas[1] as (typeof replicas)[0]).enqueue("train", {}, { singletonKey: "train" }),
      ).toBeNull();
    } finally {
      await Promise.allSettled(replicas.map((queue) => queue.stop(0)));
      await database.drop();
    }
  });
});
