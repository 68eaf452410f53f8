import { describe, expect, it } from "vitest";
import { RateLimiter } from "#domain/rate-limit";
import { buildTestApp, expectErrorShape } from "../../helpers/test-app";

/** What @hono/node-server hands the app: the socket the request came on. */
const from = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });
const ORIGIN = "http://localhost";

function loginForm(body: string) {
  return {
    method: "POST",
    headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
    body,
  };
}

describe("request limits", () => {
  describe("page routes (review #13)", () => {
    it("refuses a login body of more than a few KB with 413, before reading it", async () => {
      const app = buildTestApp();
      const response = await app.request(`${ORIGIN}/login`, loginForm(`key=hk_${"a".repeat(20_000)}`));
      await expectErrorShape(response, 413, "PAYLOAD_TOO_LARGE");
    });

    it("refuses a large logout body too, and still lets a normal login form through", async () => {
      const app = buildTestApp();
      const logout = await app.request(`${ORIGIN}/logout`, loginForm(`csrf=${"x".repeat(9000)}`));
      await expectErrorShape(logout, 413, "PAYLOAD_TOO_LARGE");
      const login = await app.request(`${ORIGIN}/login`, loginForm("key=&next=%2Fconsole"));
      expect(login.status).toBe(401);
    });
  });

  describe("pre-authentication limit per client address (review #16/#20)", () => {
    it("answers 429 once an address has spent its failed authentications; other addresses are unaffected", async () => {
      const app = buildTestApp({ addressLimiter: new RateLimiter({ perMinute: 60, burst: 3 }) });
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const response = await app.request("/v1/catalogue", {}, from("10.0.0.7"));
        await expectErrorShape(response, 401, "UNAUTHORIZED");
      }
      const limited = await app.request("/v1/catalogue", {}, from("10.0.0.7"));
      await expectErrorShape(limited, 429, "RATE_LIMITED");
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      // The login form from the same address is limited as well.
      const login = await app.request(`${ORIGIN}/login`, loginForm("key=hk_wrong"), from("10.0.0.7"));
      await expectErrorShape(login, 429, "RATE_LIMITED");
      const other = await app.request("/v1/catalogue", {}, from("10.0.0.8"));
      await expectErrorShape(other, 401, "UNAUTHORIZED");
    });

    it("public routes are not charged", async () => {
      const app = buildTestApp({ addressLimiter: new RateLimiter({ perMinute: 60, burst: 1 }) });
      for (let attempt = 0; attempt < 5; attempt += 1) {
        expect((await app.request("/healthz", {}, from("10.0.0.9"))).status).toBe(200);
      }
      await expectErrorShape(await app.request("/v1/catalogue", {}, from("10.0.0.9")), 401, "UNAUTHORIZED");
    });
  });

  describe("/docs (review #20)", () => {
    it("is rendered by the server with no script and a strict CSP (works offline)", async () => {
      const app = buildTestApp();
      const response = await app.request("/docs");
      expect(response.status).toBe(200);
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toMatch(/https?:/);
      const html = await response.text();
      expect(html).not.toMatch(/<script|cdn\.|jsdelivr|unpkg/i);
      expect(html).toContain("/v1/suggest");
      expect(html).toContain("/v1/knowledge/hit-tests");
      expect(html).toContain('id="schema-Error"');
    });
  });
});
