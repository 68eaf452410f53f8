import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import type { Embedder } from "#domain/ports";
import { createThrowawayDatabase } from "#infra/db/throwaway";
import { importCases } from "#services/import-cases";
import { syncKnowledge } from "#services/sync-knowledge";
import { createApp } from "../../../src/app";
import { createReadinessChecks } from "../../../src/infra/readiness";
import { fixtureCases } from "../../fixtures/cases";
import { fixtureBundle } from "../../fixtures/knowledge-bundle";
import { openTestDatabase } from "../../helpers/databases";
import { FakeEmbedder } from "../../helpers/fakes";
import { buildIntegrationDeps } from "../../helpers/integration-deps";
import { createTestKeys } from "../../helpers/keys";

/** An embedder that dies after `budget` texts, like a process killed halfway. */
class DyingEmbedder extends FakeEmbedder implements Embedder {
  constructor(private budget: number) {
    super();
  }
  override async embed(texts: readonly string[]) {
    this.budget -= texts.length;
    if (this.budget < 0) throw new Error("killed halfway");
    return super.embed(texts);
  }
}

describe("killed halfway, then rerun", () => {
  it("an import or a sync that dies leaves nothing half-written, and a rerun converges", async () => {
    const database = await openTestDatabase("pglite");
    try {
      const bundle = fixtureBundle();
      // 90 rows: the first batch of 64 embeds, the second dies.
      const rows = [
        ...fixtureCases(),
        ...fixtureCases().map((row) => ({ ...row, id: `${String(row.id)}-b` })),
      ];
      const dying = buildIntegrationDeps(database, bundle, { embedder: new DyingEmbedder(70) });
      await expect(
        importCases({ deps: dying, input: { rows, source: "seed" }, actor: { name: "t" } }),
      ).rejects.toThrow("killed halfway");
      expect(await dying.cases.count()).toBe(0);
      await expect(
        syncKnowledge({
          deps: buildIntegrationDeps(database, bundle, { embedder: new DyingEmbedder(3) }),
          input: { bundle },
        }),
      ).rejects.toThrow("killed halfway");
      expect(await dying.knowledge.listItems()).toEqual([]);

      const healthy = buildIntegrationDeps(database, bundle);
      const report = await importCases({
        deps: healthy,
        input: { rows, source: "seed" },
        actor: { name: "t" },
      });
      expect(report.inserted).toBe(rows.length);
      expect((await syncKnowledge({ deps: healthy, input: { bundle } })).scripts.created).toBe(4);
      const again = await importCases({
        deps: healthy,
        input: { rows, source: "seed" },
        actor: { name: "t" },
      });
      expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: rows.length });
    } finally {
      await database.drop();
    }
  });
});

describe("the real PostgreSQL server stops and comes back", () => {
  const port = "54398";
  const dir = "/tmp/hotline-pgtest-fault";
  const server = (command: "start" | "stop") =>
    execFileSync("bash", ["scripts/postgres-test-server.sh", ...(command === "stop" ? ["stop"] : [])], {
      env: { ...process.env, PGTEST_PORT: port, PGTEST_DIR: dir },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    })
      .trim()
      .split("\n")
      .at(-1);

  afterAll(() => {
    server("stop");
  });

  it("answers 503 fast while it is down and recovers without a restart", async () => {
    const url = server("start") ?? "";
    // A database of its own on the fault server: that cluster outlives a run, and an earlier run's
    // migrations must not decide this one.
    const database = await createThrowawayDatabase(url, "faults", { poolSize: 2 });
    await database.migrate();
    const bundle = fixtureBundle();
    const deps = buildIntegrationDeps(database as never, bundle);
    await syncKnowledge({ deps, input: { bundle } });
    const keys = await createTestKeys(deps);
    const app = createApp({ ...deps, readiness: createReadinessChecks(database, deps.embedder) });
    const search = () =>
      app.request("/v1/knowledge/search", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${keys.agent}` },
        body: JSON.stringify({ query: "社保卡丢了" }),
      });
    try {
      const first = await search();
      expect(first.status, await first.clone().text()).toBe(200);

      server("stop");
      const started = performance.now();
      const down = await search();
      expect(down.status).toBe(503);
      expect(((await down.json()) as { error: { code: string } }).error.code).toBe("SERVICE_UNAVAILABLE");
      expect(performance.now() - started).toBeLessThan(5000);
      expect((await app.request("/readyz")).status).toBe(503);

      server("start");
      let recovered = 0;
      for (let attempt = 0; attempt < 20 && recovered !== 200; attempt += 1) {
        const response = await search();
        recovered = response.status;
        if (recovered !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(recovered).toBe(200);
      expect((await app.request("/readyz")).status).toBe(200);
    } finally {
      await database.drop();
    }
  });
});

/** An embedder that never answers, like a wedged model worker. */
class HangingEmbedder extends FakeEmbedder implements Embedder {
  override embed(): Promise<Float32Array[]> {
    return new Promise(() => {});
  }
}

describe("a dependency that never answers", () => {
  it("an API request is answered 503 in the error shape after the request timeout", async () => {
    const database = await openTestDatabase("pglite");
    try {
      const deps = buildIntegrationDeps(database, fixtureBundle(), {
        embedder: new HangingEmbedder(),
        requestTimeoutMs: 300,
      });
      const keys = await createTestKeys(deps);
      const started = performance.now();
      const response = await createApp(deps).request("/v1/knowledge/search", {
        method: "POST",
        headers: { authorization: `Bearer ${keys.agent}`, "content-type": "application/json" },
        body: JSON.stringify({ query: "社保卡丢了怎么办" }),
      });
      const elapsed = performance.now() - started;
      expect(response.status).toBe(503);
      const body = (await response.json()) as { error: { code: string; requestId: string } };
      expect(body.error.code).toBe("SERVICE_UNAVAILABLE");
      expect(body.error.requestId).toMatch(/^req_/);
      expect(elapsed).toBeGreaterThanOrEqual(290);
    } finally {
      await database.drop();
    }
  });
});
