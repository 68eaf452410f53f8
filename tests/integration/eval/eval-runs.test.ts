import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFileEvalRunStore } from "#infra/eval-reports";
import { writeReport } from "../../../eval/lib/report";
import { createApp } from "../../../src/app";
import { fixtureBundle } from "../../fixtures/knowledge-bundle";
import { openTestDatabase } from "../../helpers/databases";
import { evalRunFixture, FIXTURE_RUN_IDS, writeFixtureRuns } from "../../helpers/eval-runs";
import { buildIntegrationDeps } from "../../helpers/integration-deps";
import { client, createTestKeys, type TestKeys } from "../../helpers/keys";
import { expectErrorShape } from "../../helpers/test-app";

const { older: OLDER, newer: NEWER } = FIXTURE_RUN_IDS;
const API_ROUTES = ["/v1/eval/runs", `/v1/eval/runs/${NEWER}`, `/v1/eval/compare?a=${OLDER}&b=${NEWER}`];
const REPORT = `/eval/runs/${NEWER}/report`;

/** Two small runs written by the harness's own report writer, plus folders the store must skip. */
function writeFixtureRunsAndJunk(dir: string, outside: string) {
  writeFixtureRuns(dir);
  mkdirSync(join(dir, "20260303T080000Z-broken"));
  writeFileSync(join(dir, "20260303T080000Z-broken", "report.json"), '{"name": "half written');
  mkdirSync(join(dir, "20260304T080000Z-wrong-shape"));
  writeFileSync(join(dir, "20260304T080000Z-wrong-shape", "report.json"), JSON.stringify({ runs: [] }));
  mkdirSync(join(dir, "20260305T080000Z-running")); // no report.json yet
  writeFileSync(join(dir, "notes.txt"), "not a run");
  // A link to a run outside the reports folder is never followed.
  writeReport(join(outside, "secret"), evalRunFixture("secret", "2026-03-06T08:00:00Z", []));
  symlinkSync(join(outside, "secret"), join(dir, "20260306T080000Z-linked"));
}

