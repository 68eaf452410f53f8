import { z } from "zod";
import type { QueryCoverage } from "./coverage";

/**
 * "No confident match" (issue #14), from the fusion's signals only (vector similarity, full-text
 * rank, margin over the other scripts, fused rank), so it does not depend on how the SQL finds the
 * candidates. Two logistic models whose feature weights are kept ≥ 0 (a probability never falls
 * when a signal gets stronger): per script, the probability that it is on topic; per search, the
 * probability that the question is one the knowledge base answers at all (best similarity, its
 * margin over the runner-up, and how much of the question's words the best script and the
 * catalogue contain: see coverage.ts), which decides `confident`. Fitted by `npm run
 * eval:calibrate` and stored in knowledge/retrieval-confidence.yaml.
 */

/** The signals of one fused hit that the probability reads (FusedHit has them). */
export interface HitSignals {
  signals: { vector: number | null; fulltext: number | null };
}

export const CONFIDENCE_FEATURES = ["vector", "margin", "lexical", "reciprocalRank"] as const;
export type ConfidenceFeature = (typeof CONFIDENCE_FEATURES)[number];

/** ts_rank values are small and unbounded: f / (f + LEXICAL_HALF) maps them into [0, 1). */
export const LEXICAL_HALF = 0.05;

const Weight = z
  .number()
  .finite()
  .min(0, "feature weights must be ≥ 0 (the probability must not fall as a signal rises)");

export const RetrievalConfidenceSchema = z.strictObject({
  /** The embedding model the weights were fitted with (similarities differ between models). */
  embeddingModel: z.string().min(1),
  fittedAt: z.iso.date(),
  /** What it was fitted on, for the reader: counts of answerable and off-topic questions. */
  fittedOn: z.strictObject({ answerable: z.number().int().min(0), offTopic: z.number().int().min(0) }),
  bias: z.number().finite(),
  weights: z.strictObject({
    vector: Weight,
    margin: Weight,
    lexical: Weight,
    reciprocalRank: Weight,
  }),
  /**
   * Per search: is the question answerable? Features: best vector similarity, its margin over the
   * runner-up, the word coverage of the question by the first script, the share of its words
   * the catalogue knows, and calm = 1 when it names no emergency (ANSWERABLE_FEATURES; the last
   * three default to 0 for files fitted before them).
   */
  answerable: z.strictObject({
    bias: z.number().finite(),
    weights: z.strictObject({
      vector: Weight,
      margin: Weight,
      coverage: Weight.default(0),
      known: Weight.default(0),
      calm: Weight.default(0),
    }),
  }),
  /** A search is confident when its answerable probability reaches this. */
  threshold: z.number().min(0).max(1),
});
export type RetrievalConfidence = z.infer<typeof RetrievalConfidenceSchema>;

/**
 * Used when knowledge/ has no calibration (tests, a fresh checkout): never refuses, so nothing
 * changes until a calibration is fitted and reviewed.
 */
export const UNCALIBRATED: RetrievalConfidence = {
  embeddingModel: "none",
  fittedAt: "2026-01-01",
  fittedOn: { answerable: 0, offTopic: 0 },
  bias: 0,
  weights: { vector: 0, margin: 0, lexical: 0, reciprocalRank: 0 },
  answerable: { bias: 0, weights: { vector: 0, margin: 0, coverage: 0, known: 0, calm: 0 } },
  threshold: 0,
};

/** The per-search features, in the order answerableFeatures returns them. */
export const ANSWERABLE_FEATURES = ["vector", "margin", "coverage", "known", "calm"] as const;

/**
 * What the question itself says, besides its similarity to the scripts: its word coverage and
 * `calm`, 1 when it matches no emergency item's cue (a call about a fire or an assault is for
 * 110/119/120 or dispatch, not an answer script), else 0.
 */
export interface QuestionEvidence extends QueryCoverage {
  calm: number;
}

/** A question nobody measured (no vocabulary): word evidence 0, no emergency seen. */
export const NO_WORDS: QuestionEvidence = { coverage: 0, known: 0, calm: 1 };

/**
 * Each hit's features, given the hits in fused order (best first).
 *
 * @example
 * confidenceFeatures([{ signals: { vector: 0.8, fulltext: 0.1 } }, { signals: { vector: 0.6, fulltext: null } }]);
 * // [[0.8, 0.2, 0.667, 1], [0.6, -0.2, 0, 0.5]]
 */
