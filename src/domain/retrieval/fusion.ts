/** Weights of each signal in reciprocal-rank fusion, and RRF's damping constant. */
export const DEFAULT_FUSION = {
  k: 60,
  weights: { vector: 1, fulltext: 0.5 },
} as const;

export interface FusionConfig {
  k: number;
  weights: { vector: number; fulltext: number };
}

export type Signal = "vector" | "fulltext";

/** One script's best hit in one signal (one entry per script per signal). */
export interface SignalHit {
  itemId: string;
  score: number;
  matchedText: string;
}

export interface FusedHit {
  itemId: string;
  fused: number;
  signals: { vector: number | null; fulltext: number | null };
  ranks: { vector: number | null; fulltext: number | null };
  matchedText: string;
}

/**
 * Keeps each script's best-scoring passage, ordered best first.
 *
 * @example
 * bestPerItem([{ itemId: "a", score: 0.5, matchedText: "x" }, { itemId: "a", score: 0.9, matchedText: "y" }]);
 * // [{ itemId: "a", score: 0.9, matchedText: "y" }]
 */
export function bestPerItem(hits: readonly SignalHit[]): SignalHit[] {
  const best = new Map<string, SignalHit>();
  for (const hit of hits) {
    const current = best.get(hit.itemId);
    if (!current || hit.score > current.score) best.set(hit.itemId, hit);
  }
  return [...best.values()].sort((a, b) => b.score - a.score || a.itemId.localeCompare(b.itemId));
}

/**
 * Weighted reciprocal-rank fusion: fused = Σ weight / (k + rank). Ranks start at 1. Ties break on
 * the vector score, then the id, so results are deterministic.
 *
 * @example
 * fuseRankings({ vector: [{ itemId: "a", score: 0.8, matchedText: "…" }], fulltext: [] }, DEFAULT_FUSION);
 */
export function fuseRankings(
  rankings: { vector: readonly SignalHit[]; fulltext: readonly SignalHit[] },
  config: FusionConfig,
): FusedHit[] {
  const fused = new Map<string, FusedHit>();
  for (const signal of ["vector", "fulltext"] as const) {
    const ranked = bestPerItem(rankings[signal]);
    ranked.forEach((hit, index) => {
      const rank = index + 1;
      const entry = fused.get(hit.itemId) ?? {
        itemId: hit.itemId,
        fused: 0,
        signals: { vector: null, fulltext: null },
        ranks: { vector: null, fulltext: null },
        matchedText: hit.matchedText,
      };
      entry.fused += config.weights[signal] / (config.k + rank);
      entry.signals[signal] = hit.score;
      entry.ranks[signal] = rank;
      fused.set(hit.itemId, entry);
    });
  }
  return [...fused.values()].sort(
    (a, b) =>
      b.fused - a.fused ||
      (b.signals.vector ?? -1) - (a.signals.vector ?? -1) ||
      a.itemId.localeCompare(b.itemId),
  );
}
