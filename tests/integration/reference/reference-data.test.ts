import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppDeps } from "#api/env";
import type { Emergency, KnowledgeBundle } from "#domain/knowledge/schema";
import { createLiveReference, type LiveReference, referencePinner, syncReference } from "#services/reference";
import { syncKnowledge } from "#services/sync-knowledge";
import { createApp } from "../../../src/app";
import { fixtureBundle } from "../../fixtures/knowledge-bundle";
import { DATABASE_KINDS, openTestDatabase } from "../../helpers/databases";
import { FakeEmbedder, FixedClock } from "../../helpers/fakes";
import { buildIntegrationDeps } from "../../helpers/integration-deps";
import { client, createTestKeys, type TestKeys } from "../../helpers/keys";
import { fixtureWithRules } from "../../helpers/test-app";

const GAS_LEAK: Emergency = {
  id: "gas-leak",
  name: "燃气泄漏",
  triggers: ["燃气泄漏"],
  departments: ["zjj"],
  dispatchWithinMinutes: 10,
  level: "特急",
  cues: ["燃气|煤气 + 泄漏|漏气"],
};
const GAS_CALL = "楼下的煤气管一直在漏气，味道很大";

interface View {
  current: { id: number; version: number; source: string; createdBy: string; content: unknown } | null;
  served: { versionId: number | null; content: unknown };
  scheduled: { version: number; effectiveFrom: string }[];
  history: { version: number; source: string }[];
}

/** One "replica": its own live reference and app over the shared database. */
function replica(deps: AppDeps, bundle: KnowledgeBundle) {
  const liveReference = createLiveReference({
    bundle: fixtureWithRules(bundle),
    embedder: deps.embedder,
    repository: deps.reference,
    clock: deps.clock,
  });
  const replicaDeps: AppDeps = { ...deps, liveReference, suggest: liveReference.current().suggest };
  return { live: liveReference, deps: replicaDeps, call: client(createApp(replicaDeps)) };
}

