import { buildSynonymIndex, type SynonymIndex } from "../text/synonyms";
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
