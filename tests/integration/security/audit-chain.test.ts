import { describe, expect, it } from "vitest";
import { DATABASE_KINDS } from "../../helpers/databases";
import { useFixtureApp } from "../../helpers/fixture-app";

describe.each(DATABASE_KINDS)("audit chain on %s (review #5)", (kind) => {
  const fixture = useFixtureApp(kind);

  it("review #5: a key created with expiresAt leaves the audit chain intact", async () => {
    const created = await fixture.call("POST", "/v1/keys", fixture.keys.admin, {
      name: "expiring-console",
      role: "agent",
      expiresAt: "2027-06-01T00:00:00Z",
    });
    expect(created.status, created.text).toBe(201);
    const verify = await fixture.call("GET", "/v1/audit/verify", fixture.keys.admin);
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ ok: true });
  });
});
