import { describe, expect, it } from "vitest";
import { SuggestResponseSchema } from "#api/schemas/suggest";
import { loadKnowledge } from "#infra/knowledge-fs/load-knowledge";
import { createSuggestContext } from "#services/signals";
import { fixtureBundle } from "../../fixtures/knowledge-bundle";
import { DATABASE_KINDS } from "../../helpers/databases";
import { FakeEmbedder, FixedClock } from "../../helpers/fakes";
import { useFixtureApp } from "../../helpers/fixture-app";
import { fixtureWithRules } from "../../helpers/test-app";

// The fixture knowledge plus the real request-type definitions (knowledge/types.yaml).
const { requestTypes } = loadKnowledge("knowledge").bundle;
const embedder = new FakeEmbedder();

describe.each(DATABASE_KINDS)("request types by definition, through POST /v1/suggest on %s", (kind) => {
  const fixture = useFixtureApp(kind, {
    clock: new FixedClock(new Date("2026-09-30T16:00:00+08:00")),
    embedder,
    suggest: createSuggestContext(fixtureWithRules({ ...fixtureBundle(), requestTypes }), embedder),
  });

  const typeOf = async (text: string) => {
    const response = await fixture.call("POST", "/v1/suggest", fixture.keys.agent, {
      text,
      receivedAt: "2026-09-30T16:00:00+08:00",
    });
    expect(response.status, response.text).toBe(200);
    const parsed = SuggestResponseSchema.safeParse(response.body);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    return parsed.data;
  };

  // Before types.yaml (703c1b1) the cue words read 投诉 here: 拖欠 + 态度恶劣 + 投诉 outnumbered 想问.
  it("a question about where to complain is 咨询, with the 咨询 deadline", async () => {
    const body = await typeOf("想问下呢间公司拖欠我哋工资，仲态度恶劣，可以去边度投诉？");
    expect(body?.type[0]?.label).toBe("咨询");
    // 咨询: 1 working day after 30 Sep 2026 is 8 Oct (1–7 Oct are the National Day holiday).
    expect(body?.deadlines.completeBy).toBe("2026-10-08T09:30:00.000Z");
  });

  it("a request for someone to act, phrased as a question, is 求助", async () => {
    const body = await typeOf("请问可唔可以帮手联系供电局嚟抢修？屋企老人要用制氧机。");
    expect(body?.type[0]?.label).toBe("求助");
  });
});
