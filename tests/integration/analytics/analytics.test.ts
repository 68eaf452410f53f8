import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppDeps } from "#api/env";
import { HELD_OUT } from "#domain/classifier/registry";
import type { JobView } from "#domain/jobs";
import { createInProcessQueue } from "#infra/jobs/in-process-queue";
import { createApiKey } from "#services/access";
import { recordRequestSignal, updateHotTopics } from "#services/analytics";
import { importCases } from "#services/import-cases";
import { registerJobHandlers } from "#services/jobs";
import { applyRetention } from "#services/retention";
import { trainClassifier } from "#services/train-classifier";
import { fixtureCases } from "../../fixtures/cases";
import { fixtureBundle } from "../../fixtures/knowledge-bundle";
import { DATABASE_KINDS, type openTestDatabase } from "../../helpers/databases";
import { FixedClock, ProblemEmbedder } from "../../helpers/fakes";
import { openFixtureApp, useFixtureApp } from "../../helpers/fixture-app";
import type { client, TestKeys } from "../../helpers/keys";
import { MemoryClassifierStore } from "../../helpers/test-app";

const SMALL_TRAINING = { internalFolds: 2, minExamplesPerHead: 10 };

interface Suggestion {
  id: string;
  possibleDuplicates: { id: string; sharedPlaces: string[]; why: string; summary: string }[];
}
interface HotTopics {
  topics: {
    id: string;
    label: string;
    count: number;
    memberIds: string[];
    places: string[];
    keywords: string[];
  }[];
}

const FUMES = [
  "江城区魅力之城小区临街的烧烤店油烟直排，熏得我家窗户都不敢开",
  "魅力之城小区楼下烧烤店油烟很大，晚上还很吵，希望管一管",
  "我住魅力之城小区，临街烧烤店的油烟直排进楼道，老人孩子受不了",
];
const OTHER = "阳东区东城镇有个工厂拖欠工人工资三个月，老板电话打不通";

