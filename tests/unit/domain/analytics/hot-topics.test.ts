import { describe, expect, it } from "vitest";
import {
  addToTopics,
  DEFAULT_CLUSTERING,
  rankTopics,
  type Topic,
  type TopicRequest,
} from "#domain/analytics/hot-topics";

/** Unit vectors in a small space: problems are directions, a little noise makes each call its own. */
function vector(direction: number, noise = 0): Float32Array {
  const values = new Float32Array(8);
  values[direction] = 1;
  values[(direction + 1) % 8] = noise;
  return values;
}

let sequence = 0;
function request(
  overrides: Partial<TopicRequest> & { direction: number; noise?: number; day: number },
): TopicRequest {
  sequence += 1;
  return {
    id: overrides.id ?? `r${sequence}`,
    at: new Date(Date.UTC(2026, 10, overrides.day, 9)),
    embedding: vector(overrides.direction, overrides.noise ?? 0.1),
    terms: overrides.terms ?? [],
    places: overrides.places ?? [],
    districts: overrides.districts ?? [],
    likes: overrides.likes ?? 0,
  };
}

const ids = () => {
  let next = 0;
  return () => {
    next += 1;
    return `t${next}`;
  };
};

describe("addToTopics", () => {
  it("puts the same problem at the same place into one topic and another problem into another", () => {
    const topics: Topic[] = [];
    const { assignments } = addToTopics(
      topics,
      [
        request({ id: "a1", direction: 0, day: 1, places: ["魅力之城小区"], terms: ["油烟", "餐馆"] }),
        request({
          id: "a2",
          direction: 0,
          noise: 0.2,
          day: 2,
          places: ["魅力之城"],
          terms: ["油烟", "噪音"],
        }),
        request({ id: "b1", direction: 3, day: 2, places: ["丽发新城小区"], terms: ["搅拌站"] }),
      ],
      ids(),
    );
    expect(assignments.get("a1")).toBe(assignments.get("a2"));
    expect(assignments.get("b1")).not.toBe(assignments.get("a1"));
    expect(topics).toHaveLength(2);
    expect(topics.find((topic) => topic.id === assignments.get("a1"))?.placeCounts.get("魅力之城小区")).toBe(
      2,
    );
  });

  it("keeps the same problem at two different places apart unless the texts are near copies", () => {
    const topics: Topic[] = [];
    const { assignments } = addToTopics(
      topics,
      [
        request({ id: "x", direction: 0, noise: 0.5, day: 1, places: ["魅力之城小区"] }),
        request({ id: "y", direction: 0, noise: 0, day: 1, places: ["丽发新城小区"] }),
      ],
      ids(),
    );
    expect(assignments.get("x")).not.toBe(assignments.get("y"));
  });

  it("is incremental: a later batch joins the existing topic instead of starting over", () => {
    const topics: Topic[] = [];
    const newId = ids();
    addToTopics(topics, [request({ id: "old", direction: 5, day: 1, places: ["伊景园"] })], newId);
    const { assignments } = addToTopics(
      topics,
      [request({ id: "new", direction: 5, day: 3, places: ["伊景园"] })],
      newId,
    );
    expect(topics).toHaveLength(1);
    expect(assignments.get("new")).toBe("t1");
    expect(topics[0]?.memberIds).toEqual(["old", "new"]);
  });

  it("does not join a topic that has been quiet for longer than the window", () => {
    const topics: Topic[] = [];
    const newId = ids();
    addToTopics(topics, [request({ id: "then", direction: 2, day: 1 })], newId);
    const late = { ...request({ id: "now", direction: 2, day: 1 }), at: new Date(Date.UTC(2027, 3, 1)) };
    addToTopics(topics, [late], newId);
    expect(topics).toHaveLength(2);
  });
});

describe("rankTopics", () => {
  it("ranks by heat (count, recent growth, likes) and labels with district, place and distinctive words", () => {
    const topics: Topic[] = [];
    const requests = [
      ...[1, 2, 3].map((day) =>
        request({
          direction: 1,
          day,
          places: ["伊景园"],
          districts: ["A7县"],
          terms: ["车位", "捆绑", "销售"],
        }),
      ),
      request({ direction: 4, day: 1, terms: ["路灯"], likes: 0 }),
      request({ direction: 4, day: 2, terms: ["路灯"], likes: 0 }),
      request({ direction: 6, day: 2, terms: ["公交"], likes: 500 }),
      request({ direction: 6, day: 2, terms: ["公交"], likes: 500 }),
    ];
    addToTopics(topics, requests, ids());
    const times = new Map(requests.map((item) => [item.id, item.at]));
    const common = new Set(["销售"]);
    const ranked = rankTopics(topics, times, (term) => (common.has(term) ? 0.5 : 0.01), { limit: 10 });
    expect(ranked.map((topic) => topic.count)).toEqual([2, 3, 2]);
    expect(ranked[0]?.keywords).toEqual(["公交"]);
    expect(ranked[1]?.label).toBe("A7县 伊景园 捆绑、车位、销售");
    expect(ranked[1]?.heat).toBeGreaterThan(ranked[2]?.heat ?? Number.POSITIVE_INFINITY);
  });

  it("weighs a thousand likes like about twenty callers", () => {
    const topics: Topic[] = [];
    // Fifteen callers over fifteen weeks, nobody endorsing; two messages this week with 1,000 likes.
    const trickle = Array.from({ length: 15 }, (_, week) =>
      request({ direction: 2, day: 1 + week * 7, terms: ["路面"], likes: 0 }),
    );
    const endorsed = [99, 100].map((day) => request({ direction: 3, day, terms: ["车贷"], likes: 500 }));
    addToTopics(topics, [...trickle, ...endorsed], ids(), { ...DEFAULT_CLUSTERING, windowDays: 365 });
    const times = new Map([...trickle, ...endorsed].map((item) => [item.id, item.at]));
    const ranked = rankTopics(topics, times, () => 0.01, { limit: 5 });
    expect(ranked.map((topic) => topic.count)).toEqual([2, 15]);
  });

  it("leaves out single requests (a topic needs at least two)", () => {
    const topics: Topic[] = [];
    const only = request({ direction: 7, day: 1 });
    addToTopics(topics, [only], ids());
    expect(rankTopics(topics, new Map([[only.id, only.at]]), () => 0.1, { limit: 5 })).toEqual([]);
  });
});
