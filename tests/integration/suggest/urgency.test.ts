import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SuggestResponseSchema } from "#api/schemas/suggest";
import { loadKnowledge } from "#infra/knowledge-fs/load-knowledge";
import { syncKnowledge } from "#services/sync-knowledge";
import { createApp } from "../../../src/app";
import { fixtureBundle } from "../../fixtures/knowledge-bundle";
import { DATABASE_KINDS, openTestDatabase } from "../../helpers/databases";
import { FixedClock } from "../../helpers/fakes";
import { buildIntegrationDeps } from "../../helpers/integration-deps";
import { client, createTestKeys, type TestKeys } from "../../helpers/keys";

// POST /v1/suggest with the shipped emergency list: the urgent field names the item, the clause
// of the call that matched and how, and the deadline follows the item's dispatch limit.
describe.each(DATABASE_KINDS)("urgency in suggest on %s", (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let keys: TestKeys;
  let call: ReturnType<typeof client>;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const bundle = { ...fixtureBundle(), emergencies: loadKnowledge("knowledge").bundle.emergencies };
    const deps = buildIntegrationDeps(database, bundle, {
      clock: new FixedClock(new Date("2026-09-30T16:00:00+08:00")),
    });
    await syncKnowledge({ deps, input: { bundle } });
    keys = await createTestKeys(deps);
    call = client(createApp(deps));
  });
  afterAll(async () => {
    await database.drop();
  });

  it("flags a long call by its one urgent clause and reports item, clause and evidence", async () => {
    const response = await call("POST", "/v1/suggest", keys.agent, {
      text: "你好，我想问一下物业费的事，去年涨价了。对了，刚刚下楼的时候楼道内有很浓的燃气味。",
      receivedAt: "2026-09-30T16:00:00+08:00",
    });
    expect(response.status, response.text).toBe(200);
    const parsed = SuggestResponseSchema.safeParse(response.body);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    const urgent = parsed.data?.urgent;
    expect(urgent).toMatchObject({ flag: true, matched: ["gas-leak"], dispatchWithin: 10 });
    expect(urgent?.evidence[0]).toMatchObject({ itemId: "gas-leak", name: "燃气泄漏" });
    expect(urgent?.evidence[0]?.clause).toContain("楼道内有很浓的燃气味");
    expect(urgent?.evidence[0]?.clause).not.toContain("物业费");
    expect(["cue", "both"]).toContain(urgent?.evidence[0]?.by);
    expect(parsed.data?.deadlines.rule).toBe("emergency");
    // Dispatch within 10 minutes of receipt.
    expect(parsed.data?.deadlines.respondBy).toBe("2026-09-30T08:10:00.000Z");
  });

  it("uses the matched item's dispatch limit (15 minutes for a landslide, not the default 60)", async () => {
    const response = await call("POST", "/v1/suggest", keys.agent, {
      text: "后山裂缝明显变宽，晚上还听到石头滚下来",
    });
    expect(response.status, response.text).toBe(200);
    const urgent = (response.body as { urgent: { flag: boolean; matched: string[]; dispatchWithin: number } })
      .urgent;
    expect(urgent).toMatchObject({ flag: true, matched: ["landslide"], dispatchWithin: 15 });
  });

  it("does not flag the same topic when it is over", async () => {
    const response = await call("POST", "/v1/suggest", keys.agent, {
      text: "上个月厨房有点燃气味，燃气公司已经来修好了，想问维修费合不合理",
    });
    expect(response.status, response.text).toBe(200);
    const urgent = (response.body as { urgent: { flag: boolean; matched: string[]; evidence: unknown[] } })
      .urgent;
    expect(urgent).toMatchObject({ flag: false, matched: [], evidence: [] });
  });
});
