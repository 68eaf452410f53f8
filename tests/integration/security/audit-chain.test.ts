import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, type openTestDatabase } from "../../helpers/databases";
import { openFixtureApp } from "../../helpers/fixture-app";
import type { client, TestKeys } from "../../helpers/keys";

describe.each(DATABASE_KINDS)("audit chain on %s (review #5)", (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let keys: TestKeys;
  let call: ReturnType<typeof client>;

  beforeAll(async () => {
    ({ database, keys, call } = await openFixtureApp(kind));
  });
  afterAll(async () => {
    await database.drop();
  });

  it("review #5: a key created with expiresAt leaves the audit chain intact", async () => {
    const created = await call("POST", "/v1/keys", keys.admin, {
      name: "expiring-console",
      role: "agent",
      expiresAt: "2027-06-01T00:00:00Z",
    });
    expect(created.status, created.text).toBe(201);
    const verify = await call("GET", "/v1/audit/verify", keys.admin);
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ ok: true });
  });
});
