import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabaseEvalRunStore } from "#infra/db/eval-run-repository";
import { createFileEvalRunStore } from "#infra/eval-reports";
import { createApp } from "../../../src/app";
import { fixtureBundle } from "../../fixtures/knowledge-bundle";
import { DATABASE_KINDS, openTestDatabase } from "../../helpers/databases";
import {
  classificationResultFixture,
  evalRunFixture,
  FIXTURE_RUN_IDS,
  writeFixtureRuns,
} from "../../helpers/eval-runs";
import { buildIntegrationDeps } from "../../helpers/integration-deps";
import { client, createTestKeys, type TestKeys } from "../../helpers/keys";

interface Listed {
  runs: {
    id: string;
    status: string;
    createdBy: string | null;
    finishedAt: string | null;
    tasks: unknown[];
  }[];
}

describe.each(DATABASE_KINDS)("evaluation runs in the database on %s", (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let keys: TestKeys;
  let root: string;
  /** Replica A has the report folder the harness wrote; replica B has none of its own. */
  let callA: ReturnType<typeof client>;
  let callB: ReturnType<typeof client>;
  let storeB: ReturnType<typeof createDatabaseEvalRunStore>;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "eval-runs-db-"));
    writeFixtureRuns(root);
    database = await openTestDatabase(kind);
    const storeA = createDatabaseEvalRunStore(database.db, { folder: createFileEvalRunStore(root) });
    storeB = createDatabaseEvalRunStore(database.db, {
      folder: createFileEvalRunStore(join(root, "missing")),
    });
    const depsA = buildIntegrationDeps(database, fixtureBundle(), { evalRuns: storeA });
    keys = await createTestKeys(depsA);
    callA = client(createApp(depsA));
    callB = client(createApp({ ...depsA, evalRuns: storeB }));
  });
  afterAll(async () => {
    await database?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  it("shows a replica the runs another replica's folder had, report included", async () => {
    const { older, newer } = FIXTURE_RUN_IDS;
    // A lists first: its folder's runs are copied into the database.
    const fromA = await callA("GET", "/v1/eval/runs", keys.evaluator);
    expect(fromA.status, fromA.text).toBe(200);
    const fromB = await callB("GET", "/v1/eval/runs", keys.evaluator);
    expect((fromB.body as unknown as Listed).runs.map((run) => run.id)).toEqual([newer, older]);
    expect(fromB.body).toEqual(fromA.body);
    expect((fromB.body as unknown as Listed).runs[0]).toMatchObject({
      status: "completed",
      createdBy: "files",
    });
    const report = await callB("GET", `/eval/runs/${newer}/report`, keys.evaluator);
    expect(report.status, report.text.slice(0, 200)).toBe(200);
    expect(report.text).toContain("<svg");
  });

  it("records a harness run as running, then completed with its figures and who ran it", async () => {
    const id = "20260310T080000Z-ci";
    const run = evalRunFixture("ci", "2026-03-10T08:00:00Z", [
      classificationResultFixture("department", { macroF1: 0.9 }),
    ]);
    const base = { ...run, id, createdBy: "cli:ops", reportHtml: null, results: [] };
    await storeB.save({ ...base, status: "running", finishedAt: null });
    const running = await callA("GET", "/v1/eval/runs", keys.evaluator);
    expect((running.body as unknown as Listed).runs[0]).toMatchObject({
      id,
      status: "running",
      createdBy: "cli:ops",
      finishedAt: null,
      tasks: [],
    });
    await storeB.save({
      ...base,
      results: run.results as never,
      reportHtml: "<html><body><svg></svg>报告</body></html>",
      status: "completed",
      finishedAt: "2026-03-10T08:05:00Z",
    });
    const detail = await callA("GET", `/v1/eval/runs/${id}`, keys.evaluator);
    expect(detail.status, detail.text).toBe(200);
    expect(detail.body).toMatchObject({
      status: "completed",
      finishedAt: "2026-03-10T08:05:00.000Z",
      tasks: [{ key: "department", primary: { key: "macroF1", value: 0.9 } }],
    });
    const report = await callA("GET", `/eval/runs/${id}/report`, keys.evaluator);
    expect(report.text).toContain("报告");
  });
});
