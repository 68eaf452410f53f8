import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppDeps } from "#api/env";
import { DATABASE_KINDS, type openTestDatabase } from "../../helpers/databases";
import { FixedClock, ProblemEmbedder } from "../../helpers/fakes";
import { openFixtureApp } from "../../helpers/fixture-app";
import type { client, TestKeys } from "../../helpers/keys";
import { MemoryClassifierStore } from "../../helpers/test-app";

interface Suggestion {
  id: string;
  category: { path: string[] }[];
  possibleDuplicates: { id: string }[];
}

const FUMES = [
  "江城区魅力之城小区临街的烧烤店油烟直排，熏得我家窗户都不敢开",
  "魅力之城小区楼下烧烤店油烟很大，晚上还很吵，希望管一管",
  "我住魅力之城小区，临街烧烤店的油烟直排进楼道，老人孩子受不了",
];

describe.each(DATABASE_KINDS)("并单 through the feedback on %s", (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let deps: AppDeps;
  let keys: TestKeys;
  let call: ReturnType<typeof client>;
  const suggested: Suggestion[] = [];

  beforeAll(async () => {
    ({ database, deps, keys, call } = await openFixtureApp(kind, {
      clock: new FixedClock(new Date("2026-11-30T10:00:00+08:00")),
      classifiers: new MemoryClassifierStore(),
      embedder: new ProblemEmbedder([/油烟/], 0.25),
    }));
    for (const text of FUMES.slice(0, 2)) {
      const response = await call("POST", "/v1/suggest", keys.agent, { text, channel: "phone" });
      expect(response.status, response.text).toBe(200);
      suggested.push(response.body as unknown as Suggestion);
    }
  });
  afterAll(async () => {
    await database.drop();
  });

  const feedback = (suggestion: Suggestion | undefined, mergedWith: string[]) =>
    call("POST", `/v1/suggestions/${suggestion?.id}/feedback`, keys.agent, {
      finalCategory: ["劳动和社会保障"],
      mergedWith,
    });

  it("refuses to merge with a request the suggestion did not offer", async () => {
    const response = await feedback(suggested[1], ["order:not-offered"]);
    expect(response.status, response.text).toBe(422);
  });

  it("stores the merge with the feedback, audits it, and stops offering the merged request", async () => {
    const [first, second] = suggested;
    const original = `suggestion:${first?.id}`;
    expect(second?.possibleDuplicates.map((match) => match.id)).toEqual([original]);
    const response = await feedback(second, [original]);
    expect(response.status, response.text).toBe(201);

    const stored = await deps.suggestions.get(second?.id ?? "");
    expect((stored?.feedback as { mergedWith?: string[] } | null)?.mergedWith).toEqual([original]);
    const audit = await call("GET", `/v1/audit?entityType=suggestion&entityId=${second?.id}`, keys.admin);
    expect(audit.text).toContain(original);

    // The third call about the same fumes is pointed at the original only, not at the merged one.
    const third = await call("POST", "/v1/suggest", keys.agent, { text: FUMES[2], channel: "phone" });
    expect((third.body as unknown as Suggestion).possibleDuplicates.map((match) => match.id)).toEqual([
      original,
    ]);
  });
});
