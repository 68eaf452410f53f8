import { describe, expect, it } from "vitest";
import { createCalendarCheck } from "#infra/readiness";
import { buildTestApp, expectErrorShape } from "../../helpers/test-app";

describe("API basics", () => {
  describe("happy", () => {
    it("GET /healthz answers ok", async () => {
      const response = await buildTestApp().request("/healthz");
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: "ok" });
    });

    it("GET /readyz is 200 when every check passes", async () => {
      const response = await buildTestApp().request("/readyz");
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ ready: true, checks: [{ name: "fake", ok: true }] });
    });

    it("serves an OpenAPI 3.1 document that includes the error schema, and its HTML rendering", async () => {
      const app = buildTestApp();
      const document = (await (await app.request("/openapi.json")).json()) as {
        openapi: string;
        paths: Record<string, unknown>;
        components: { schemas: Record<string, unknown> };
      };
      expect(document.openapi).toBe("3.1.0");
      expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/healthz", "/readyz"]));
      const docs = await app.request("/docs");
      expect(docs.status).toBe(200);
      expect(await docs.text()).toContain('href="/openapi.json"');
    });

    it("echoes a sane X-Request-Id and invents one otherwise", async () => {
      const app = buildTestApp();
      const given = await app.request("/healthz", { headers: { "x-request-id": "call-42" } });
      expect(given.headers.get("x-request-id")).toBe("call-42");
      const hostile = await app.request("/healthz", {
        headers: { "x-request-id": "a b<script>alert(1)</script>" },
      });
      expect(hostile.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{16}$/);
    });
  });

  describe("error", () => {
    it("refuses a JSON body nested deeper than any route accepts, before parsing it", async () => {
      const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
      const response = await buildTestApp().request("/v1/suggest", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: `{"text":${deep}}`,
      });
      const error = await expectErrorShape(response, 400, "BAD_REQUEST");
      expect(error.message).toContain("5001 levels");
    });

    it("GET /readyz reports calendar coverage ending within 45 days without failing readiness", async () => {
      const source = { firstYear: 2004, lastYear: 2026, isWorkingDay: () => true };
      const app = buildTestApp({
        readiness: [
          createCalendarCheck(source, { list: async () => [] }, () => new Date("2026-12-02T09:00:00+08:00")),
        ],
      });
      const response = await app.request("/readyz");
      expect(response.status).toBe(200);
      const body = (await response.json()) as { ready: boolean; checks: { name: string; ok: boolean }[] };
      expect(body.ready).toBe(true);
      expect(body.checks[0]).toMatchObject({
        name: "calendar",
        ok: false,
        advisory: true,
        coveredThrough: "2026-12-31",
      });
    });

    it("GET /readyz is 503 when a check fails or throws", async () => {
      const app = buildTestApp({
        readiness: [
          { name: "database", check: async () => ({ ok: false, detail: "3 of 4 migrations applied" }) },
          {
            name: "model",
            check: async () => {
              throw new Error("model missing");
            },
          },
        ],
      });
      const response = await app.request("/readyz");
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        ready: false,
        checks: [
          { name: "database", ok: false, detail: "3 of 4 migrations applied" },
          { name: "model", ok: false, detail: "model missing" },
        ],
      });
    });

    it("answers an unknown route with 404 in the one error shape", async () => {
      const response = await buildTestApp().request("/v1/nothing-here", { method: "POST" });
      const error = await expectErrorShape(response, 404, "NOT_FOUND");
      expect(error.message).toContain("/v1/nothing-here");
      expect(response.headers.get("x-request-id")).toBe(error.requestId);
    });

    it("rejects a body over the limit with 413", async () => {
      const app = buildTestApp({ maxBodyBytes: 1024 });
      const response = await app.request("/v1/knowledge/search", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "长".repeat(2000) }),
      });
      await expectErrorShape(response, 413, "PAYLOAD_TOO_LARGE");
    });
  });
});