// The store reads files, not the database; the database only holds the API keys, so PGlite suffices.
describe("evaluation runs API", () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let keys: TestKeys;
  let app: ReturnType<typeof createApp>;
  let call: ReturnType<typeof client>;
  let root: string;
  const skipped: string[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "eval-runs-"));
    const dir = join(root, "reports");
    mkdirSync(dir);
    writeFixtureRunsAndJunk(dir, join(root, "outside"));
    database = await openTestDatabase("pglite");
    const deps = buildIntegrationDeps(database, fixtureBundle(), {
      evalRuns: createFileEvalRunStore(dir, { onInvalid: (id) => skipped.push(id) }),
    });
    keys = await createTestKeys(deps);
    app = createApp(deps);
    call = client(app);
  });
  /** The raw response (for expectErrorShape). */
  const get = (path: string, key: string | null) =>
    Promise.resolve(app.request(path, { headers: key ? { authorization: `Bearer ${key}` } : {} }));
  afterAll(async () => {
    await database?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  describe("happy", () => {
    it("lists the readable runs newest first with each task's headline metric", async () => {
      const response = await call("GET", "/v1/eval/runs", keys.evaluator);
      expect(response.status, response.text).toBe(200);
      const { runs } = response.body as unknown as {
        runs: {
          id: string;
          name: string;
          tasks: { key: string; primary: { key: string; value: number } }[];
        }[];
      };
      expect(runs.map((run) => run.id)).toEqual([NEWER, OLDER]);
      expect(runs[0]?.tasks.map((task) => [task.key, task.primary.key, task.primary.value])).toEqual([
        ["department", "macroF1", 0.85],
        ["category", "macroF1", 0.55],
        ["retrieval", "recallAt3", 0.8],
        ["urgent", "macroF1", expect.any(Number)],
      ]);
      expect(response.text).not.toContain("confusion");
      expect(skipped.sort()).toEqual([
        "20260303T080000Z-broken",
        "20260304T080000Z-wrong-shape",
        "20260305T080000Z-running",
      ]);
    });

    it("lets admins in too and shows one run with its inputs", async () => {
      const response = await call("GET", `/v1/eval/runs/${OLDER}`, keys.admin);
      expect(response.status, response.text).toBe(200);
      expect(response.body).toMatchObject({
        id: OLDER,
        name: "ci",
        createdAt: "2026-03-01T08:00:00Z",
        embeddingModel: "fake-embedder",
        inputs: { suite: "eval/suites/ci.json" },
      });
    });

    it("compares two runs: A, B, Δ and better/worse in each metric's direction", async () => {
      const response = await call("GET", `/v1/eval/compare?a=${OLDER}&b=${NEWER}`, keys.evaluator);
      expect(response.status, response.text).toBe(200);
      const body = response.body as unknown as {
        a: { id: string };
        b: { id: string };
        tasks: {
          key: string;
          metrics: { key: string; a: number; b: number; delta: number; change: string }[];
        }[];
        onlyInA: string[];
        onlyInB: string[];
      };
      expect([body.a.id, body.b.id]).toEqual([OLDER, NEWER]);
      const metric = (task: string, key: string) =>
        body.tasks.find((entry) => entry.key === task)?.metrics.find((entry) => entry.key === key);
      expect(metric("department", "macroF1")).toMatchObject({ a: 0.8, b: 0.85, change: "better" });
      expect(metric("department", "macroF1")?.delta).toBeCloseTo(0.05, 10);
      expect(metric("department", "ece")).toMatchObject({ change: "worse" });
      expect(metric("department", "costWeightedError")).toMatchObject({ change: "better" });
      expect(metric("category", "macroF1")).toMatchObject({ delta: 0, change: "same" });
      expect(metric("retrieval", "recallAt3")).toMatchObject({ change: "worse" });
      expect(metric("retrieval", "noAnswerRate")).toMatchObject({ change: "better" });
      expect(body.onlyInA).toEqual([]);
      expect(body.onlyInB).toEqual(["urgent"]);
    });

    it("serves the run's HTML report under its own strict CSP", async () => {
      const response = await call("GET", `/eval/runs/${NEWER}/report`, keys.evaluator);
      expect(response.status, response.text.slice(0, 300)).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      const csp = response.headers.get("content-security-policy") ?? "";
      for (const directive of [
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        "img-src data:",
        "frame-ancestors 'self'",
      ]) {
        expect(csp).toContain(directive);
      }
      expect(csp).not.toContain("script-src");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.text).toContain("<h1>评估报告 ci</h1>");
      expect(response.text).toMatch(/<svg class="chart"/);
    });

    it("documents the JSON routes in /openapi.json", async () => {
      const response = await call("GET", "/openapi.json", null);
      const paths = Object.keys((response.body as { paths: Record<string, unknown> }).paths);
      expect(paths).toEqual(
        expect.arrayContaining(["/v1/eval/runs", "/v1/eval/runs/{id}", "/v1/eval/compare"]),
      );
    });
  });

  describe("error", () => {
    it.each(API_ROUTES)("%s: 401 without a key, 403 for agents and editors", async (path) => {
      await expectErrorShape(await get(path, null), 401, "UNAUTHORIZED");
      await expectErrorShape(await get(path, keys.agent), 403, "FORBIDDEN");
      await expectErrorShape(await get(path, keys.editor), 403, "FORBIDDEN");
    });

    it("the HTML report sends a visitor without a session to log in; agents and editors get 403", async () => {
      const anonymous = await app.request(REPORT);
      expect(anonymous.status).toBe(303);
      expect(anonymous.headers.get("location")).toBe("/login?next=%2Feval");
      await expectErrorShape(await get(REPORT, keys.agent), 403, "FORBIDDEN");
      await expectErrorShape(await get(REPORT, keys.editor), 403, "FORBIDDEN");
    });

    it.each([
      ["/v1/eval/runs/..%2F..%2Fetc", 400, "BAD_REQUEST"],
      ["/v1/eval/runs/.hidden", 400, "BAD_REQUEST"],
      ["/v1/eval/runs/a..b", 400, "BAD_REQUEST"],
      ["/v1/eval/runs/20991231T000000Z-nope", 404, "NOT_FOUND"],
      ["/v1/eval/runs/20260303T080000Z-broken", 404, "NOT_FOUND"],
      ["/v1/eval/runs/20260306T080000Z-linked", 404, "NOT_FOUND"],
      [`/v1/eval/compare?a=${OLDER}`, 400, "BAD_REQUEST"],
      [`/v1/eval/compare?a=..%2Fx&b=${NEWER}`, 400, "BAD_REQUEST"],
      [`/v1/eval/compare?a=${OLDER}&b=20991231T000000Z-nope`, 404, "NOT_FOUND"],
      ["/eval/runs/..%2F..%2Fetc%2Fpasswd/report", 400, "BAD_REQUEST"],
      ["/eval/runs/20260305T080000Z-running/report", 404, "NOT_FOUND"],
      ["/eval/runs/20260306T080000Z-linked/report", 404, "NOT_FOUND"],
    ])("%s → %s in the error shape", async (path, status, code) => {
      await expectErrorShape(await get(path, keys.evaluator), status, code);
    });
  });

  describe("edge", () => {
    it("lists nothing (not an error) when no run was ever written", async () => {
      const deps = buildIntegrationDeps(database, fixtureBundle(), {
        evalRuns: createFileEvalRunStore(join(root, "does-not-exist")),
      });
      const response = await client(createApp(deps))("GET", "/v1/eval/runs", keys.evaluator);
      expect(response.status, response.text).toBe(200);
      expect(response.body).toEqual({ runs: [] });
    });
  });
});
