import type { Emergency } from "#domain/knowledge/schema";
import type { Embedder } from "#domain/ports";
import { buildUrgencyIndex, phrasingsOf, type UrgencyIndex } from "#domain/urgency/detect";

/**
 * Compiles the emergency list's cues and embeds every item's phrasings once (one embed call), for
 * the urgency detector; memoised like the label index, retried after a failure.
 *
 * @example
 * const urgency = lazyUrgencyIndex(embedder, bundle.emergencies);
 * detectUrgency(await urgency(), text, clauseVectors);
 */
export function lazyUrgencyIndex(
  embedder: Embedder,
  emergencies: readonly Emergency[],
): () => Promise<UrgencyIndex> {
  let pending: Promise<UrgencyIndex> | null = null;
  return () => {
    pending ??= (async () => {
      const texts = emergencies.map(phrasingsOf);
      const vectors = texts.some((list) => list.length > 0) ? await embedder.embed(texts.flat()) : [];
      let offset = 0;
      const perItem = texts.map((list) => {
        const slice = vectors.slice(offset, offset + list.length);
        offset += list.length;
        return slice;
      });
      return buildUrgencyIndex(emergencies, perItem);
    })();
    pending.catch(() => {
      pending = null;
    });
    return pending;
  };
}
