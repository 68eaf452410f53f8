import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { loadKnowledge } from "#infra/knowledge-fs/load-knowledge";
import { EDITOR_ADDED_FILE, writeScripts } from "#infra/knowledge-fs/write-scripts";
import { exportKnowledge } from "#services/export-knowledge";
import { syncKnowledge } from "#services/sync-knowledge";
import { createApp } from "../../../src/app";
import { fixtureBundle } from "../../fixtures/knowledge-bundle";
import { openTestDatabase } from "../../helpers/databases";
import { buildIntegrationDeps } from "../../helpers/integration-deps";
import { client, createTestKeys } from "../../helpers/keys";

describe("exporting API edits back to knowledge files", () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    database = await openTestDatabase("pglite");
  });
  afterAll(async () => {
    await database.drop();
  });

  it("writes edited and new scripts back, and a sync of the written files changes nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "knowledge-"));
    mkdirSync(join(dir, "scripts"));
    const bundle = fixtureBundle();
    const header = "# 社保与物业口径（测试）\n";
    writeFileSync(join(dir, "scripts", "fixture.yaml"), header + YAML.stringify(bundle.scripts));
    copyFileSync("knowledge/rules.yaml", join(dir, "rules.yaml"));

    const deps = buildIntegrationDeps(database, bundle);
    await syncKnowledge({ deps, input: { bundle } });
    const keys = await createTestKeys(deps);
    const call = client(createApp(deps));
    const view = (await call("GET", "/v1/knowledge/scripts/shebao-card-lost", keys.editor)).body as {
      latest: Record<string, unknown>;
    };
    const {
      versionId,
      itemId,
      version,
      state,
      contentHash,
      source,
      author,
      authorPerson,
      baseVersion,
      changeNote,
      reviewer,
      reviewerPerson,
      reviewComment,
      reviewedAt,
      createdAt,
      ...content
    } = view.latest;
    await call("PUT", "/v1/knowledge/scripts/shebao-card-lost", keys.editor, {
      baseVersion: 1,
      content: { ...content, answer: "您好，导出测试的新口径。" },
    });
    await call("POST", "/v1/knowledge/scripts/shebao-card-lost/versions/2/review", keys.reviewer, {
      decision: "approve",
    });
    const created = await call("POST", "/v1/knowledge/scripts", keys.editor, {
      ...content,
      id: "shebao-card-new-via-api",
      title: "社保卡新规",
      question: "社保卡新规是什么？",
      variants: ["社保卡有咩新规", "社保卡新规定", "社保卡政策有变化吗"],
    });
    expect(created.status, created.text).toBe(201);
    await call("POST", "/v1/knowledge/scripts/shebao-card-new-via-api/versions/1/review", keys.reviewer, {
      decision: "approve",
    });

    const exported = await exportKnowledge({ deps });
    const report = writeScripts(dir, exported.scripts, exported.retired);
    expect(report).toMatchObject({ updated: 1, added: 1, removed: 0 });
    const rewritten = readFileSync(join(dir, "scripts", "fixture.yaml"), "utf8");
    expect(rewritten.startsWith(header)).toBe(true);
    expect(rewritten).toContain("您好，导出测试的新口径。");
    expect(readFileSync(join(dir, "scripts", EDITOR_ADDED_FILE), "utf8")).toContain(
      "shebao-card-new-via-api",
    );

    const reloaded = loadKnowledge(dir);
    expect(reloaded.issues).toEqual([]);
    const sync = await syncKnowledge({
      deps,
      input: { bundle: { ...bundle, scripts: reloaded.bundle.scripts }, force: true },
    });
    expect(sync.scripts).toMatchObject({ created: 0, updated: 0, retired: 0, unchanged: 5 });
    expect(writeScripts(dir, exported.scripts, exported.retired).filesChanged).toEqual([]);
  });
});
