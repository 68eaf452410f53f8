import { describe, expect, it } from "vitest";
import { type RetrievalConfidence, UNCALIBRATED } from "#domain/retrieval/confidence";
import { DATABASE_KINDS } from "../../helpers/databases";
import { FixedClock } from "../../helpers/fakes";
import { useFixtureApp } from "../../helpers/fixture-app";

/**
 * "No confident match" reads the question's words (issue #14): with a calibration that weighs only
 * the word features, a question in a script's words (or their synonyms) is confident and one about
 * a topic no script speaks of is not — through the search route and suggest alike. The fake
 * embedder's similarities mean nothing here, which is why the vector weights are 0.
 */
const WORDS_ONLY: RetrievalConfidence = {
  ...UNCALIBRATED,
  embeddingModel: "test",
  answerable: { bias: -4, weights: { vector: 0, margin: 0, coverage: 4, known: 3, calm: 0 } },
  threshold: 0.5,
};

const ANSWERED = "医保卡丢了怎么补办";
const UNKNOWN_TOPIC = "比特币期货可唔可以买卖";

describe.each(DATABASE_KINDS)("word coverage decides confidence on %s", (kind) => {
  const fixture = useFixtureApp(kind, {
    retrievalConfidence: WORDS_ONLY,
    clock: new FixedClock(new Date("2026-09-30T16:00:00+08:00")),
  });

  it("the search is confident for a question in a script's words, not for an unknown topic", async () => {
    const search = async (query: string) => {
      const response = await fixture.call("POST", "/v1/knowledge/search", fixture.keys.agent, { query });
      expect(response.status, response.text).toBe(200);
      return response.body as { confident: boolean; results: { id: string }[] };
    };
    const answered = await search(ANSWERED);
    expect(answered.results[0]?.id).toBe("shebao-card-lost");
    expect(answered.confident).toBe(true);
    const unknown = await search(UNKNOWN_TOPIC);
    expect(unknown.results.length).toBeGreaterThan(0);
    expect(unknown.confident).toBe(false);
    // The response is the documented one: the calibration's internal features stay in the service.
    expect(Object.keys(answered).sort()).toEqual(["confident", "results", "terms", "timings"]);
  });

  it("suggest says the same (scriptsConfident)", async () => {
    const suggest = async (text: string) => {
      const response = await fixture.call("POST", "/v1/suggest", fixture.keys.agent, { text });
      expect(response.status, response.text).toBe(200);
      return response.body as { scriptsConfident: boolean };
    };
    expect((await suggest(ANSWERED)).scriptsConfident).toBe(true);
    expect((await suggest(UNKNOWN_TOPIC)).scriptsConfident).toBe(false);
  });
});
