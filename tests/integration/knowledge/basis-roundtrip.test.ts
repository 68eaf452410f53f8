import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { CONTENT_FIELDS } from "#domain/knowledge/diff";
import { loadKnowledge } from "#infra/knowledge-fs/load-knowledge";
import { migrateBasisFiles } from "#infra/knowledge-fs/migrate-basis";
import { writeScripts } from "#infra/knowledge-fs/write-scripts";
import { exportKnowledge } from "#services/export-knowledge";
import { syncKnowledge } from "#services/sync-knowledge";
import { createApp } from "../../../src/app";
import { fixtureBundle } from "../../fixtures/knowledge-bundle";
import { DATABASE_KINDS, openTestDatabase } from "../../helpers/databases";
import { buildIntegrationDeps } from "../../helpers/integration-deps";
import { client, createTestKeys } from "../../helpers/keys";

const VERIFIED = {
  document: "社会保险法",
  number: "中华人民共和国主席令第三十五号",
  clause: "第五十八条",
  issuer: "全国人民代表大会常务委员会",
  url: "https://www.gov.cn/flfg/2010-10/28/content_1732964.htm",
  checkedAt: "2026-11-30",
};

describe.each(DATABASE_KINDS)("structured policy basis on %s (issue #14)", (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database.drop();
  });

  it("reads a legacy text conservatively, lists it as 待核实, and round-trips the editor's fields through export and sync", async () => {
    // A knowledge folder written before issue #14: the basis is a free text.
    const dir = mkdtempSync(join(tmpdir(), "knowledge-basis-"));
    mkdirSync(join(dir, "scripts"));
    const legacy = fixtureBundle().scripts.map((script) => ({
      ...script,
      basis: script.id === "shebao-card-lost" ? "《中华人民共和国社会保险法》第五十八条" : "",
    }));
    writeFileSync(join(dir, "scripts", "fixture.yaml"), YAML.stringify(legacy));
    copyFileSync("knowledge/rules.yaml", join(dir, "rules.yaml"));
    const first = loadKnowledge(dir);
    expect(first.issues).toEqual([]);
    const bundle = { ...fixtureBundle(), scripts: first.bundle.scripts };

    const deps = buildIntegrationDeps(database, bundle);
    await syncKnowledge({ deps, input: { bundle } });
    const keys = await createTestKeys(deps);
    const call = client(createApp(deps));
    const view = (await call("GET", "/v1/knowledge/scripts/shebao-card-lost", keys.editor)).body as {
      latest: Record<string, unknown> & { basis: unknown };
    };
    // Document and clause only: no 发文字号, issuer or date is guessed.
    expect(view.latest.basis).toEqual({
      document: "中华人民共和国社会保险法",
      number: "",
      clause: "第五十八条",
      issuer: "",
      url: "",
      checkedAt: null,
    });
    const review = async () =>
      (
        (await call("GET", "/v1/knowledge/basis-review", keys.editor)).body as {
          scripts: { id: string; missing: string[] }[];
        }
      ).scripts;
    expect((await review()).find((entry) => entry.id === "shebao-card-lost")?.missing).toEqual([
      "number",
      "issuer",
      "checkedAt",
    ]);
    expect((await review()).map((entry) => entry.id)).toHaveLength(bundle.scripts.length);

    // The editor fills the verified parts; a reviewer approves (and so publishes) it.
    const { basis: _old, ...content } = pick(view.latest);
    const edited = await call("PUT", "/v1/knowledge/scripts/shebao-card-lost", keys.editor, {
      baseVersion: 1,
      content: { ...content, basis: VERIFIED },
    });
    expect(edited.status, edited.text).toBe(200);
    const approved = await call(
      "POST",
      "/v1/knowledge/scripts/shebao-card-lost/versions/2/review",
      keys.reviewer,
      { decision: "approve" },
    );
    expect(approved.status, approved.text).toBe(200);
    expect((await review()).some((entry) => entry.id === "shebao-card-lost")).toBe(false);
    const search = (await call("POST", "/v1/knowledge/search", keys.agent, { query: "社保卡丢了去哪里补" }))
      .body as { results: { id: string; basis: unknown }[] };
    expect(search.results.find((result) => result.id === "shebao-card-lost")?.basis).toEqual(VERIFIED);

    // Export writes the mapping into the files; the files load to the same basis; a sync is no change.
    const exported = await exportKnowledge({ deps });
    writeScripts(dir, exported.scripts, exported.retired);
    const written = YAML.parse(readFileSync(join(dir, "scripts", "fixture.yaml"), "utf8")) as {
      id: string;
      basis: unknown;
    }[];
    expect(written.find((entry) => entry.id === "shebao-card-lost")?.basis).toEqual(VERIFIED);
    // Untouched entries keep their legacy text until knowledge:migrate-basis, which leaves the
    // exported mapping alone and changes nothing when run again.
    const migrated = migrateBasisFiles(dir);
    expect(migrated.alreadyStructured).toBe(1);
    expect(migrateBasisFiles(dir)).toMatchObject({ converted: 0, filesChanged: [] });
    const reloaded = loadKnowledge(dir);
    expect(reloaded.issues).toEqual([]);
    expect(reloaded.bundle.scripts.find((script) => script.id === "shebao-card-lost")?.basis).toEqual(
      VERIFIED,
    );
    const sync = await syncKnowledge({
      deps,
      input: { bundle: { ...bundle, scripts: reloaded.bundle.scripts }, force: true },
    });
    expect(sync.scripts).toMatchObject({ created: 0, updated: 0, retired: 0 });
    const after = (await call("GET", "/v1/knowledge/scripts/shebao-card-lost", keys.editor)).body as {
      latest: { version: number; basis: unknown };
    };
    expect(after.latest).toMatchObject({ version: 2, basis: VERIFIED });
  });
});

/** The content fields of a version view (what PUT takes). */
function pick(version: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(CONTENT_FIELDS.map((field) => [field, version[field]]));
}
