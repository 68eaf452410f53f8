import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncKnowledge } from "#services/sync-knowledge";
import { fixtureBundle, script } from "../../fixtures/knowledge-bundle";
import { DATABASE_KINDS, openTestDatabase } from "../../helpers/databases";
import { FakeEmbedder } from "../../helpers/fakes";
import { buildIntegrationDeps } from "../../helpers/integration-deps";

describe.each(DATABASE_KINDS)("knowledge sync on %s", (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database.drop();
  });

  it("imports everything once, then changes nothing on a rerun", async () => {
    const bundle = fixtureBundle();
    const deps = buildIntegrationDeps(database, bundle);
    const first = await syncKnowledge({ deps, input: { bundle } });
    expect(first.changed).toBe(true);
    expect(first.scripts).toMatchObject({ total: 4, created: 4, updated: 0 });
    expect(first.passagesEmbedded).toBe(4 * 5);
    expect(await deps.knowledge.listDepartments()).toHaveLength(3);

    const again = await syncKnowledge({ deps, input: { bundle } });
    expect(again.changed).toBe(false);
    const forced = await syncKnowledge({ deps, input: { bundle, force: true } });
    expect(forced.scripts).toMatchObject({ created: 0, updated: 0, unchanged: 4 });
    expect(forced.passagesEmbedded).toBe(0);
    const versions = await deps.knowledge.listVersions("shebao-card-lost");
    expect(versions.map((version) => [version.version, version.state])).toEqual([[1, "published"]]);
  });

  it("gives a changed script a new published version and keeps the old one", async () => {
    const bundle = fixtureBundle();
    bundle.scripts[0] = script({ id: "shebao-card-lost", answer: "您好，新口径：请先挂失再补卡。" });
    const deps = buildIntegrationDeps(database, bundle);
    const report = await syncKnowledge({ deps, input: { bundle } });
    expect(report.scripts).toMatchObject({ created: 0, updated: 1, unchanged: 3 });
    const versions = await deps.knowledge.listVersions("shebao-card-lost");
    expect(versions.map((version) => [version.version, version.state])).toEqual([
      [1, "superseded"],
      [2, "published"],
    ]);
    expect((await deps.knowledge.getItem("shebao-card-lost"))?.publishedVersion).toBe(2);
  });

  it("retires a script removed from the files and re-embeds when the model changes", async () => {
    const bundle = fixtureBundle();
    bundle.scripts = bundle.scripts.filter((entry) => entry.id !== "housing-property-fee");
    bundle.scripts[0] = script({ id: "shebao-card-lost", answer: "您好，新口径：请先挂失再补卡。" });
    const otherModel = new FakeEmbedder(512, "fake-embedder-v2");
    const deps = buildIntegrationDeps(database, bundle, { embedder: otherModel });
    const report = await syncKnowledge({ deps, input: { bundle } });
    expect(report.scripts.retired).toBe(1);
    expect(report.scripts.reembedded).toBe(3);
    expect((await deps.knowledge.getItem("housing-property-fee"))?.status).toBe("retired");
    expect(await deps.knowledge.countPassagesNotEmbeddedWith("fake-embedder-v2")).toBe(0);
    expect((await syncKnowledge({ deps, input: { bundle } })).changed).toBe(false);
  });
});
