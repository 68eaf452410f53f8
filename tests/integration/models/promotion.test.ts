import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppDeps } from "#api/env";
import type { GateSettings, GoldRun, ModelSummary } from "#domain/classifier/registry";
import type { JobView } from "#domain/jobs";
import { createDatabaseClassifierStore, createModelCheck } from "#infra/db/model-repository";
import { loadGateSuite } from "#infra/eval-suite";
import { createInProcessQueue } from "#infra/jobs/in-process-queue";
import { loadKnowledge } from "#infra/knowledge-fs/load-knowledge";
import { importCases } from "#services/import-cases";
import { registerJobHandlers } from "#services/jobs";
import { trainCandidate } from "#services/train-candidate";
import { createApp } from "../../../src/app";
import { DATABASE_KINDS, openTestDatabase } from "../../helpers/databases";
import { buildIntegrationDeps } from "../../helpers/integration-deps";
import { client, createTestKeys, type TestKeys } from "../../helpers/keys";

/** Enough seed cases for every head, few enough to train in seconds (fake embedder, real jieba). */
const CASES = 320;
const TRAINING = { internalFolds: 2 } as const;
/** The CI suite's own gold sets through the real loader, cut to a few rows per run. */
const SUITE_ROWS = 25;

function seedRows(): Record<string, unknown>[] {
  return readFileSync("knowledge/cases/seed-cases.jsonl", "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .slice(0, CASES)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Every training case's department and type moved to the next case's: a model trained on noise. */
function degraded(rows: Record<string, unknown>[], keep: ReadonlySet<string>): Record<string, unknown>[] {
  const shuffled = rows.filter((row) => !keep.has(String(row.id)));
  return rows.map((row) => {
    if (keep.has(String(row.id))) return row;
    const next = shuffled[(shuffled.indexOf(row) + 7) % shuffled.length] ?? row;
    return { ...row, department: next.department, type: next.type, category: next.category };
  });
}

describe.each(DATABASE_KINDS)("models that must earn promotion on %s", (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let deps: AppDeps;
  let keys: TestKeys;
  let call: ReturnType<typeof client>;
  let gate: GateSettings;
  const versions: string[] = [];
  const rows = seedRows();

  async function load(data: Record<string, unknown>[]) {
    await importCases({ deps, input: { rows: data, source: "import" }, actor: { name: "test" } });
  }

  async function models(): Promise<{ promoted: string | null; models: ModelSummary[] }> {
    const response = await call("GET", "/v1/models", keys.evaluator);
    expect(response.status, response.text).toBe(200);
    return response.body as { promoted: string | null; models: ModelSummary[] };
  }

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    // The real catalogue: the seed cases name its department codes.
    const bundle = loadKnowledge("knowledge").bundle;
    const base = buildIntegrationDeps(database, bundle);
    // What every replica serves: the promoted row, asked on every request here.
    deps = { ...base, classifiers: createDatabaseClassifierStore(base.models, { checkMs: 0 }) };
    keys = await createTestKeys(deps);
    call = client(createApp(deps));
    const suite = loadGateSuite("eval/suites/ci.json");
    const runs: GoldRun[] = suite.runs.map((run) => ({ ...run, rows: run.rows.slice(0, SUITE_ROWS) }));
    gate = {
      tolerance: suite.tolerance,
      heldOut: { fraction: 0.15, min: 20, max: 300 },
      suite: async () => runs,
    };
    await load(rows);
  });
  afterAll(async () => {
    await deps.jobs.stop(0);
    await database?.drop();
  });

  it("promotes the first model, with its held-out figures", { timeout: 240_000 }, async () => {
    const outcome = await trainCandidate({ deps, gate, actor: { name: "test" }, options: TRAINING });
    versions.push(outcome.version);
    expect(outcome.status, outcome.reasons.join("; ")).toBe("promoted");
    expect(outcome.evaluation.heldOut.cases).toBe(Math.round(CASES * 0.15));
    const keysMeasured = outcome.evaluation.metrics.map((metric) => metric.key);
    expect(keysMeasured).toEqual(expect.arrayContaining(["heldOut:department", "heldOut:type"]));
    expect((await deps.classifiers.current())?.version).toBe(outcome.version);
    const listed = await models();
    expect(listed.promoted).toBe(outcome.version);
    expect(listed.models[0]?.trainedOn).toMatchObject({ cases: CASES - 48, heldOut: 48 });
  });

  it("refuses a deliberately degraded candidate and keeps serving the promoted one", {
    timeout: 240_000,
  }, async () => {
    // The held-out slice (the 48 most recent cases) keeps its true labels; the rest is scrambled.
    const recent = new Set(
      [...rows]
        .sort((a, b) => String(b.receivedAt).localeCompare(String(a.receivedAt)))
        .slice(0, 48)
        .map((row) => String(row.id)),
    );
    await load(degraded(rows, recent));
    const outcome = await trainCandidate({ deps, gate, actor: { name: "test" }, options: TRAINING });
    versions.push(outcome.version);
    expect(outcome.status).toBe("refused");
    expect(outcome.evaluation.comparedWith).toBe(versions[0]);
    expect(outcome.reasons.join("\n")).toMatch(/heldOut:department accuracy .* < promoted/);
    // The suite was scored for both models on the same rows.
    const suiteMetric = outcome.evaluation.metrics.find((metric) => metric.key === "suite:department");
    expect(suiteMetric?.promoted).not.toBeNull();
    expect((await deps.classifiers.current())?.version).toBe(versions[0]);
    const refused = (await models()).models.find((model) => model.version === outcome.version);
    expect(refused?.status).toBe("refused");
    expect(refused?.reasons.length).toBeGreaterThan(0);
    await load(rows); // the true labels again
  });

  it("promotes a good candidate trained through POST /v1/models/train and the job queue", {
    timeout: 240_000,
  }, async () => {
    const jobs = createInProcessQueue({ retryDelayMs: 10 });
    const jobDeps = { ...deps, jobs };
    await registerJobHandlers({
      deps: jobDeps,
      jobs,
      settings: { gate, training: TRAINING, retentionDays: 180, bundle: loadKnowledge("knowledge").bundle },
    });
    const jobCall = client(createApp(jobDeps));
    const queued = await jobCall("POST", "/v1/models/train", keys.admin, { reason: "每周复训" });
    expect(queued.status, queued.text).toBe(202);
    const id = (queued.body as { job: JobView }).job.id;
    let job: JobView | undefined;
    for (let wait = 0; wait < 600 && job?.state !== "completed" && job?.state !== "failed"; wait += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const listed = await jobCall("GET", "/v1/jobs", keys.admin);
      job = (listed.body as { jobs: JobView[] }).jobs.find((entry) => entry.id === id);
    }
    expect(job?.state, JSON.stringify(job)).toBe("completed");
    expect(job?.progress?.stage).toBe("evaluating");
    const output = job?.output as { version: string; status: string; reasons: string[] };
    expect(output.status, output.reasons.join("; ")).toBe("promoted");
    versions.push(output.version);
    expect((await deps.classifiers.current())?.version).toBe(output.version);
    await jobs.stop(0);
  });

  it("rolls back to the previous version on every replica, audited", async () => {
    const [first, refused, good] = versions as [string, string, string];
    const replicaA = createDatabaseClassifierStore(deps.models, { checkMs: 0 });
    const replicaB = createDatabaseClassifierStore(deps.models, { checkMs: 0 });
    expect((await replicaA.current())?.version).toBe(good);
    expect((await replicaB.current())?.version).toBe(good);

    expect((await call("POST", "/v1/models/rollback", keys.evaluator, {})).status).toBe(403);
    const rolled = await call("POST", "/v1/models/rollback", keys.admin, { reason: "误派增多" });
    expect(rolled.status, rolled.text).toBe(200);
    expect(rolled.body).toEqual({ version: first, rolledBack: good });
    expect((await replicaA.current())?.version).toBe(first);
    expect((await replicaB.current())?.version).toBe(first);
    const suggestion = await call("POST", "/v1/suggest", keys.agent, { text: "公司拖欠工资三个月" });
    expect((suggestion.body as { modelVersion: string }).modelVersion).toBe(first);

    // Nothing before the first one: a second rollback has nowhere to go.
    expect((await call("POST", "/v1/models/rollback", keys.admin, {})).status).toBe(409);
    // An admin may still promote a refused candidate by hand.
    const promoted = await call("POST", `/v1/models/${refused}/promote`, keys.admin, { reason: "人工复核" });
    expect(promoted.status, promoted.text).toBe(200);
    expect((promoted.body as unknown as ModelSummary).status).toBe("promoted");
    expect((await replicaB.current())?.version).toBe(refused);
    expect((await call("POST", "/v1/models/no-such-version/promote", keys.admin, {})).status).toBe(404);

    const audit = await call("GET", "/v1/audit?entityType=model", keys.admin);
    const actions = (audit.body as { entries: { action: string }[] }).entries.map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(["model.promote", "model.refuse", "model.rollback"]));
  });
  it("keeps serving the loaded version when a promoted one cannot be read, and says so", async () => {
    const served = (await deps.classifiers.current())?.version as string;
    const replica = createDatabaseClassifierStore(deps.models, { checkMs: 0 });
    expect((await replica.current())?.version).toBe(served);
    const first = versions[0] as string;
    await database.db.execute(
      sql`update models set artifact = ${Buffer.from("not gzip")} where version = ${first}`,
    );
    const promoted = await call("POST", `/v1/models/${first}/promote`, keys.admin, {});
    expect(promoted.status, promoted.text).toBe(200);
    expect((await replica.current())?.version).toBe(served);
    const check = await createModelCheck(replica).check();
    expect(check.ok).toBe(false);
    expect(check.detail).toContain(`serving ${served}`);
    expect(check.detail).toContain(first);
  });
});
