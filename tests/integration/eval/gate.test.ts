import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncKnowledge } from "#services/sync-knowledge";
import { compareToBaseline, headline } from "../../../eval/lib/baseline";
import type { LabelledRow } from "../../../eval/lib/datasets";
import { evaluateClassification } from "../../../eval/lib/harness";
import type { Runtime } from "../../../src/bootstrap";
import { fixtureCases } from "../../fixtures/cases";
import { fixtureBundle } from "../../fixtures/knowledge-bundle";
import { openTestDatabase } from "../../helpers/databases";
import { buildIntegrationDeps } from "../../helpers/integration-deps";
import { MemoryClassifierStore } from "../../helpers/test-app";

function rows(cases: Record<string, unknown>[]): LabelledRow[] {
  return cases.map((raw, index) => ({
    line: index + 1,
    id: String(raw.id),
    text: String(raw.text),
    gold: [String(raw.department)],
    raw,
  }));
}

describe("the CI regression gate", () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let runtime: Runtime;

  beforeAll(async () => {
    database = await openTestDatabase("pglite");
    const bundle = fixtureBundle();
    const deps = buildIntegrationDeps(database, bundle, { classifiers: new MemoryClassifierStore() });
    await syncKnowledge({ deps, input: { bundle } });
    runtime = {
      deps,
      database,
      bundle,
      calendarYears: [],
      logger: pino({ level: "silent" }),
      close: async () => {},
    };
  });
  afterAll(async () => {
    await database.drop();
  });

  it("passes the model it was baselined on and fails a deliberately degraded one", async () => {
    const all = fixtureCases();
    const train = rows(all.filter((_, index) => index % 4 !== 0));
    const test = rows(all.filter((_, index) => index % 4 === 0));

    const good = await evaluateClassification(runtime, {
      task: "department",
      labelField: "department",
      train,
      test,
    });
    expect(good.macroF1).toBeGreaterThan(0.6);
    const baseline = { department: headline(good) };
    expect(compareToBaseline([good], baseline, 0.03).ok).toBe(true);

    // Degrade: train on rotated labels, so every department is learned as another one.
    const codes = ["rsj", "zjj", "cgj"];
    const degradedTrain = train.map((row) => {
      const wrong = codes[(codes.indexOf(String(row.raw.department)) + 1) % codes.length] ?? "rsj";
      return { ...row, gold: [wrong], raw: { ...row.raw, department: wrong } };
    });
    const degraded = await evaluateClassification(runtime, {
      task: "department",
      labelField: "department",
      train: degradedTrain,
      test,
    });
    const outcome = compareToBaseline([degraded], baseline, 0.03);
    expect(degraded.macroF1).toBeLessThan(good.macroF1 - 0.03);
    expect(outcome.ok).toBe(false);
    expect(outcome.lines[0]).toMatch(/^✗ department macroF1/);
  });
});
