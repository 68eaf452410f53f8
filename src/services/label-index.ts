import { type LabelIndex, labelDescriptions } from "#domain/classifier/zero-shot";
import type { Department, Taxonomy } from "#domain/knowledge/schema";
import type { Embedder } from "#domain/ports";

/**
 * Embeds the label descriptions once (departments' duties, category paths) for zero-shot scoring;
 * the returned function memoises the work, so the first suggest call (or start-up) pays for it.
 */
export function lazyLabelIndex(
  embedder: Embedder,
  departments: readonly Department[],
  taxonomy: Taxonomy,
): () => Promise<LabelIndex> {
  let pending: Promise<LabelIndex> | null = null;
  return () => {
    pending ??= (async () => {
      const descriptions = labelDescriptions(departments, taxonomy);
      const embed = async (entries: { label: string; text: string }[]) => {
        const vectors = await embedder.embed(entries.map((entry) => entry.text));
        return entries.map((entry, index) => ({
          label: entry.label,
          vector: vectors[index] ?? new Float32Array(),
        }));
      };
      return {
        department: await embed(descriptions.department),
        category: await embed(descriptions.category),
        category1: await embed(descriptions.category1),
      };
    })();
    pending.catch(() => {
      pending = null;
    });
    return pending;
  };
}
