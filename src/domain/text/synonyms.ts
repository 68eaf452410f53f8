import type { Synonym } from "../knowledge/schema";

export interface SynonymIndex {
  /** Every term that means the same as `term` (official and colloquial), excluding itself. */
  related(term: string): readonly string[];
}

/**
 * Builds the expansion index from the synonym table: a colloquial term maps to its official term
 * and that term's other colloquial forms, and the official term maps to all its forms.
 *
 * @example
 * const index = buildSynonymIndex([{ official: "社会保障卡", colloquial: ["社保卡", "医保卡"] }]);
 * index.related("医保卡"); // ["社会保障卡", "社保卡"]
 */
export function buildSynonymIndex(entries: readonly Synonym[]): SynonymIndex {
  const groups = new Map<string, Set<string>>();
  for (const entry of entries) {
    const group = [entry.official, ...entry.colloquial].map((term) => term.toLowerCase());
    for (const term of group) {
      const related = groups.get(term) ?? new Set<string>();
      for (const other of group) if (other !== term) related.add(other);
      groups.set(term, related);
    }
  }
  return { related: (term) => [...(groups.get(term.toLowerCase()) ?? [])] };
}

/**
 * Query terms plus their synonyms (expanded terms after the originals, capped).
 *
 * @example
 * expandTerms(["医保卡", "补办"], index, 10); // ["医保卡", "补办", "社会保障卡", "社保卡"]
 */
export function expandTerms(terms: readonly string[], index: SynonymIndex, max: number): string[] {
  const expanded = [...terms];
  const seen = new Set(terms);
  for (const term of terms) {
    for (const related of index.related(term)) {
      if (expanded.length >= max) return expanded;
      if (!seen.has(related)) {
        seen.add(related);
        expanded.push(related);
      }
    }
  }
  return expanded;
}
