import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppDeps } from "#api/env";
import { scriptContent } from "#domain/knowledge/passages";
import type { ScriptContent } from "#domain/knowledge/repository";
import { RateLimiter } from "#domain/rate-limit";
import { createPrometheusTelemetry } from "#infra/telemetry";
import { importCases } from "#services/import-cases";
import { applyRetention } from "#services/retention";
import { createApp } from "../../../src/app";
import { fixtureCases } from "../../fixtures/cases";
import { DATABASE_KINDS, type openTestDatabase } from "../../helpers/databases";
import { FixedClock } from "../../helpers/fakes";
import { openFixtureApp } from "../../helpers/fixture-app";
import { client, type TestKeys } from "../../helpers/keys";

type Role = "agent" | "editor" | "reviewer" | "evaluator" | "admin";
const ROLES: Role[] = ["agent", "editor", "reviewer", "evaluator", "admin"];

/** Every protected route with the roles it declares (admin may always call). */
const ROUTES: { method: string; path: string; body?: unknown; roles: Role[] }[] = [
  { method: "POST", path: "/v1/suggest", body: { text: "社保卡丢了" }, roles: ["agent"] },
  {
    method: "POST",
    path: "/v1/knowledge/search",
    body: { query: "社保卡" },
    roles: ["agent", "editor", "reviewer", "evaluator"],
  },
  { method: "GET", path: "/v1/knowledge/scripts/shebao-card-lost", roles: ["agent", "editor", "reviewer"] },
  { method: "GET", path: "/v1/knowledge/scripts/shebao-card-lost/versions", roles: ["editor", "reviewer"] },
  { method: "GET", path: "/v1/knowledge/review-queue", roles: ["editor", "reviewer"] },
  { method: "GET", path: "/v1/knowledge/expiring?days=30", roles: ["editor", "reviewer"] },
  { method: "GET", path: "/v1/knowledge/export", roles: ["editor", "reviewer"] },
  { method: "GET", path: "/v1/knowledge/gaps", roles: ["editor", "reviewer"] },
  {
    method: "POST",
    path: "/v1/knowledge/scripts/shebao-card-lost/retire",
    body: { reason: "test" },
    roles: ["reviewer"],
  },
  { method: "GET", path: "/v1/knowledge/hit-tests", roles: ["editor", "reviewer", "evaluator"] },
  { method: "GET", path: "/v1/catalogue", roles: ["agent", "editor", "reviewer", "evaluator"] },
  { method: "GET", path: "/v1/keys", roles: [] },
  { method: "GET", path: "/v1/audit", roles: [] },
  { method: "GET", path: "/v1/audit/verify", roles: [] },
  {
    method: "POST",
    path: "/v1/dispatch-events",
    body: { kind: "returned", fromDepartment: "rsj", reason: "x" },
    roles: ["agent", "reviewer"],
  },
  { method: "GET", path: "/v1/crisis", roles: ["agent", "editor", "reviewer", "evaluator"] },
  { method: "PUT", path: "/v1/admin/crisis", body: { active: false, reason: "test" }, roles: [] },
  { method: "GET", path: "/v1/calendar", roles: ["agent", "editor", "reviewer", "evaluator"] },
  // An invalid year: the admin gets 400 and nothing is written.
  { method: "PUT", path: "/v1/admin/calendar/2027", body: { notice: "x", holidays: [] }, roles: [] },
  { method: "GET", path: "/v1/models", roles: ["evaluator"] },
  { method: "GET", path: "/v1/jobs", roles: ["evaluator"] },
  // Nothing promoted: the admin gets 409 and nothing changes.
  { method: "POST", path: "/v1/models/rollback", body: {}, roles: [] },
  { method: "POST", path: "/v1/models/no-such-version/promote", body: {}, roles: [] },
];

