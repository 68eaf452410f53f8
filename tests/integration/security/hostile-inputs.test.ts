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
});