export function confidenceFeatures(hits: readonly HitSignals[]): number[][] {
  const similarities = hits.map((hit) => hit.signals.vector ?? 0);
  return hits.map((hit, index) => {
    const vector = similarities[index] ?? 0;
    let best = Number.NEGATIVE_INFINITY;
    similarities.forEach((other, otherIndex) => {
      if (otherIndex !== index && other > best) best = other;
    });
    const margin = Number.isFinite(best) ? vector - best : 0;
    const fulltext = Math.max(0, hit.signals.fulltext ?? 0);
    return [vector, margin, fulltext / (fulltext + LEXICAL_HALF), 1 / (index + 1)];
  });
}

export function sigmoid(value: number): number {
  return value >= 0 ? 1 / (1 + Math.exp(-value)) : Math.exp(value) / (1 + Math.exp(value));
}

/** The probability for one feature vector (in CONFIDENCE_FEATURES order). */
export function probabilityOf(features: readonly number[], calibration: RetrievalConfidence): number {
  let logit = calibration.bias;
  CONFIDENCE_FEATURES.forEach((name, index) => {
    logit += calibration.weights[name] * (features[index] ?? 0);
  });
  return sigmoid(logit);
}

/**
 * The search's features: the best vector similarity among the hits, its margin over the second
 * best (0 with a single hit), the question's word coverage (by the first hit's script), its
 * known share and whether it is calm (no emergency); null without hits.
 *
 * @example
 * answerableFeatures([{ signals: { vector: 0.6, fulltext: null } }, { signals: { vector: 0.8, fulltext: 0.1 } }], { coverage: 0.5, known: 1, calm: 1 });
 * // [0.8, 0.2, 0.5, 1, 1]
 */
export function answerableFeatures(
  hits: readonly HitSignals[],
  words: QuestionEvidence = NO_WORDS,
): [number, number, number, number, number] | null {
  if (hits.length === 0) return null;
  const similarities = hits.map((hit) => hit.signals.vector ?? 0).sort((a, b) => b - a);
  const best = similarities[0] ?? 0;
  return [
    best,
    hits.length > 1 ? best - (similarities[1] ?? best) : 0,
    words.coverage,
    words.known,
    words.calm,
  ];
}

/** The probability that the question is one the knowledge base answers (0 without hits). */
export function answerableProbability(
  hits: readonly HitSignals[],
  calibration: RetrievalConfidence,
  words: QuestionEvidence = NO_WORDS,
): number {
  const features = answerableFeatures(hits, words);
  return features ? answerableProbabilityOf(features, calibration) : 0;
}

/** The same from the features (in ANSWERABLE_FEATURES order). */
export function answerableProbabilityOf(
  features: readonly number[],
  calibration: RetrievalConfidence,
): number {
  const { bias, weights } = calibration.answerable;
  let logit = bias;
  ANSWERABLE_FEATURES.forEach((name, index) => {
    logit += (weights[name] ?? 0) * (features[index] ?? 0);
  });
  return sigmoid(logit);
}

/**
 * Per hit, the probability of being on topic; whether the search is confident (its answerable
 * probability reaches the threshold; never without hits). `words`: the question's coverage by
 * the first hit's script (queryCoverage); without it the word features count as 0.
 *
 * @example
 * const { probabilities, confident } = onTopic(fusedHits, calibration, words);
 */
export function onTopic(
  hits: readonly HitSignals[],
  calibration: RetrievalConfidence,
  words: QuestionEvidence = NO_WORDS,
): {
  probabilities: number[];
  answerable: number;
  confident: boolean;
  /** The features behind them (per hit; per search, null without hits), for the calibration. */
  features: { hits: number[][]; search: number[] | null };
} {
  const perHit = confidenceFeatures(hits);
  const probabilities = perHit.map((features) => probabilityOf(features, calibration));
  const search = answerableFeatures(hits, words);
  const answerable = search ? answerableProbabilityOf(search, calibration) : 0;
  return {
    probabilities,
    answerable,
    confident: hits.length > 0 && answerable >= calibration.threshold,
    features: { hits: perHit, search },
  };
}
