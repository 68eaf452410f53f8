import { buildSynonymIndex, type SynonymIndex } from "../text/synonyms";
import { contentHash } from "./hash";
import type { KnowledgeBundle } from "./schema";

/** What query processing needs from the knowledge files: stop words and synonyms. */
export interface Lexicon {
  stopWords: ReadonlySet<string>;
  synonyms: SynonymIndex;
}

export function buildLexicon(bundle: Pick<KnowledgeBundle, "stopWords" | "synonyms">): Lexicon {
  return { stopWords: new Set(bundle.stopWords), synonyms: buildSynonymIndex(bundle.synonyms) };
}

export const EMPTY_LEXICON: Lexicon = buildLexicon({ stopWords: [], synonyms: [] });

/**
 * Fingerprint of everything that decides how a passage is cut into full-text tokens: the jieba user
 * dictionary, the stop words and the synonyms. The index is re-tokenised when it changes.
 *
 * @example
 * lexiconHash(bundle) !== lexiconHash({ ...bundle, userDictionary: [...bundle.userDictionary, "揸车 10 v"] });
 */
export function lexiconHash(
  bundle: Pick<KnowledgeBundle, "userDictionary" | "stopWords" | "synonyms">,
): string {
  return contentHash({
    userDictionary: bundle.userDictionary,
    stopWords: bundle.stopWords,
    synonyms: bundle.synonyms,
  });
}