describe.each(DATABASE_KINDS)("analytics on %s", (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let deps: AppDeps;
  let keys: TestKeys;
  let call: ReturnType<typeof client>;
  const suggested: Suggestion[] = [];

  beforeAll(async () => {
    ({ database, deps, keys, call } = await openFixtureApp(kind, {
      clock: new FixedClock(new Date("2026-11-30T10:00:00+08:00")),
      classifiers: new MemoryClassifierStore(),
      embedder: new ProblemEmbedder([/油烟/, /工资/], 0.25, 2),
    }));
    await importCases({ deps, input: { rows: fixtureCases(), source: "seed" }, actor: { name: "test" } });
    await trainClassifier({ deps, actor: { name: "test" }, options: SMALL_TRAINING });
    for (const text of [...FUMES, OTHER]) {
      const response = await call("POST", "/v1/suggest", keys.agent, { text, channel: "phone" });
      expect(response.status, response.text).toBe(200);
      suggested.push(response.body as unknown as Suggestion);
    }
  });
  afterAll(async () => {
    await database.drop();
  });

  it("hints 并单 with earlier open requests about the same problem at the same place, and says why", () => {
    const third = suggested[2];
    expect(third?.possibleDuplicates.map((duplicate) => duplicate.id)).toEqual(
      expect.arrayContaining([`suggestion:${suggested[0]?.id}`, `suggestion:${suggested[1]?.id}`]),
    );
    expect(third?.possibleDuplicates[0]?.why).toContain("魅力之城小区");
    expect(suggested[0]?.possibleDuplicates).toEqual([]);
    expect(suggested[3]?.possibleDuplicates).toEqual([]);
  });

  it("clusters the requests into topics incrementally (the hot-topics job) and ranks them", async () => {
    // The server's minutely update is the "hot-topics" job (pg-boss on PostgreSQL); its result and
    // progress show in the job list.
    const jobs = createInProcessQueue({ retryDelayMs: 10 });
    await registerJobHandlers({
      deps: { ...deps, jobs },
      jobs,
      settings: {
        gate: { tolerance: 0.03, heldOut: HELD_OUT, suite: async () => [] },
        training: SMALL_TRAINING,
        retentionDays: 180,
        bundle: fixtureBundle(),
      },
    });
    const id = await jobs.enqueue("hot-topics", {});
    let job: JobView | null = null;
    for (let wait = 0; wait < 200 && job?.state !== "completed" && job?.state !== "failed"; wait += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      job = await jobs.get(id ?? "");
    }
    await jobs.stop(0);
    expect(job, JSON.stringify(job)).toMatchObject({
      state: "completed",
      output: { placed: 4, topicsChanged: 2 },
      progress: { stage: "placing", done: 4, total: 4 },
    });
    const again = await call("POST", "/v1/analytics/hot-topics/update", keys.evaluator);
    expect(again.body).toEqual({ placed: 0, topicsChanged: 0 });

    const response = await call(
      "GET",
      "/v1/analytics/hot-topics?from=2026-11-30&to=2026-11-30&limit=5",
      keys.evaluator,
    );
    expect(response.status, response.text).toBe(200);
    const { topics } = response.body as unknown as HotTopics;
    // A topic needs two requests: the wage arrears call stays out.
    expect(topics).toHaveLength(1);
    expect(topics[0]).toMatchObject({ count: 3, places: ["魅力之城小区"] });
    expect(topics[0]?.memberIds.sort()).toEqual(
      suggested
        .slice(0, 3)
        .map((item) => `suggestion:${item.id}`)
        .sort(),
    );
    expect(topics[0]?.keywords).toContain("油烟");
    expect(topics[0]?.label).toContain("魅力之城小区");
  });

  it("keeps requests outside the range out of the counts", async () => {
    const response = await call(
      "GET",
      "/v1/analytics/hot-topics?from=2026-11-01&to=2026-11-29",
      keys.evaluator,
    );
    expect((response.body as unknown as HotTopics).topics).toEqual([]);
  });

  it("empties the requests' summaries with the texts they come from (retention)", async () => {
    const clock = deps.clock as FixedClock;
    const now = clock.now();
    clock.set(new Date(now.getTime() + 181 * 86_400_000));
    try {
      const counts = await applyRetention({ deps, input: { days: 180 } });
      expect(counts.requestSummaries).toBe(4);
      const stored = await deps.analytics.nearestOpen(
        await deps.embedder.embed([FUMES[0] ?? ""]).then(([v]) => v as Float32Array),
        new Date(0),
        10,
      );
      expect(stored).toHaveLength(4);
      expect(stored.map((signal) => signal.summary)).toEqual(["", "", "", ""]);
      // The places and words stay for the statistics.
      expect(stored.some((signal) => signal.places.includes("魅力之城小区"))).toBe(true);
    } finally {
      clock.set(now);
    }
  });

  it("lets only evaluators and admins read the analytics", async () => {
    expect((await call("GET", "/v1/analytics/hot-topics", keys.agent)).status).toBe(403);
    expect((await call("GET", "/v1/analytics/spikes", keys.admin)).status).toBe(200);
    expect((await call("GET", "/v1/analytics/hot-topics?from=yesterday", keys.admin)).status).toBe(400);
  });
});

