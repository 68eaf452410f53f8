import { z } from "zod";

/**
 * "No confident match" (issue #14): a calibrated probability that a script found by the hybrid
 * search is on topic, from the fusion's signals only (vector similarity, full-text rank, margin
 * over the other scripts, fused rank), so it does not depend on how the SQL finds the candidates.
 * A logistic model whose feature weights are kept ≥ 0, so the probability never falls when a
 * signal gets stronger. The weights and the threshold are fitted by `npm run eval:calibrate` and
 * stored in knowledge/retrieval-confidence.yaml.
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
  /** A search is confident when its best script's probability reaches this. */
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
  threshold: 0,
};

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
 * Per hit, the probability of being on topic; and whether the search as a whole is confident
 * (its best probability reaches the threshold). No hits is never confident.
 *
 * @example
 * const { probabilities, confident } = onTopic(fusedHits, calibration);
 */
export function onTopic(
  hits: readonly HitSignals[],
  calibration: RetrievalConfidence,
): { probabilities: number[]; confident: boolean } {
  const probabilities = confidenceFeatures(hits).map((features) => probabilityOf(features, calibration));
  return { probabilities, confident: isConfident(probabilities, calibration.threshold) };
}

export function isConfident(probabilities: readonly number[], threshold: number): boolean {
  return probabilities.length > 0 && Math.max(...probabilities) >= threshold;
}
