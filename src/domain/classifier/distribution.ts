/** Probabilities over labels; sums to 1 (or is empty when a source knows nothing). */
export type Distribution = Record<string, number>;

export function normalise(distribution: Distribution): Distribution {
  const total = Object.values(distribution).reduce((sum, value) => sum + Math.max(0, value), 0);
  if (total <= 0) return {};
  return Object.fromEntries(
    Object.entries(distribution).map(([label, value]) => [label, Math.max(0, value) / total]),
  );
}

export function fromArrays(labels: readonly string[], probabilities: readonly number[]): Distribution {
  return normalise(Object.fromEntries(labels.map((label, index) => [label, probabilities[index] ?? 0])));
}

/**
 * Weighted mixture of the sources that have an opinion (empty distributions are skipped and
 * their weight is not counted), so a centre without history still gets answers.
 *
 * @example
 * mixDistributions([{ distribution: { a: 1 }, weight: 1 }, { distribution: { a: 0.5, b: 0.5 }, weight: 1 }]);
 * // { a: 0.75, b: 0.25 }
 */
export function mixDistributions(
  parts: readonly { distribution: Distribution; weight: number }[],
): Distribution {
  const mixed: Distribution = {};
  let totalWeight = 0;
  for (const { distribution, weight } of parts) {
    if (weight <= 0 || Object.keys(distribution).length === 0) continue;
    totalWeight += weight;
    for (const [label, value] of Object.entries(distribution))
      mixed[label] = (mixed[label] ?? 0) + weight * value;
  }
  return totalWeight === 0 ? {} : normalise(mixed);
}

/** Temperature scaling: p^(1/T), renormalised. T > 1 softens, T < 1 sharpens. */
export function applyTemperature(distribution: Distribution, temperature: number): Distribution {
  const floor = 1e-9;
  return normalise(
    Object.fromEntries(
      Object.entries(distribution).map(([label, value]) => [
        label,
        Math.exp(Math.log(Math.max(value, floor)) / temperature),
      ]),
    ),
  );
}

export function ranked(distribution: Distribution): { label: string; probability: number }[] {
  return Object.entries(distribution)
    .map(([label, probability]) => ({ label, probability }))
    .sort((a, b) => b.probability - a.probability || (a.label < b.label ? -1 : 1));
}

export const TEMPERATURE_GRID = [
  0.25, 0.35, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.15, 1.3, 1.5, 1.75, 2, 2.5, 3,
] as const;

/**
 * The temperature that minimises the negative log-likelihood of the gold labels on held-out
 * predictions (a grid search: robust, and the curve is smooth).
 */
export function fitTemperature(
  predictions: readonly { distribution: Distribution; gold: readonly string[] }[],
): number {
  let best = 1;
  let bestLoss = Number.POSITIVE_INFINITY;
  for (const temperature of TEMPERATURE_GRID) {
    let loss = 0;
    for (const { distribution, gold } of predictions) {
      const calibrated = applyTemperature(distribution, temperature);
      const probability = gold.reduce((sum, label) => sum + (calibrated[label] ?? 0), 0);
      loss -= Math.log(Math.max(probability, 1e-9));
    }
    if (loss < bestLoss) {
      bestLoss = loss;
      best = temperature;
    }
  }
  return best;
}

export interface Neighbour {
  similarity: number;
  labels: readonly string[];
}

export const KNN = { k: 15, sharpness: 20 } as const;

/**
 * Votes of the k nearest labelled cases, each weighted by exp(sharpness × similarity), so close
 * cases count much more than far ones. A case with several labels splits its vote.
 */
export function knnVote(
  neighbours: readonly Neighbour[],
  options: { k: number; sharpness: number } = KNN,
): Distribution {
  const votes: Distribution = {};
  const top = [...neighbours].sort((a, b) => b.similarity - a.similarity).slice(0, options.k);
  const best = top[0]?.similarity ?? 0;
  for (const neighbour of top) {
    if (neighbour.labels.length === 0) continue;
    const weight = Math.exp(options.sharpness * (neighbour.similarity - best)) / neighbour.labels.length;
    for (const label of neighbour.labels) votes[label] = (votes[label] ?? 0) + weight;
  }
  return normalise(votes);
}
