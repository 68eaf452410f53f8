import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KnowledgeRepository, SearchOptions } from "#domain/knowledge/repository";
import { DEFAULT_FUSION, fuseRankings } from "#domain/retrieval/fusion";
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
    // Copies under other ids: more scripts match a query than a one-result page reads versions for.
    bundle.scripts.push(
      ...bundle.scripts
        .filter((script) => !script.validTo)
        .flatMap((script) =>
          [1, 2, 3].map((copy) => ({
            ...script,
            id: `${script.id}-${copy}`,
            title: `${script.title}（${copy}）`,
          })),
        ),
    );
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
    let fewerThanFound = false;
    for (const query of QUERIES) {
      const [vector] = await deps.embedder.embed([query]);
      if (!vector) throw new Error("no vector");
      const terms = searchTerms(deps.segmenter.cutForSearch(query), deps.lexicon.stopWords);
      const together = await knowledge.hybridSearch?.(vector, terms, options, DEFAULT_FUSION);
      const vectorHits = await knowledge.vectorSearch(vector, options);
      const fulltextHits = await knowledge.fulltextSearch(terms, options);
      const items = [...new Set([...vectorHits, ...fulltextHits].map((hit) => hit.itemId))];
      const versions = await knowledge.publishedVersions(items);

      // A one-result page: the versions of the 3 items its fusion ranks first, the first among them.
      const small = await knowledge.hybridSearch?.(vector, terms, { ...options, limit: 1 }, DEFAULT_FUSION);
      const first = fuseRankings(
        { vector: small?.vector ?? [], fulltext: small?.fulltext ?? [] },
        DEFAULT_FUSION,
      )
        .slice(0, 1)
        .map((hit) => hit.itemId);
      const returned = (small?.versions ?? []).map((version) => version.itemId);
      expect(returned, query).toEqual(expect.arrayContaining(first));
      expect(returned.length, query).toBeLessThanOrEqual(3);
      const foundSmall = new Set(
        [...(small?.vector ?? []), ...(small?.fulltext ?? [])].map((hit) => hit.itemId),
      );
      fewerThanFound ||= returned.length < foundSmall.size;

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
    expect(fewerThanFound).toBe(true);
  });

  it("gives searchKnowledge the same results with and without it", async () => {
    const { hybridSearch: _one, ...rest } = deps.knowledge;
    const separate: KnowledgeRepository = rest;
    // Small pages: the hybrid search reads few versions, so a result it missed must be read apart.
    for (const [query, limit] of QUERIES.flatMap((query) =>
      [1, 2, 5].map((limit) => [query, limit] as const),
    )) {
      const input = { query, limit };
      const together = await searchKnowledge({ deps, input });
      const apart = await searchKnowledge({ deps: { ...deps, knowledge: separate }, input });
      expect(together.results.map((result) => [result.id, result.version, result.answer])).toEqual(
        apart.results.map((result) => [result.id, result.version, result.answer]),
      );
    }
  });
});
