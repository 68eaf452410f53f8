import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppDeps } from "#api/env";
import { UNCALIBRATED } from "#domain/retrieval/confidence";
import { applyRetention } from "#services/retention";
import { syncKnowledge } from "#services/sync-knowledge";
import { fixtureBundle, script } from "../../fixtures/knowledge-bundle";
import { DATABASE_KINDS, type openTestDatabase } from "../../helpers/databases";
import { FixedClock, ProblemEmbedder } from "../../helpers/fakes";
import { openFixtureApp } from "../../helpers/fixture-app";
import type { client, TestKeys } from "../../helpers/keys";

interface Gaps {
  gaps: {
    id: string;
    count: number;
    examples: string[];
    keywords: string[];
    firstAt: string;
    lastAt: string;
  }[];
  covered: { id: string; scriptId: string; count: number }[];
}

/** Questions about one thing the fixture knowledge base has no script for. */
const MARS = [
  "火星移民签证怎么办理",
  "请问火星移民签证去哪里办",
  "我电话13812345678，想问火星移民签证要什么材料",
];
const PARKING = "小区充电桩安装物业不同意怎么办";

/** Confident only when the best script is nearly the question itself. */
const STRICT = {
  ...UNCALIBRATED,
  answerable: { bias: -19, weights: { vector: 20, margin: 0, coverage: 0, known: 0, calm: 0 } },
  threshold: 0.5,
};

describe.each(DATABASE_KINDS)("knowledge gaps (缺口) on %s", (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let deps: AppDeps;
  let keys: TestKeys;
  let call: ReturnType<typeof client>;

  beforeAll(async () => {
    ({ database, deps, keys, call } = await openFixtureApp(kind, {
      clock: new FixedClock(new Date("2026-11-30T10:00:00+08:00")),
      embedder: new ProblemEmbedder([/火星/, /充电桩/], 0.2),
      retrievalConfidence: STRICT,
    }));
    for (const query of [...MARS, PARKING]) {
      const response = await call("POST", "/v1/knowledge/search", keys.agent, { query, limit: 3 });
      expect(response.status, response.text).toBe(200);
      expect((response.body as { confident: boolean }).confident).toBe(false);
    }
    // Answered confidently: not a gap.
    const answered = await call("POST", "/v1/knowledge/search", keys.agent, {
      query: "单位拖欠工资如何投诉？",
    });
    expect((answered.body as { confident: boolean }).confident, answered.text).toBe(true);
    // An editor probing wordings is not an agent's unanswered question.
    await call("POST", "/v1/knowledge/search", keys.editor, { query: "火星移民签证编辑自测" });
  });
  afterAll(async () => {
    await database.drop();
  });

  it("groups agents' unanswered searches by meaning, largest first, with masked examples", async () => {
    const response = await call("GET", "/v1/knowledge/gaps?from=2026-11-30&to=2026-11-30", keys.editor);
    expect(response.status, response.text).toBe(200);
    const { gaps, covered } = response.body as unknown as Gaps;
    expect(covered).toEqual([]);
    expect(gaps.map((gap) => gap.count)).toEqual([3, 1]);
    expect([...(gaps[0]?.examples ?? [])].sort()).toEqual(
      [MARS[0], MARS[1], "我电话[手机号]，想问火星移民签证要什么材料"].sort(),
    );
    expect(JSON.stringify(gaps)).not.toContain("13812345678");
    expect(JSON.stringify(gaps)).not.toContain("编辑自测");
    expect(gaps[1]?.examples).toEqual([PARKING]);
    expect(gaps[0]?.firstAt).toBe("2026-11-30T02:00:00.000Z");
  });

  it("keeps questions outside the range out", async () => {
    const response = await call("GET", "/v1/knowledge/gaps?from=2026-11-01&to=2026-11-29", keys.editor);
    expect((response.body as unknown as Gaps).gaps).toEqual([]);
  });

  it("records a suggestion without a confident script as a gap too", async () => {
    const suggestion = await call("POST", "/v1/suggest", keys.agent, {
      text: "小区充电桩安装物业一直不同意，想问有没有政策",
      channel: "phone",
    });
    expect(suggestion.status, suggestion.text).toBe(200);
    expect((suggestion.body as { scriptsConfident: boolean }).scriptsConfident).toBe(false);
    const { gaps } = (await call("GET", "/v1/knowledge/gaps?from=2026-11-30&to=2026-11-30", keys.editor))
      .body as unknown as Gaps;
    expect(gaps.find((gap) => gap.examples.includes(PARKING))?.count).toBe(2);
  });

  it("marks a gap covered once a published script answers it, and leaves it out from then on", async () => {
    const bundle = fixtureBundle();
    const mars = script({
      id: "mars-visa",
      title: "火星移民签证",
      question: "火星移民签证怎么办理",
      variants: [],
      answer: "您好，目前没有火星移民签证业务。",
      category: ["劳动和社会保障", "工资福利", "拖欠工资"],
    });
    await syncKnowledge({ deps, input: { bundle: { ...bundle, scripts: [...bundle.scripts, mars] } } });
    const first = (await call("GET", "/v1/knowledge/gaps?from=2026-11-30&to=2026-11-30", keys.editor))
      .body as unknown as Gaps;
    expect(first.covered).toEqual([expect.objectContaining({ scriptId: "mars-visa", count: 3 })]);
    expect(first.gaps.map((gap) => gap.count)).toEqual([2]);
    const again = (await call("GET", "/v1/knowledge/gaps?from=2026-11-30&to=2026-11-30", keys.editor))
      .body as unknown as Gaps;
    expect(again).toEqual({ gaps: first.gaps, covered: [] });
  });

  it("lets editors and reviewers read the list, not agents", async () => {
    expect((await call("GET", "/v1/knowledge/gaps", keys.agent)).status).toBe(403);
    expect((await call("GET", "/v1/knowledge/gaps", keys.reviewer)).status).toBe(200);
    expect((await call("GET", "/v1/knowledge/gaps?limit=0", keys.editor)).status).toBe(400);
  });

  it("deletes the questions with the other texts at the retention limit", async () => {
    const clock = deps.clock as FixedClock;
    const now = clock.now();
    clock.set(new Date(now.getTime() + 181 * 86_400_000));
    try {
      const counts = await applyRetention({ deps, input: { days: 180 } });
      // Four searches and one suggestion (the answered search was never recorded).
      expect(counts.gapQuestions).toBe(5);
      expect(await deps.gaps.openBetween(new Date(0), clock.now(), 100)).toEqual([]);
    } finally {
      clock.set(now);
    }
  });
});
