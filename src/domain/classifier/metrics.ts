/** One prediction: labels ranked best first with their confidence, and the acceptable gold labels. */
export interface ScoredPrediction {
  ranked: readonly { label: string; probability: number }[];
  gold: readonly string[];
}

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  n: number;
  accuracy: number;
  macroF1: number;
  top3: number;
  perClass: Record<string, ClassMetrics>;
  ece: number;
  /** confusion[gold][predicted] = count (gold = first acceptable label when several). */
  confusion: Record<string, Record<string, number>>;
  reliability: { binFrom: number; binTo: number; count: number; confidence: number; accuracy: number }[];
  /** Share of requests auto-fillable (confidence ≥ threshold) and precision on them. */
  precisionCoverage: { threshold: number; coverage: number; precision: number }[];
  /** Largest share of requests that can be auto-filled at ≥ 95% precision. */
  coverageAt95: number;
}

const isCorrect = (prediction: ScoredPrediction) => {
  const top = prediction.ranked[0]?.label;
  return top !== undefined && prediction.gold.includes(top);
};

/**
 * Accuracy, macro-F1, top-3, per-class P/R/F1, confusion, ECE with its reliability bins, and the
 * precision–coverage curve. With several acceptable gold labels a prediction is correct if it is
 * one of them, and counts for that label.
 *
 * @example
 * classificationReport([{ ranked: [{ label: "a", probability: 0.9 }], gold: ["a"] }]).accuracy; // 1
 */
export function classificationReport(
  predictions: readonly ScoredPrediction[],
  bins = 10,
): ClassificationReport {
  const n = predictions.length;
  const truePositive = new Map<string, number>();
  const predicted = new Map<string, number>();
  const support = new Map<string, number>();
  const confusion: Record<string, Record<string, number>> = {};
  let correct = 0;
  let top3 = 0;
  for (const prediction of predictions) {
    const top = prediction.ranked[0]?.label ?? "(none)";
    const ok = isCorrect(prediction);
    // The gold label this prediction is judged against: the one it hit, else the first.
    const gold = ok ? top : (prediction.gold[0] ?? "(none)");
    support.set(gold, (support.get(gold) ?? 0) + 1);
    predicted.set(top, (predicted.get(top) ?? 0) + 1);
    if (ok) {
      correct += 1;
      truePositive.set(top, (truePositive.get(top) ?? 0) + 1);
    }
    if (prediction.ranked.slice(0, 3).some((entry) => prediction.gold.includes(entry.label))) top3 += 1;
    const row = confusion[gold] ?? {};
    row[top] = (row[top] ?? 0) + 1;
    confusion[gold] = row;
  }
  const perClass: Record<string, ClassMetrics> = {};
  for (const label of [...support.keys()].sort()) {
    const tp = truePositive.get(label) ?? 0;
    const precision = tp / Math.max(1, predicted.get(label) ?? 0);
    const recall = tp / Math.max(1, support.get(label) ?? 0);
    perClass[label] = {
      precision,
      recall,
      f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
      support: support.get(label) ?? 0,
    };
  }
  const f1s = Object.values(perClass).map((metrics) => metrics.f1);

  const reliability = Array.from({ length: bins }, (_, index) => ({
    binFrom: index / bins,
    binTo: (index + 1) / bins,
    count: 0,
    confidence: 0,
    accuracy: 0,
  }));
  for (const prediction of predictions) {
    const confidence = prediction.ranked[0]?.probability ?? 0;
    const bin = reliability[Math.min(bins - 1, Math.floor(confidence * bins))];
    if (!bin) continue;
    bin.count += 1;
    bin.confidence += confidence;
    bin.accuracy += isCorrect(prediction) ? 1 : 0;
  }
  let ece = 0;
  for (const bin of reliability) {
    if (bin.count === 0) continue;
    bin.confidence /= bin.count;
    bin.accuracy /= bin.count;
    ece += (bin.count / Math.max(1, n)) * Math.abs(bin.accuracy - bin.confidence);
  }

  const byConfidence = [...predictions].sort(
    (a, b) => (b.ranked[0]?.probability ?? 0) - (a.ranked[0]?.probability ?? 0),
  );
  const precisionCoverage: ClassificationReport["precisionCoverage"] = [];
  for (let step = 0; step <= 20; step += 1) {
    const threshold = step / 20;
    const covered = byConfidence.filter(
      (prediction) => (prediction.ranked[0]?.probability ?? 0) >= threshold,
    );
    const hits = covered.filter(isCorrect).length;
    precisionCoverage.push({
      threshold,
      coverage: covered.length / Math.max(1, n),
      precision: covered.length === 0 ? 1 : hits / covered.length,
    });
  }
  let coverageAt95 = 0;
  let hits = 0;
  byConfidence.forEach((prediction, index) => {
    if (isCorrect(prediction)) hits += 1;
    if (hits / (index + 1) >= 0.95) coverageAt95 = (index + 1) / Math.max(1, n);
  });

  return {
    n,
    accuracy: correct / Math.max(1, n),
    macroF1: f1s.length === 0 ? 0 : f1s.reduce((sum, value) => sum + value, 0) / f1s.length,
    top3: top3 / Math.max(1, n),
    perClass,
    ece,
    confusion,
    reliability,
    precisionCoverage,
    coverageAt95,
  };
}
