import { describe, expect, it } from "vitest";
import { DATABASE_KINDS } from "../../helpers/databases";
import { useFixtureApp } from "../../helpers/fixture-app";

/** The security review's finding #8 reproductions: each used to answer 500. */
describe.each(DATABASE_KINDS)("hostile inputs on %s (review #8)", (kind) => {
  const fixture = useFixtureApp(kind);

  const expect4xx = (response: { status: number; body: Record<string, unknown> }) => {
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.body).toMatchObject({
      error: { code: expect.any(String), requestId: expect.any(String) },
    });
  };

  it.each([
    ["spaces", "   "],
    ["tab, newline and ideographic space", "\t\n\u3000"],
  ])("review #8: whitespace-only suggest text (%s) → 4xx", async (_name, text) => {
    expect4xx(await fixture.call("POST", "/v1/suggest", fixture.keys.agent, { text }));
  });

  it("review #8: whitespace-only key name → 4xx", async () => {
    expect4xx(await fixture.call("POST", "/v1/keys", fixture.keys.admin, { name: "   ", role: "agent" }));
  });

  it("review #8: NUL in suggest text → 4xx", async () => {
    expect4xx(
      await fixture.call("POST", "/v1/suggest", fixture.keys.agent, { text: "楼下烧烤店油烟扰民\u0000" }),
    );
  });

  it.each([
    "/v1/knowledge/scripts/shebao-card-lost/versions/2147483648/submit",
    "/v1/keys/2147483648/revoke",
  ])("review #8: id ≥ 2³¹ in %s → 4xx", async (path) => {
    expect4xx(await fixture.call("POST", path, fixture.keys.admin, {}));
  });

  it("review #8: id ≥ 2³¹ in a GET → 4xx", async () => {
    expect4xx(await fixture.call("GET", "/v1/knowledge/hit-tests/2147483648", fixture.keys.admin));
    expect4xx(
      await fixture.call(
        "GET",
        "/v1/knowledge/scripts/shebao-card-lost/diff?from=1&to=2147483648",
        fixture.keys.admin,
      ),
    );
  });

  it.each(["0100-06-01T00:00:00Z", "0500-01-01T00:00:00Z", "9999-12-31T23:59:59Z"])(
    "review #8: receivedAt %s → 4xx",
    async (receivedAt) => {
      expect4xx(
        await fixture.call("POST", "/v1/suggest", fixture.keys.agent, { text: "路灯坏了", receivedAt }),
      );
    },
  );

  it("review #20: a key created already expired → 400, and no key is stored", async () => {
    const before = await fixture.call("GET", "/v1/keys", fixture.keys.admin);
    const response = await fixture.call("POST", "/v1/keys", fixture.keys.admin, {
      name: "already-expired",
      role: "agent",
      expiresAt: "2020-01-01T00:00:00Z",
    });
    expect(response.status, response.text).toBe(400);
    expect(response.body.error?.message).toMatch(/future/);
    const after = await fixture.call("GET", "/v1/keys", fixture.keys.admin);
    expect((after.body.keys as unknown[]).length).toBe((before.body.keys as unknown[]).length);
  });

  it.each([
    "APPLICATION/JSON",
    "Application/Json; charset=UTF-8",
    "application/json; charset=utf-8",
    "application/vnd.api+json",
  ])("review #18: the depth limit applies to content-type %s", async (contentType) => {
    const deep = await fixture.app.request("/v1/suggest", {
      method: "POST",
      headers: { authorization: `Bearer ${fixture.keys.agent}`, "content-type": contentType },
      body: `${"[".repeat(5000)}${"]".repeat(5000)}`,
    });
    expect(deep.status).toBe(400);
    expect(((await deep.json()) as { error: { message: string } }).error.message).toMatch(
      /nested 5000 levels/,
    );
  });

  it.each([
    [
      "feedback agentId",
      "POST",
      "/v1/suggestions/00000000-0000-4000-8000-000000000000/feedback",
      '{"agentId":"a\\ud800"}',
    ],
    [
      "dispatch reason",
      "POST",
      "/v1/dispatch-events",
      '{"kind":"returned","fromDepartment":"rsj","reason":"\\udc00退单"}',
    ],
    ["search query", "POST", "/v1/knowledge/search", '{"query":"社保卡\\ud83d"}'],
    ["a key, not a value", "POST", "/v1/knowledge/search", '{"query":"社保卡","\\ud800":1}'],
    ["NUL in search", "POST", "/v1/knowledge/search", '{"query":"社保卡\\u0000"}'],
  ])(
    "review #20: a lone surrogate or NUL in a JSON body (%s) → 400 before the route",
    async (_name, method, path, body) => {
      const response = await fixture.app.request(path, {
        method,
        headers: { authorization: `Bearer ${fixture.keys.admin}`, "content-type": "application/json" },
        body,
      });
      expect(response.status).toBe(400);
      const error = ((await response.json()) as { error: { code: string; message: string } }).error;
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.message).toMatch(/surrogate|NUL/);
    },
  );
});