describe.each(DATABASE_KINDS)("work orders as requests for the analytics on %s", (kind) => {
  const fixture = useFixtureApp(kind, {
    clock: new FixedClock(new Date("2026-11-30T10:00:00+08:00")),
    embedder: new ProblemEmbedder([/油烟/, /工资/], 0.25, 2),
  });
  const created = (orderId: string, text: string, suggestionId?: string) => ({
    eventId: `${orderId}-c`,
    orderId,
    kind: "created",
    receivedAt: "2026-11-30T09:00:00+08:00",
    channel: "phone",
    text,
    callerType: "person",
    ...(suggestionId ? { suggestionId } : {}),
  });
  const closed = (orderId: string, category: string[], department: string) => ({
    eventId: `${orderId}-x`,
    orderId,
    kind: "closed",
    at: "2026-11-30T09:30:00+08:00",
    category,
    type: "投诉",
    urgent: false,
    marketEntity: false,
    departments: [{ code: department, role: "主办" }],
    result: "已责令整改",
  });
  const duplicateIds = async (text: string) => {
    const response = await fixture.call("POST", "/v1/suggest", fixture.keys.agent, {
      text,
      channel: "phone",
    });
    expect(response.status, response.text).toBe(200);
    return (response.body as unknown as Suggestion).possibleDuplicates.map((duplicate) => duplicate.id);
  };
  const post = async (key: string, events: unknown[]) => {
    const response = await fixture.call("POST", "/v1/work-orders/events", key, { events });
    expect(response.status, response.text).toBe(200);
    expect(response.body, response.text).toMatchObject({ stored: events.length, rejected: 0 });
  };

  it("offers an open order as a possible duplicate, and stops once it is closed", async () => {
    const key = (
      await createApiKey({
        deps: fixture.deps,
        input: { name: "platform", role: "integration" },
        actor: "test",
      })
    ).key;
    const [category] = fixture.deps.suggest.categoryPaths;
    const [department] = fixture.deps.suggest.departmentNames.keys();
    if (!category || !department) throw new Error("the fixture needs a category path and a department");
    // An order the platform took without our console (no suggestion): a request of its own.
    await post(key, [created("YJ-1", FUMES[0] ?? "")]);
    expect(await duplicateIds(FUMES[1] ?? "")).toContain("order:YJ-1");

    // An order made from a suggestion is that suggestion's request, not a second one.
    const first = await fixture.call("POST", "/v1/suggest", fixture.keys.agent, { text: FUMES[2] });
    const suggestionId = (first.body as unknown as Suggestion).id;
    await post(key, [created("YJ-2", FUMES[2] ?? "", suggestionId)]);
    const both = await duplicateIds("魅力之城小区烧烤店油烟又来了，窗户都打不开");
    expect(both).toEqual(expect.arrayContaining(["order:YJ-1", `suggestion:${suggestionId}`]));
    expect(both).not.toContain("order:YJ-2");

    // Closed orders are no longer open requests to merge with.
    await post(key, [closed("YJ-1", [...category], department), closed("YJ-2", [...category], department)]);
    const after = await duplicateIds("魅力之城小区烧烤店油烟又来了，窗户都打不开");
    expect(after).not.toContain("order:YJ-1");
    expect(after).not.toContain(`suggestion:${suggestionId}`);
  });
});

describe.each(DATABASE_KINDS)("one hot-topic update at a time on %s", (kind) => {
  const fixture = useFixtureApp(kind, {
    clock: new FixedClock(new Date("2026-11-30T10:00:00+08:00")),
    embedder: new ProblemEmbedder([/油烟/, /工资/], 0.25, 2),
  });

  it("places each request once when the scheduled update and an admin's update start together", async () => {
    const { deps } = fixture;
    const texts = [...FUMES, OTHER, ...FUMES.map((text) => `${text}，今天又来了`)];
    const vectors = await deps.embedder.embed(texts);
    for (const [index, text] of texts.entries()) {
      await recordRequestSignal({
        deps,
        input: {
          source: "suggestion",
          sourceId: `together-${index}`,
          at: new Date(Date.parse("2026-11-30T09:00:00+08:00") + index * 60_000),
          text,
          embedding: vectors[index] as Float32Array,
        },
      });
    }
    const runs = await Promise.all([updateHotTopics({ deps }), updateHotTopics({ deps })]);
    // The second waited for the first and found nothing left to place.
    expect(runs.map((run) => run.placed).sort()).toEqual([0, texts.length]);
    const topics = await deps.analytics.topicsBetween(
      new Date("2026-11-30T00:00:00+08:00"),
      new Date("2026-12-01T00:00:00+08:00"),
    );
    const members = topics.flatMap(({ members }) => members.map((member) => member.id));
    expect(new Set(members).size).toBe(members.length);
  });
});
