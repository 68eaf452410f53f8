import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chooseThreshold, fitNonNegativeLogistic } from "#domain/retrieval/calibrate";
import {
  answerableFeatures,
  answerableProbability,
  confidenceFeatures,
  onTopic,
  probabilityOf,
  type RetrievalConfidence,
  RetrievalConfidenceSchema,
} from "#domain/retrieval/confidence";

const calibration = (overrides: Partial<RetrievalConfidence> = {}): RetrievalConfidence => ({
  embeddingModel: "test",
  fittedAt: "2026-12-01",
  fittedOn: { answerable: 10, offTopic: 10 },
  bias: -12,
  weights: { vector: 14, margin: 8, lexical: 2, reciprocalRank: 1 },
  answerable: { bias: -14, weights: { vector: 20, margin: 10, coverage: 0, known: 0, calm: 0 } },
  threshold: 0.5,
  ...overrides,
});

const hit = (vector: number | null, fulltext: number | null = null) => ({ signals: { vector, fulltext } });

describe("on-topic probability", () => {
  it("reads vector similarity, the margin over the best other script, the lexical rank and the fused rank", () => {
    const [first, second] = confidenceFeatures([hit(0.8, 0.05), hit(0.6)]);
    expect(first).toEqual([0.8, expect.closeTo(0.2, 10), 0.5, 1]);
    expect(second).toEqual([0.6, expect.closeTo(-0.2, 10), 0, 0.5]);
    expect(confidenceFeatures([hit(0.7)])[0]).toEqual([0.7, 0, 0, 1]);
  });

  it("is a probability (0–1, finite) for any signals and any non-negative weights", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            vector: fc.option(fc.double({ min: -1, max: 1, noNaN: true })),
            fulltext: fc.option(fc.double({ min: 0, max: 10, noNaN: true })),
          }),
          { minLength: 1, maxLength: 20 },
        ),
        fc.array(fc.double({ min: 0, max: 200, noNaN: true }), { minLength: 4, maxLength: 4 }),
        fc.double({ min: -200, max: 200, noNaN: true }),
        (signals, [vector = 0, margin = 0, lexical = 0, reciprocalRank = 0], bias) => {
          const model = calibration({ bias, weights: { vector, margin, lexical, reciprocalRank } });
          const { probabilities } = onTopic(
            signals.map((signal) => ({ signals: signal })),
            model,
          );
          for (const probability of probabilities) {
            expect(probability).toBeGreaterThanOrEqual(0);
            expect(probability).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });

  it("never falls when the best script's similarity or full-text rank rises", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (similarity, raise, runnerUp, fulltext) => {
          const model = calibration();
          const p = (vector: number, lexical: number) =>
            onTopic([hit(vector, lexical), hit(runnerUp)], model).probabilities[0] ?? 0;
          expect(p(similarity + raise, fulltext)).toBeGreaterThanOrEqual(p(similarity, fulltext));
          expect(p(similarity, fulltext + raise)).toBeGreaterThanOrEqual(p(similarity, fulltext));
        },
      ),
    );
  });

  it("is confident only when the search's answerable probability reaches the threshold, never without hits", () => {
    const model = calibration();
    // Best similarity and its margin over the runner-up, wherever the best sits in the list.
    expect(answerableFeatures([hit(0.6), hit(0.8), hit(null)])).toEqual([
      0.8,
      expect.closeTo(0.2, 10),
      0,
      0,
      1,
    ]);
    expect(answerableFeatures([hit(0.7)], { coverage: 0.4, known: 0.9, calm: 0 })).toEqual([
      0.7, 0, 0.4, 0.9, 0,
    ]);
    expect(answerableFeatures([])).toBeNull();
    expect(onTopic([hit(0.95), hit(0.5)], model).confident).toBe(true);
    expect(onTopic([hit(0.55), hit(0.54)], model).confident).toBe(false);
    expect(onTopic([], model)).toEqual({
      probabilities: [],
      answerable: 0,
      confident: false,
      features: { hits: [], search: null },
    });
    // Exactly at the threshold counts as confident.
    const at = answerableProbability([hit(0.7), hit(0.6)], model);
    expect(onTopic([hit(0.7), hit(0.6)], { ...model, threshold: at }).confident).toBe(true);
    expect(onTopic([hit(0.7), hit(0.6)], { ...model, threshold: at + 1e-9 }).confident).toBe(false);
  });

  it("returns the features it decided on, so the calibration fits what the search computes", () => {
    const model = calibration();
    const hits = [hit(0.62), hit(0.81), hit(0.4)];
    const words = { coverage: 0.5, known: 0.8, calm: 1 };
    const decided = onTopic(hits, model, words);
    expect(decided.features.search).toEqual(answerableFeatures(hits, words));
    expect(decided.features.hits).toEqual(confidenceFeatures(hits));
    expect(decided.answerable).toBe(answerableProbability(hits, model, words));
  });

  it("the answerable probability never falls when the best similarity or its margin rises", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (best, raise, runnerUp) => {
          const model = calibration();
          const p = (top: number, second: number) =>
            answerableProbability([hit(top), hit(Math.min(top, second))], model);
          expect(p(best + raise, runnerUp)).toBeGreaterThanOrEqual(p(best, runnerUp));
          const value = p(best, runnerUp);
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it("with word weights, a question whose words the script and the catalogue contain is confident where a same-similarity one is not", () => {
    const model = calibration({
      answerable: { bias: -20, weights: { vector: 20, margin: 10, coverage: 6, known: 4, calm: 0 } },
    });
    const hits = [hit(0.72), hit(0.7)];
    expect(onTopic(hits, model, { coverage: 0.8, known: 1, calm: 1 }).confident).toBe(true);
    expect(onTopic(hits, model, { coverage: 0.1, known: 0.4, calm: 1 }).confident).toBe(false);
    // Without words (no vocabulary) the word features count as 0.
    expect(onTopic(hits, model).answerable).toBeCloseTo(
      answerableProbability(hits, model, { coverage: 0, known: 0, calm: 1 }),
      12,
    );
  });

  it("a question naming an emergency (calm 0) needs more similarity to be confident when calm weighs", () => {
    const model = calibration({
      answerable: { bias: -20, weights: { vector: 20, margin: 10, coverage: 0, known: 0, calm: 3 } },
    });
    const hits = [hit(0.9), hit(0.85)];
    expect(onTopic(hits, model, { coverage: 0, known: 0, calm: 1 }).confident).toBe(true);
    expect(onTopic(hits, model, { coverage: 0, known: 0, calm: 0 }).confident).toBe(false);
  });

  it("reads a file fitted before the word features as word weights 0 (same decisions as before)", () => {
    const old = { ...calibration(), answerable: { bias: -14, weights: { vector: 20, margin: 10 } } };
    const parsed = RetrievalConfidenceSchema.parse(old);
    expect(parsed.answerable.weights).toEqual({ vector: 20, margin: 10, coverage: 0, known: 0, calm: 0 });
    expect(onTopic([hit(0.7), hit(0.6)], parsed, { coverage: 1, known: 1, calm: 0 }).answerable).toBeCloseTo(
      onTopic([hit(0.7), hit(0.6)], parsed).answerable,
      12,
    );
    const negative = {
      ...calibration(),
      answerable: { bias: 0, weights: { vector: 1, margin: 1, coverage: -1 } },
    };
    expect(RetrievalConfidenceSchema.safeParse(negative).success).toBe(false);
  });

  it("refuses a calibration with a negative feature weight (it would not be monotonic)", () => {
    const negative = { ...calibration(), weights: { ...calibration().weights, margin: -1 } };
    expect(RetrievalConfidenceSchema.safeParse(negative).success).toBe(false);
    expect(RetrievalConfidenceSchema.safeParse(calibration()).success).toBe(true);
  });
});

