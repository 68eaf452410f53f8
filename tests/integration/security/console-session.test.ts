import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppDeps } from "#api/env";
import { changeApiKey, hashKey } from "#services/access";
import { applyRetention } from "#services/retention";
import type { createApp } from "../../../src/app";
import { DATABASE_KINDS, type openTestDatabase } from "../../helpers/databases";
import { FixedClock } from "../../helpers/fakes";
import { openFixtureApp } from "../../helpers/fixture-app";
import type { TestKeys } from "../../helpers/keys";

const ORIGIN = "http://localhost";
const FORM = { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN };

describe.each(DATABASE_KINDS)("console login sessions and CSRF on %s", (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let deps: AppDeps;
  let keys: TestKeys;
  let app: ReturnType<typeof createApp>;
  const clock = new FixedClock(new Date("2026-03-02T09:00:00+08:00"));

  beforeAll(async () => {
    ({ database, deps, keys, app } = await openFixtureApp(kind, { clock }));
  });
  afterAll(() => database?.drop());

  /** Logs in through the form; returns the session cookie and the page's CSRF token. */
  async function login(key: string, next = "") {
    const response = await app.request("/login", {
      method: "POST",
      headers: FORM,
      body: new URLSearchParams({ key, next }).toString(),
    });
    const setCookie = response.headers.get("set-cookie") ?? "";
    const cookie = /hk_session=([^;]+)/.exec(setCookie)?.[1] ?? "";
    return { response, setCookie, cookie: `hk_session=${cookie}` };
  }

  async function csrfOf(cookie: string, path = "/console"): Promise<string> {
    const html = await (await app.request(path, { headers: { cookie } })).text();
    return /<meta name="csrf-token" content="([^"]+)"/.exec(html)?.[1] ?? "";
  }

  it("a valid key gets an httpOnly, SameSite=Strict cookie and lands on the role's page; the key is not in it", async () => {
    const { response, setCookie } = await login(keys.agent);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/console");
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toContain(keys.agent);
    // Over HTTPS (or behind a proxy that says so) the cookie is Secure too.
    const secure = await app.request("https://hotline.example/login", {
      method: "POST",
      headers: { ...FORM, origin: "https://hotline.example" },
      body: new URLSearchParams({ key: keys.agent }).toString(),
    });
    expect(secure.headers.get("set-cookie")).toMatch(/Secure/);
    expect((await login(keys.editor)).response.headers.get("location")).toBe("/editor");
    expect((await login(keys.evaluator)).response.headers.get("location")).toBe("/eval");
  });

  it("a bad key, a cross-site form and an open redirect are all refused", async () => {
    const bad = await login("hk_wrong-key-000000000000000000000");
    expect(bad.response.status).toBe(401);
    expect(bad.setCookie).toBe("");
    const crossSite = await app.request("/login", {
      method: "POST",
      headers: { ...FORM, origin: "https://evil.example" },
      body: new URLSearchParams({ key: keys.agent }).toString(),
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get("set-cookie")).toBeNull();
    for (const next of ["//evil.example/console", "https://evil.example", "/\\evil.example"]) {
      expect((await login(keys.agent, next)).response.headers.get("location")).toBe("/console");
    }
    expect((await login(keys.agent, "/console?x=1")).response.headers.get("location")).toBe("/console?x=1");
  });

  it("the cookie reads the API; writes need the page's CSRF token", async () => {
    const { cookie } = await login(keys.agent);
    const catalogue = await app.request("/v1/catalogue", { headers: { cookie } });
    expect(catalogue.status).toBe(200);
    const body = JSON.stringify({ text: "我的社保卡丢了怎么补办" });
    const json = { cookie, "content-type": "application/json" };
    const withoutToken = await app.request("/v1/suggest", { method: "POST", headers: json, body });
    expect(withoutToken.status).toBe(403);
    expect(((await withoutToken.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN");
    const wrongToken = await app.request("/v1/suggest", {
      method: "POST",
      headers: { ...json, "x-csrf-token": "forged" },
      body,
    });
    expect(wrongToken.status).toBe(403);
    const csrf = await csrfOf(cookie);
    expect(csrf.length).toBeGreaterThan(20);
    const ok = await app.request("/v1/suggest", {
      method: "POST",
      headers: { ...json, "x-csrf-token": csrf },
      body,
    });
    expect(ok.status).toBe(200);
    // The role still applies: an agent's session cannot edit scripts.
    const editing = await app.request("/v1/knowledge/review-queue", { headers: { cookie } });
    expect(editing.status).toBe(403);
  });

  it("pages: no session → login; wrong role → 403; pages carry a strict CSP", async () => {
    const anonymous = await app.request("/editor");
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toBe("/login?next=%2Feditor");
    const { cookie } = await login(keys.agent);
    expect((await app.request("/editor", { headers: { cookie } })).status).toBe(403);
    const page = await app.request("/console", { headers: { cookie } });
    expect(page.status).toBe(200);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    const script = await app.request("/assets/console.js");
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toContain("javascript");
    expect(await script.text()).toContain("/v1/suggest");
    expect((await app.request("/assets/..%2Fsrc%2Fmain.ts")).status).toBe(404);
  });

  it("logout, a revoked key and expiry all end the session", async () => {
    const first = await login(keys.editor);
    const csrf = await csrfOf(first.cookie, "/editor");
    const noToken = await app.request("/logout", {
      method: "POST",
      headers: { ...FORM, cookie: first.cookie },
    });
    expect(noToken.status).toBe(403);
    const logout = await app.request("/logout", {
      method: "POST",
      headers: { ...FORM, cookie: first.cookie },
      body: new URLSearchParams({ csrf }).toString(),
    });
    expect(logout.status).toBe(303);
    expect(logout.headers.get("set-cookie")).toMatch(/hk_session=;/);
    expect(
      (await app.request("/v1/knowledge/review-queue", { headers: { cookie: first.cookie } })).status,
    ).toBe(401);

    const second = await login(keys.reviewer2);
    expect(
      (await app.request("/v1/knowledge/review-queue", { headers: { cookie: second.cookie } })).status,
    ).toBe(200);
    const [record] = (await deps.keys.list()).filter((key) => key.name === "test-reviewer2");
    if (!record) throw new Error("test key missing");
    await changeApiKey({ deps, input: { id: record.id, action: "revoke" }, actor: "test" });
    expect(
      (await app.request("/v1/knowledge/review-queue", { headers: { cookie: second.cookie } })).status,
    ).toBe(401);

    const third = await login(keys.reviewer);
    const loggedInAt = clock.now().getTime();
    clock.set(new Date(loggedInAt + 13 * 3_600_000));
    expect(
      (await app.request("/v1/knowledge/review-queue", { headers: { cookie: third.cookie } })).status,
    ).toBe(401);
    // Retention deletes sessions a day after they ended or expired.
    const token = third.cookie.replace("hk_session=", "");
    expect(await deps.sessions.findByHash(hashKey(token))).not.toBeNull();
    clock.set(new Date(loggedInAt + (13 + 25) * 3_600_000));
    await applyRetention({ deps, input: { days: 180 } });
    expect(await deps.sessions.findByHash(hashKey(token))).toBeNull();
    const audit = await deps.audit.list({ limit: 50 });
    expect(audit.filter((entry) => entry.action === "console.login").length).toBeGreaterThan(0);
  });
});
