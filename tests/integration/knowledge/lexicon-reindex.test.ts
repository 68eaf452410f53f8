import nodejieba from "nodejieba";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppDeps } from "#api/env";
import type { KnowledgeBundle } from "#domain/knowledge/schema";
import { searchKnowledge } from "#services/search-knowledge";
import { syncKnowledge } from "#services/sync-knowledge";
import { fixtureBundle, script } from "../../fixtures/knowledge-bundle";
import { DATABASE_KINDS, type DatabaseKind, openTestDatabase } from "../../helpers/databases";
import { buildIntegrationDeps } from "../../helpers/integration-deps";

/**
 * A dictionary change re-cuts the indexed passages (issue #14). jieba's dictionary is
 * process-wide (the server reloads it on restart), so this file stands for the restart by
 * inserting the word into jieba after both databases were indexed with the old dictionary.
 */
// A word knowledge/dict does not have (揸车 itself was added there since); the index cuts it in two.
const NEW_WORD = "嗱车";
const driving = script({
  id: "driving-licence-renew",
  title: "驾驶证到期换证",
  question: "驾驶证有效期满了怎么换证？",
  variants: ["我嗱车点搞换证", "驾照到期去哪里换", "驾驶证过期了怎么处理"],
  departments: ["rsj"],
});

function bundleWith(dictionary: string[]): KnowledgeBundle {
  const bundle = fixtureBundle();
  bundle.scripts = [...bundle.scripts, driving];
  bundle.userDictionary = dictionary;
  return bundle;
}

const opened = new Map<
  DatabaseKind,
  { database: Awaited<ReturnType<typeof openTestDatabase>>; deps: AppDeps }
>();

beforeAll(async () => {
  const before = bundleWith([]);
  for (const kind of DATABASE_KINDS) {
    const database = await openTestDatabase(kind);
    const deps = buildIntegrationDeps(database, before);
    await syncKnowledge({ deps, input: { bundle: before } });
    opened.set(kind, { database, deps });
  }
  // The dictionary file gains the word; the restarted server's jieba knows it.
  nodejieba.insertWord(NEW_WORD);
});

afterAll(async () => {
  for (const { database } of opened.values()) await database.drop();
});

describe.each(DATABASE_KINDS)("a lexicon change on %s", (kind) => {
  const lexicalHit = async (deps: AppDeps) => {
    const { results, terms } = await searchKnowledge({ deps, input: { query: NEW_WORD, limit: 10 } });
    expect(terms).toEqual([NEW_WORD]);
    return results.find((result) => result.id === driving.id)?.signals.fulltext ?? null;
  };

  it("re-tokenises the indexed passages at the next sync, keeping their embeddings", async () => {
    const entry = opened.get(kind);
    if (!entry) throw new Error(`${kind} was not opened`);
    // Stale index: the passage was cut as 嗱 / 车 with the old dictionary.
    expect(await lexicalHit(entry.deps)).toBeNull();

    const after = bundleWith([`${NEW_WORD} 100 v`]);
    const deps = buildIntegrationDeps(entry.database, after);
    const report = await syncKnowledge({ deps, input: { bundle: after } });
    expect(await lexicalHit(deps)).toBeGreaterThan(0);
    expect(report.scripts).toMatchObject({ created: 0, updated: 0, retokenised: after.scripts.length });
    expect(report.passagesEmbedded).toBe(0);

    // The same lexicon again is no change.
    expect((await syncKnowledge({ deps, input: { bundle: after } })).changed).toBe(false);
  });
});
