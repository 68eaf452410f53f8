import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClassifierCheck, createFileClassifierStore } from "#infra/classifier-store";
import { importCases } from "#services/import-cases";
import { trainClassifier } from "#services/train-classifier";
import { createApp } from "../../../src/app";
import { fixtureCases } from "../../fixtures/cases";
import { DATABASE_KINDS } from "../../helpers/databases";
import { type FixtureApp, openFixtureApp } from "../../helpers/fixture-app";
import { client } from "../../helpers/keys";

const SMALL_TRAINING = { internalFolds: 2, minExamplesPerHead: 10 };
const TEXT = { text: "公司拖欠工资三个月，老板电话打不通，想问去哪里投诉" };

/** A newer version folder whose model.json was cut off half-way (a copy or a disk that failed). */
function writeTruncatedNewerVersion(dir: string, good: string): string {
  const bad = good.replace(/^\d{4}/, "2999");
  mkdirSync(join(dir, bad), { recursive: true });
  const model = readFileSync(join(dir, good, "model.json"), "utf8");
  writeFileSync(join(dir, bad, "model.json"), model.slice(0, Math.floor(model.length / 2)));
  cpSync(join(dir, good, "metrics.json"), join(dir, bad, "metrics.json"));
  return bad;
}

describe.each(DATABASE_KINDS)("a corrupt newest classifier on %s (review #19)", (kind) => {
  const dir = mkdtempSync(join(tmpdir(), "classifiers-"));
  const invalid: string[] = [];
  const store = createFileClassifierStore(dir, { onInvalid: (version) => invalid.push(version) });
  let fixture: FixtureApp;
  let good = "";
  let bad = "";

  beforeAll(async () => {
    fixture = await openFixtureApp(kind, { classifiers: store, readiness: [createClassifierCheck(store)] });
    await importCases({
      deps: fixture.deps,
      input: { rows: fixtureCases(), source: "seed" },
      actor: { name: "test" },
    });
    ({
      artifact: { version: good },
    } = await trainClassifier({ deps: fixture.deps, actor: { name: "test" }, options: SMALL_TRAINING }));
    expect((await store.current())?.version).toBe(good);
    bad = writeTruncatedNewerVersion(dir, good);
  });
  afterAll(async () => {
    await fixture.database.drop();
  });

  it("a server starting with it serves the last good version: suggest 200, /readyz names the bad one", async () => {
    const restartedInvalid: string[] = [];
    const restarted = createFileClassifierStore(dir, {
      onInvalid: (version) => restartedInvalid.push(version),
    });
    const app = createApp({
      ...fixture.deps,
      classifiers: restarted,
      readiness: [createClassifierCheck(restarted)],
    });
    const call = client(app);
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const response = await call("POST", "/v1/suggest", fixture.keys.agent, TEXT);
      expect(response.status, response.text).toBe(200);
    }
    expect((await restarted.current())?.version).toBe(good);
    expect(restartedInvalid).toEqual([bad]);

    const ready = await call("GET", "/readyz", null);
    expect(ready.status, ready.text).toBe(200);
    const check = (
      ready.body as { checks: { name: string; ok: boolean; advisory?: boolean; detail?: string }[] }
    ).checks.find((entry) => entry.name === "classifier");
    expect(check).toMatchObject({ ok: false, advisory: true });
    expect(check?.detail).toContain(`serving ${good}`);
    expect(check?.detail).toContain(bad);
  });

  it("a running server keeps serving the loaded version when a bad one appears (reload check included)", async () => {
    // The store looks for newer versions every 5 s.
    await new Promise((resolve) => setTimeout(resolve, 5200));
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const response = await fixture.call("POST", "/v1/suggest", fixture.keys.agent, TEXT);
      expect(response.status, response.text).toBe(200);
    }
    expect((await store.current())?.version).toBe(good);
    // Reported once, not on every reload check.
    expect(invalid).toEqual([bad]);
  });
});
