import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KnowledgeRepository, SearchOptions } from "#domain/knowledge/repository";
import { searchTerms } from "#domain/text/normalize";
import { chinaDate, searchKnowledge } from "#services/search-knowledge";
import { syncKnowledge } from "#services/sync-knowledge";
import { fixtureBundle } from "../../fixtures/knowledge-bundle";
import { DATABASE_KINDS, openTestDatabase } from "../../helpers/databases";
import { buildIntegrationDeps } from "../../helpers/integration-deps";

const QUERIES = ["社保卡丢了怎么补办", "楼下烧烤店油烟很大", "公积金提取", "没有任何匹配的词语xyz"];

describe.each(DATABASE_KINDS)("one round trip for the suggest call's search on %s", (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let deps: ReturnType<typeof buildIntegrationDeps>;
  let options: SearchOptions;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const bundle = fixtureBundle();
    deps = buildIntegrationDeps(database, bundle);
    await syncKnowledge({ deps, input: { bundle } });
    options = { limit: 10, filters: {}, today: chinaDate(deps.clock.now()) };
  });
  afterAll(async () => {
    await database.drop();
  });

  it("returns what the three separate queries return, in the same order", async () => {
    const { knowledge } = deps;
    expect(knowledge.hybridSearch).toBeTypeOf("function");
    let found = 0;
    let foundByText = 0;
    for (const query of QUERIES) {
      const [vector] = await deps.embedder.embed([query]);
      if (!vector) throw new Error("no vector");
      const terms = searchTerms(deps.segmenter.cutForSearch(query), deps.lexicon.stopWords);
      const together = await knowledge.hybridSearch?.(vector, terms, options);
      const vectorHits = await knowledge.vectorSearch(vector, options);
      const fulltextHits = await knowledge.fulltextSearch(terms, options);
      const items = [...new Set([...vectorHits, ...fulltextHits].map((hit) => hit.itemId))];
      const versions = await knowledge.publishedVersions(items);

      const rounded = (hits: { itemId: string; score: number; matchedText: string }[]) =>
        hits.map((hit) => ({ ...hit, score: Math.round(hit.score * 1e5) / 1e5 }));
      expect(rounded(together?.vector ?? []), query).toEqual(rounded(vectorHits));
      expect(rounded(together?.fulltext ?? []), query).toEqual(rounded(fulltextHits));
      expect(
        (together?.versions ?? []).map((version) => [version.itemId, version.version, version.answer]).sort(),
      ).toEqual(versions.map((version) => [version.itemId, version.version, version.answer]).sort());
      found += vectorHits.length;
      foundByText += fulltextHits.length;
    }
    expect(found).toBeGreaterThan(0);
    expect(foundByText).toBeGreaterThan(0);
  });

  it("gives searchKnowledge the same results with and without it", async () => {
    const { hybridSearch: _one, ...rest } = deps.knowledge;
    const separate: KnowledgeRepository = rest;
    for (const query of QUERIES) {
      const input = { query, limit: 5 };
      const together = await searchKnowledge({ deps, input });
      const apart = await searchKnowledge({ deps: { ...deps, knowledge: separate }, input });
      expect(together.results.map((result) => [result.id, result.version, result.answer])).toEqual(
        apart.results.map((result) => [result.id, result.version, result.answer]),
      );
    }
  });
});