describe("fitting the calibration", () => {
  it("learns a positive weight for a signal that separates on- from off-topic and pins an inverse one to 0", () => {
    const rows = Array.from({ length: 200 }, (_, index) => {
      const onTopic = index % 2 === 0;
      const jitter = ((index * 37) % 100) / 1000;
      // feature 0 separates (noisily), feature 1 runs the wrong way.
      return {
        features: [onTopic ? 0.7 + jitter : 0.55 + jitter, onTopic ? 0.1 : 0.9, 0, 1],
        label: (onTopic ? 1 : 0) as 0 | 1,
      };
    });
    const { bias, weights } = fitNonNegativeLogistic(rows, 4);
    expect(weights[0]).toBeGreaterThan(1);
    expect(weights[1]).toBe(0);
    for (const weight of weights) expect(weight).toBeGreaterThanOrEqual(0);
    const model = calibration({
      bias,
      weights: {
        vector: weights[0] ?? 0,
        margin: weights[1] ?? 0,
        lexical: weights[2] ?? 0,
        reciprocalRank: weights[3] ?? 0,
      },
    });
    expect(probabilityOf([0.78, 0.1, 0, 1], model)).toBeGreaterThan(0.8);
    expect(probabilityOf([0.55, 0.9, 0, 1], model)).toBeLessThan(0.2);
  });

  it("picks the threshold that rejects the most off-topic questions within the allowed refusals", () => {
    expect(chooseThreshold([0.9, 0.8, 0.7], [0.2, 0.75], 0.34)).toEqual({
      threshold: 0.8,
      refused: 1 / 3,
      rejected: 1,
    });
    // No refusal allowed: the lowest answerable score is the threshold.
    expect(chooseThreshold([0.9, 0.8, 0.7], [0.2, 0.75], 0)).toEqual({
      threshold: 0.7,
      refused: 0,
      rejected: 0.5,
    });
  });
});