describe.each(DATABASE_KINDS)("access, limits and hostile input on %s", (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let deps: AppDeps;
  let keys: TestKeys;
  let call: ReturnType<typeof client>;

  beforeAll(async () => {
    ({ database, deps, keys, call } = await openFixtureApp(kind, {
      telemetry: createPrometheusTelemetry(),
      clock: new FixedClock(new Date("2026-03-02T09:00:00+08:00")),
    }));
    await importCases({ deps, input: { rows: fixtureCases(), source: "seed" }, actor: { name: "test" } });
  });
  afterAll(async () => {
    await database.drop();
  });

  it("answers every protected route with 401 without a key, 403 for a wrong role, and lets the right roles in", async () => {
    const failures: string[] = [];
    for (const route of ROUTES) {
      const anonymous = await call(route.method, route.path, null, route.body);
      if (anonymous.status !== 401 || anonymous.body.error?.code !== "UNAUTHORIZED")
        failures.push(`anonymous ${route.path}: ${anonymous.status}`);
      const bogus = await call(route.method, route.path, "hk_not-a-real-key", route.body);
      if (bogus.status !== 401) failures.push(`bogus key ${route.path}: ${bogus.status}`);
      for (const role of ROLES) {
        const allowed = role === "admin" || route.roles.includes(role);
        const response = await call(route.method, route.path, keys[role], route.body);
        const denied = response.status === 403 && response.body.error?.code === "FORBIDDEN";
        if (allowed === denied || response.status === 401 || response.status >= 500) {
          failures.push(
            `${role} ${route.method} ${route.path}: ${response.status} (${allowed ? "should pass" : "should be 403"})`,
          );
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("never lets a revoked or expired key in", async () => {
    const create = await call("POST", "/v1/keys", keys.admin, { name: "short-lived", role: "agent" });
    expect(create.status, create.text).toBe(201);
    const { key, record } = create.body as { key: string; record: { id: number } };
    expect((await call("POST", "/v1/knowledge/search", key, { query: "社保" })).status).toBe(200);
    expect((await call("POST", `/v1/keys/${record.id}/revoke`, keys.admin)).status).toBe(200);
    expect((await call("POST", "/v1/knowledge/search", key, { query: "社保" })).status).toBe(401);
    const listed = await call("GET", "/v1/keys", keys.admin);
    expect(JSON.stringify(listed.body)).not.toContain(key);
  });

  it("rate-limits per key with 429 and Retry-After", async () => {
    const limited = client(createApp({ ...deps, rateLimiter: new RateLimiter({ perMinute: 60, burst: 3 }) }));
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const response = await limited("POST", "/v1/knowledge/search", keys.agent, { query: "社保" });
      statuses.push(response.status);
      if (response.status === 429) {
        retryAfter = response.headers.get("retry-after");
        expect(response.body.error?.code).toBe("RATE_LIMITED");
      }
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it("exposes Prometheus metrics", async () => {
    await call("POST", "/v1/suggest", keys.agent, { text: "社保卡丢了怎么补办" });
    const response = await createApp(deps).request("/metrics");
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/v1\/suggest"/);
    expect(text).toMatch(/suggest_confidence_band_total\{head="department",band="(high|medium|low)"\}/);
    expect(text).toContain("classifier_model_info");
    expect(text).toContain("embedding_queue_depth");
  });

  it("lets exactly one of 20 concurrent edits of the same version win; the rest get 409 and nothing is lost", async () => {
    const view = (await call("GET", "/v1/knowledge/scripts/housing-property-fee", keys.editor)).body as {
      item: { latestVersion: number };
      latest: Record<string, unknown>;
    };
    const base = view.item.latestVersion;
    const content = scriptContent(view.latest as unknown as ScriptContent);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        call("PUT", "/v1/knowledge/scripts/housing-property-fee", index % 2 ? keys.editor : keys.editor2, {
          baseVersion: base,
          content: { ...content, answer: `您好，并发编辑 ${index}。` },
        }),
      ),
    );
    const statuses = results.map((result) => result.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);
    const history = await call("GET", "/v1/knowledge/scripts/housing-property-fee/versions", keys.editor);
    expect((history.body.versions as unknown[]).length).toBe(base + 1);
  });

  it("survives 1,000 generated hostile bodies on every route: no 5xx, the one error shape", async () => {
    const app = createApp(deps);
    const json = fc.jsonValue({ maxDepth: 4 });
    const hostileString = fc.oneof(
      fc.string({ maxLength: 50 }),
      fc.string({ unit: "grapheme", maxLength: 50 }),
      fc.constantFrom(
        "-".repeat(33),
        "'; drop table cases; --",
        "\\",
        "\u0000",
        "😀".repeat(20),
        "长".repeat(6000),
      ),
    );
    const body = fc.oneof(
      json,
      fc.record(
        {
          text: hostileString,
          query: hostileString,
          limit: fc.oneof(fc.integer(), fc.string()),
          extra: json,
        },
        { requiredKeys: [] },
      ),
      hostileString.map((text) => `{"text": ${JSON.stringify(text)}`),
      fc.constant("{"),
      fc.constant(""),
    );
    const targets = ROUTES.map((route) => route.path.split("?")[0] ?? route.path).concat([
      "/v1/suggestions/00000000-0000-4000-8000-000000000000/feedback",
      "/v1/knowledge/scripts",
      "/v1/knowledge/hit-tests",
    ]);
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...targets),
        fc.constantFrom("POST", "PUT"),
        body,
        async (path, method, payload) => {
          const response = await app.request(path, {
            method,
            headers: { "content-type": "application/json", authorization: `Bearer ${keys.admin}` },
            body: typeof payload === "string" ? payload : JSON.stringify(payload),
          });
          const text = await response.text();
          if (response.status >= 500)
            failures.push(`${method} ${path} → ${response.status}: ${text.slice(0, 200)}`);
          if (response.status >= 400) {
            const parsed = JSON.parse(text) as {
              error?: { code?: string; message?: string; requestId?: string };
            };
            if (!parsed.error?.code || !parsed.error.message || !parsed.error.requestId)
              failures.push(`${path}: bad error shape ${text.slice(0, 100)}`);
          }
        },
      ),
      { numRuns: 1000, seed: 12345 },
    );
    expect(failures.slice(0, 5)).toEqual([]);
    expect((await call("POST", "/v1/knowledge/search", keys.agent, { query: "社保卡" })).status).toBe(200);
  });

  it("deletes suggestion texts after the retention period", async () => {
    const made = await call("POST", "/v1/suggest", keys.agent, { text: "我电话13912345678，物业乱收费" });
    const { id } = made.body as { id: string };
    expect((await deps.suggestions.get(id))?.text).toContain("[手机号]");
    const clock = deps.clock as FixedClock;
    clock.set(new Date("2026-06-01T09:00:00+08:00"));
    expect((await applyRetention({ deps, input: { days: 180 } })).suggestions).toBe(0);
    clock.set(new Date("2026-10-01T09:00:00+08:00"));
    expect((await applyRetention({ deps, input: { days: 180 } })).suggestions).toBeGreaterThan(0);
    expect((await deps.suggestions.get(id))?.text).toBeNull();
    clock.set(new Date("2026-03-02T09:00:00+08:00"));
  });
});