describe.each(DATABASE_KINDS)("reference data in the database on %s", (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let deps: AppDeps;
  let keys: TestKeys;
  let clock: FixedClock;
  let a: ReturnType<typeof replica>;
  let b: ReturnType<typeof replica>;
  const bundle = fixtureBundle();

  const urgentMatches = async (call: typeof a.call) => {
    const response = await call("POST", "/v1/suggest", keys.agent, { text: GAS_CALL });
    expect(response.status, response.text).toBe(200);
    return (response.body as { urgent: { matched: string[] } }).urgent.matched;
  };
  const view = async (kindName: string) => {
    const response = await a.call("GET", `/v1/admin/reference/${kindName}`, keys.admin);
    expect(response.status, response.text).toBe(200);
    return response.body as unknown as View;
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    clock = new FixedClock(new Date("2026-12-03T09:00:00+08:00"));
    deps = buildIntegrationDeps(database, bundle, { clock });
    await syncKnowledge({ deps, input: { bundle } });
    keys = await createTestKeys(deps);
    a = replica(deps, bundle);
    b = replica(deps, bundle);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("writes a version per kind from the files once, and again only when a file changes", async () => {
    const first = await syncReference({ deps, input: { bundle } });
    // The fixture has no duties.yaml or market-entity.yaml: nothing to store for them.
    expect(first.written).toEqual([
      { kind: "departments", version: 1 },
      { kind: "emergencies", version: 1 },
      { kind: "synonyms", version: 1 },
    ]);
    expect((await syncReference({ deps, input: { bundle } })).written).toEqual([]);
    const changed = {
      ...bundle,
      synonyms: [...bundle.synonyms, { official: "拖欠工资", colloquial: ["欠薪", "唔出粮"] }],
    };
    expect((await syncReference({ deps, input: { bundle: changed } })).written).toEqual([
      { kind: "synonyms", version: 2 },
    ]);
    const synonyms = await view("synonyms");
    expect(synonyms.current).toMatchObject({ version: 2, source: "files", createdBy: "knowledge-sync" });
    expect(synonyms.history.map((entry) => entry.version)).toEqual([2, 1]);
    // Put the files' synonyms back for the tests below.
    expect((await syncReference({ deps, input: { bundle } })).written).toEqual([
      { kind: "synonyms", version: 3 },
    ]);
  });

  it("refuses content the knowledge check would refuse, unknown department codes first", async () => {
    const put = (kindName: string, body: unknown) =>
      a.call("PUT", `/v1/admin/reference/${kindName}`, keys.admin, body);
    const unknownCode = await put("emergencies", {
      content: [{ ...GAS_LEAK, departments: ["zjj", "xyz"] }],
    });
    expect(unknownCode.status, unknownCode.text).toBe(422);
    expect(unknownCode.text).toContain("unknown department code xyz");
    // The catalogue's codes are a fixed contract: none added, none left out.
    const departments = bundle.departments;
    const added = await put("departments", {
      content: [...departments, { ...departments[0], code: "xyz", name: "新部门" }],
    });
    expect(added.status, added.text).toBe(422);
    expect(added.text).toContain("department xyz is not in the dispatch catalogue");
    const dropped = await put("departments", { content: departments.slice(1) });
    expect(dropped.status, dropped.text).toBe(422);
    expect(dropped.text).toContain("catalogue department rsj is missing");
    // The file schemas, unknown fields included.
    const shape = await put("synonyms", { content: [{ official: "社保卡", colloquial: [] }] });
    expect(shape.status, shape.text).toBe(422);
    const extra = await put("emergencies", { content: [{ ...GAS_LEAK, colour: "red" }] });
    expect(extra.status, extra.text).toBe(422);
    const past = await put("emergencies", {
      content: [GAS_LEAK],
      effectiveFrom: "2026-12-01T00:00:00+08:00",
    });
    expect(past.status, past.text).toBe(422);
    expect(past.text).toContain("in the past");
    expect((await put("rules", { content: {} })).status).toBe(400);
    const notAdmin = await a.call("PUT", "/v1/admin/reference/emergencies", keys.editor, {
      content: [GAS_LEAK],
    });
    expect(notAdmin.status, notAdmin.text).toBe(403);
    // Nothing refused was stored.
    expect((await view("emergencies")).history).toHaveLength(1);
  });

  it("serves an admin's change on this replica at once and on the other after its poll, audited", async () => {
    await a.live.refresh();
    await b.live.refresh();
    expect(await urgentMatches(b.call)).toEqual([]);
    const stored = await a.call("PUT", "/v1/admin/reference/emergencies", keys.admin, {
      content: [GAS_LEAK],
      note: "新增燃气泄漏紧急项",
    });
    expect(stored.status, stored.text).toBe(201);
    expect(stored.body).toMatchObject({ kind: "emergencies", version: 2, source: "api" });
    expect(await urgentMatches(a.call)).toEqual(["gas-leak"]);
    // B still serves what it had until it polls; a request that started before keeps its snapshot.
    const pinned = referencePinner(b.deps, b.live);
    const before = pinned();
    expect(await urgentMatches(b.call)).toEqual([]);
    expect(await b.live.refresh()).toBe(true);
    expect(await urgentMatches(b.call)).toEqual(["gas-leak"]);
    expect(before.suggest.emergencies).toEqual([]);
    expect(pinned().suggest.emergencies.map((item) => item.id)).toEqual(["gas-leak"]);
    expect(await b.live.refresh()).toBe(false);

    const audit = await a.call("GET", "/v1/audit?entityType=reference&entityId=emergencies", keys.admin);
    const [entry] = (audit.body as { entries: Record<string, unknown>[] }).entries;
    expect(entry).toMatchObject({
      action: "reference.put",
      reason: "新增燃气泄漏紧急项",
      after: { version: 2, source: "api" },
      before: { version: 1, source: "files" },
    });
  });

  it("keeps a version with a future effective date waiting, then serves it when its time comes", async () => {
    const later = "2026-12-05T00:00:00+08:00";
    const scheduled = await a.call("PUT", "/v1/admin/reference/emergencies", keys.admin, {
      content: [{ ...GAS_LEAK, id: "gas-leak-2", name: "燃气泄漏（新）" }],
      effectiveFrom: later,
    });
    expect(scheduled.status, scheduled.text).toBe(201);
    const waiting = await view("emergencies");
    expect(waiting.current?.version).toBe(2);
    expect(waiting.scheduled).toEqual([expect.objectContaining({ version: 3 })]);
    expect(new Date(waiting.scheduled[0]?.effectiveFrom ?? "").toISOString()).toBe(
      new Date(later).toISOString(),
    );
    expect(await b.live.refresh()).toBe(false);
    expect(await urgentMatches(b.call)).toEqual(["gas-leak"]);

    clock.set(new Date("2026-12-05T00:00:01+08:00"));
    expect(await b.live.refresh()).toBe(true);
    expect(await urgentMatches(b.call)).toEqual(["gas-leak-2"]);
    const catalogue = await b.call("GET", "/v1/catalogue", keys.agent);
    expect((catalogue.body as { emergencies: { id: string }[] }).emergencies.map((item) => item.id)).toEqual([
      "gas-leak-2",
    ]);
  });

  it("keeps an admin's version over unchanged files, and puts a changed file in force", async () => {
    expect((await syncReference({ deps, input: { bundle } })).written).toEqual([]);
    expect((await view("emergencies")).current?.version).toBe(3);
    const reviewed = { ...bundle, emergencies: [{ ...GAS_LEAK, name: "燃气泄漏（文件）" }] };
    expect((await syncReference({ deps, input: { bundle: reviewed } })).written).toEqual([
      { kind: "emergencies", version: 4 },
    ]);
    await a.live.refresh();
    const after = await view("emergencies");
    expect(after.current).toMatchObject({ version: 4, source: "files" });
    expect(after.served.versionId).toBe(after.current?.id);
    expect(after.served.content).toEqual(reviewed.emergencies);
  });
});

describe("live reference", () => {
  it("keeps the embeddings of kinds that did not change", async () => {
    const bundle = fixtureWithRules();
    let versions: { id: number; kind: "synonyms" | "emergencies"; content: unknown }[] = [];
    const live: LiveReference = createLiveReference({
      bundle,
      embedder: new FakeEmbedder(),
      repository: {
        effectiveIds: async () => Object.fromEntries(versions.map((version) => [version.kind, version.id])),
        byIds: async (ids) =>
          versions
            .filter((version) => ids.includes(version.id))
            .map((version) => ({
              ...version,
              version: version.id,
              contentHash: "",
              source: "api" as const,
              effectiveFrom: "",
              createdAt: "",
              createdBy: "test",
              note: null,
            })),
        history: async () => [],
        latestFromFiles: async () => null,
        insert: async () => {
          throw new Error("not used");
        },
      },
      clock: { now: () => new Date() },
    });
    const first = live.current();
    versions = [{ id: 1, kind: "synonyms", content: [{ official: "工资", colloquial: ["人工"] }] }];
    expect(await live.refresh()).toBe(true);
    const second = live.current();
    expect(second.lexicon).not.toBe(first.lexicon);
    expect(second.lexicon.synonyms.related("工资")).toContain("人工");
    expect(second.suggest.labelIndex).toBe(first.suggest.labelIndex);
    expect(second.suggest.urgencyIndex).toBe(first.suggest.urgencyIndex);
    versions.push({ id: 2, kind: "emergencies", content: [GAS_LEAK] });
    expect(await live.refresh()).toBe(true);
    expect(live.current().suggest.urgencyIndex).not.toBe(second.suggest.urgencyIndex);
    expect(live.current().suggest.labelIndex).toBe(first.suggest.labelIndex);
    expect(live.current().lexicon).toBe(second.lexicon);
  });
});
