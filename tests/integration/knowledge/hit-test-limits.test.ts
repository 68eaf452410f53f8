import { describe, expect, it } from "vitest";
import { DATABASE_KINDS } from "../../helpers/databases";
import { FakeEmbedder } from "../../helpers/fakes";
import { useFixtureApp } from "../../helpers/fixture-app";

/** The fake embedder, made slow on demand (a hit test embeds one question at a time). */
class SlowEmbedder extends FakeEmbedder {
  delayMs = 0;
  override async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return super.embed(texts);
  }
}

const questions = (count: number, tag: string) =>
  Array.from({ length: count }, (_, index) => ({
    question: `${tag} 第${index}个问题 医保卡怎么补办`,
    expected: [],
  }));

describe.each(DATABASE_KINDS)("hit-test limits on %s (review #14)", (kind) => {
  const embedder = new SlowEmbedder();
  const fixture = useFixtureApp(kind, { embedder, requestTimeoutMs: 400, hitTestMaxCases: 60 });

  it("refuses more cases than the configured cap with 400", async () => {
    const response = await fixture.call("POST", "/v1/knowledge/hit-tests", fixture.keys.evaluator, {
      name: "too many",
      cases: questions(61, "cap"),
    });
    expect(response.status, response.text).toBe(400);
    expect(response.text).toContain("at most 60");
  });

  it("stops a run at the request timeout: 503 without 'try again', and nothing is stored", async () => {
    embedder.delayMs = 40;
    try {
      const response = await fixture.call("POST", "/v1/knowledge/hit-tests", fixture.keys.evaluator, {
        name: "cancelled-run",
        cases: questions(60, "slow"),
      });
      expect(response.status, response.text).toBe(503);
      const message = (response.body as { error: { message: string } }).error.message;
      expect(message).not.toMatch(/try again/i);
      expect(message).toContain("fewer cases");
      const callsAtTimeout = embedder.calls;
      // 60 questions at 40 ms would have finished (and been stored) after 2.4 s.
      await new Promise((resolve) => setTimeout(resolve, 2800));
      expect(embedder.calls - callsAtTimeout).toBeLessThanOrEqual(1);
      const runs = await fixture.call("GET", "/v1/knowledge/hit-tests", fixture.keys.evaluator);
      expect(runs.status, runs.text).toBe(200);
      expect((runs.body as { runs: { name: string }[] }).runs.map((run) => run.name)).not.toContain(
        "cancelled-run",
      );
    } finally {
      embedder.delayMs = 0;
    }
  });

  it("still runs a small set within the timeout (201, stored)", async () => {
    const response = await fixture.call("POST", "/v1/knowledge/hit-tests", fixture.keys.editor, {
      name: "small-run",
      cases: questions(3, "small"),
    });
    expect(response.status, response.text).toBe(201);
    expect((response.body as { metrics: { n: number } }).metrics.n).toBe(3);
  });
});
