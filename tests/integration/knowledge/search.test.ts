import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unstorableText } from "#domain/values";
import { syncKnowledge } from "#services/sync-knowledge";
import { createApp } from "../../../src/app";
import { hostileQueries } from "../../fixtures/hostile-queries";
import { fixtureBundle } from "../../fixtures/knowledge-bundle";
import { DATABASE_KINDS, openTestDatabase } from "../../helpers/databases";
import { buildIntegrationDeps } from "../../helpers/integration-deps";
import { createTestKeys } from "../../helpers/keys";

interface SearchBody {
  results: { id: string; signals: { vector: number | null; fulltext: number | null; fused: number } }[];
}

describe.each(DATABASE_KINDS)("POST /v1/knowledge/search on %s", (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let app: ReturnType<typeof createApp>;
  let headers: Record<string, string>;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const bundle = fixtureBundle();
    const deps = buildIntegrationDeps(database, bundle);
    await syncKnowledge({ deps, input: { bundle } });
    app = createApp(deps);
    const keys = await createTestKeys(deps);
    headers = { "content-type": "application/json", authorization: `Bearer ${keys.agent}` };
  });
  afterAll(async () => {
    await database.drop();
  });

  const search = async (body: unknown) => {
    const response = await app.request("/v1/knowledge/search", {
      method: "POST",
      headers,
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as SearchBody };
  };

  it("finds the script through a colloquial variant and a synonym, with per-signal scores", async () => {
    const { status, body } = await search({ query: "医保卡丢了", limit: 3 });
    expect(status).toBe(200);
    expect(body.results[0]?.id).toBe("shebao-card-lost");
    expect(body.results[0]?.signals.fulltext).toBeGreaterThan(0);
    expect(body.results[0]?.signals.vector).not.toBeNull();
  });

  it("never surfaces an expired script", async () => {
    const { body } = await search({ query: "走鬼乱摆卖堵路", limit: 10 });
    expect(body.results.map((result) => result.id)).not.toContain("urban-street-vendor-2023-campaign");
  });

  it("applies department, category and region filters", async () => {
    const byDepartment = await search({ query: "物业乱收费找谁", filters: { departments: ["rsj"] } });
    expect(byDepartment.body.results.every((result) => result.id !== "housing-property-fee")).toBe(true);
    const byCategory = await search({
      query: "物业乱收费找谁",
      filters: { category: ["城乡建设", "物业管理"] },
    });
    expect(byCategory.body.results.map((result) => result.id)).toEqual(["housing-property-fee"]);
    const otherDistrict = await search({ query: "物业乱收费找谁", filters: { region: "ydq" } });
    expect(otherDistrict.body.results.map((result) => result.id)).not.toContain("housing-property-fee");
    const sameDistrict = await search({ query: "物业乱收费找谁", filters: { region: "jcq" } });
    expect(sameDistrict.body.results[0]?.id).toBe("housing-property-fee");
  });

  it("rejects malformed requests with 400 in the one error shape", async () => {
    for (const body of [{}, { query: 42 }, { query: "x", limit: 0 }, { query: "x", unknown: true }]) {
      const response = await app.request("/v1/knowledge/search", {
        method: "POST",
        headers,
        body: JSON.stringify(body),
      });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("BAD_REQUEST");
    }
    const invalidJson = await app.request("/v1/knowledge/search", {
      method: "POST",
      headers,
      body: '{"query": "unterminated',
    });
    expect(invalidJson.status).toBe(400);
  });

  it(`answers ${hostileQueries().length} hostile queries without a 5xx`, async () => {
    const failures: string[] = [];
    for (const query of hostileQueries()) {
      const response = await app.request("/v1/knowledge/search", {
        method: "POST",
        headers,
        body: JSON.stringify({ query, limit: 5 }),
      });
      const body = (await response.json()) as { results?: unknown[]; error?: { code: string } };
      // Over-long input, a NUL or a lone surrogate is a 400 in the error shape; everything else is searched.
      const expected =
        query.length > 10_000 || unstorableText(query)
          ? body.error?.code === "BAD_REQUEST"
          : Array.isArray(body.results);
      if (response.status >= 500 || !expected) {
        failures.push(`${response.status}: ${JSON.stringify(query).slice(0, 80)}`);
      }
    }
    expect(failures).toEqual([]);
    expect((await search({ query: "医保卡丢了" })).status).toBe(200);
  });
});
