import type { Department, Taxonomy } from "../knowledge/schema";
import { type Distribution, normalise } from "./distribution";

/** Label descriptions embedded once, for zero-shot similarity (works with no history at all). */
export interface LabelIndex {
  department: { label: string; vector: Float32Array }[];
  category: { label: string; vector: Float32Array }[];
  category1: { label: string; vector: Float32Array }[];
}

export const ZERO_SHOT = { sharpness: 25, top: 10 } as const;

/** The texts to embed for each label: what a department does, what a category is about. */
export function labelDescriptions(departments: readonly Department[], taxonomy: Taxonomy) {
  return {
    department: departments.map((department) => ({
      label: department.code,
      text: `${department.name}：${department.duties.join("、")}。${department.keywords.slice(0, 12).join("、")}`,
    })),
    category: taxonomy.flatMap((level1) =>
      level1.children.flatMap((level2) =>
        level2.children.map((leaf) => ({
          label: `${level1.name}/${level2.name}/${leaf.name}`,
          text: `${leaf.name}（${level2.name}，${level1.name}）`,
        })),
      ),
    ),
    category1: taxonomy.map((level1) => ({
      label: level1.name,
      text: `${level1.name}：${level1.children.map((level2) => level2.name).join("、")}`,
    })),
  };
}

/**
 * Softmax over the cosine similarity of the request to each label description, kept to the best
 * few labels so the long tail does not flatten the distribution.
 */
export function zeroShot(
  entries: LabelIndex[keyof LabelIndex],
  vector: Float32Array,
  options = ZERO_SHOT,
): Distribution {
  const scored = entries.map((entry) => {
    let dot = 0;
    for (let index = 0; index < vector.length; index += 1)
      dot += (vector[index] ?? 0) * (entry.vector[index] ?? 0);
    return { label: entry.label, similarity: dot };
  });
  scored.sort((a, b) => b.similarity - a.similarity);
  const best = scored[0]?.similarity ?? 0;
  return normalise(
    Object.fromEntries(
      scored
        .slice(0, options.top)
        .map((entry) => [entry.label, Math.exp(options.sharpness * (entry.similarity - best))]),
    ),
  );
}
