import { normalizeText } from "../text/normalize";
import type { SynonymIndex } from "../text/synonyms";

/**
 * How much of a question the knowledge base speaks of, in words (issue #14). Vector similarity
 * alone cannot tell "收养一个小孩要办什么手续" from a script about 改名手续: both read like
 * 办事 questions (~0.70). What tells them apart is the question's content words: a script that
 * answers it contains them (or their synonyms), and words no script contains at all (比特币,
 * 收养) mean a topic the catalogue lacks. Words are weighted by how rare they are among the
 * scripts (inverse document frequency), so 办理/手续/怎么 count little and 收养 counts a lot.
 */

/** Most document frequencies remembered; beyond it the memo starts over (a server sees endless words). */
export const VOCABULARY_MEMO_LIMIT = 20_000;

export interface ScriptVocabulary {
  /** Each script's searchable words (title, question, variants, answer), normalised, by id. */
  readonly texts: ReadonlyMap<string, string>;
  /** How many scripts contain the term or one of its synonyms (memoised). */
  documentFrequency(term: string, synonyms: SynonymIndex): number;
  readonly size: number;
}

/** What the vocabulary is built from: a script's own words. */
export interface VocabularyScript {
  id: string;
  title: string;
  question: string;
  variants?: readonly string[];
  answer: string;
}

/** A script's words as the coverage reads them (normalised, one string). */
export function scriptText(script: Omit<VocabularyScript, "id">): string {
  return normalizeText([script.title, script.question, ...(script.variants ?? []), script.answer].join(" "));
}

/**
 * The vocabulary of a set of scripts (the knowledge files at start-up).
 *
 * @example
 * const vocabulary = buildScriptVocabulary(bundle.scripts);
 */
export function buildScriptVocabulary(scripts: readonly VocabularyScript[]): ScriptVocabulary {
  const texts = new Map(scripts.map((script) => [script.id, scriptText(script)]));
  const documents = [...texts.values()];
  const memo = new Map<string, number>();
  return {
    texts,
    size: documents.length,
    documentFrequency(term, synonyms) {
      const known = memo.get(term);
      if (known !== undefined) return known;
      const forms = [term, ...synonyms.related(term)];
      const count = documents.filter((document) => forms.some((form) => document.includes(form))).length;
      if (memo.size >= VOCABULARY_MEMO_LIMIT) memo.clear();
      memo.set(term, count);
      return count;
    },
  };
}

export interface QueryCoverage {
  /** Share of the question's word weight that the script contains (synonyms count). */
  coverage: number;
  /** Share of the question's word weight found in at least one script of the catalogue. */
  known: number;
}

/**
 * Coverage of the question's content words (`terms`: precise cut, stop words gone) by one
 * script's text, and the share of them the catalogue knows at all; each word weighs its inverse
 * document frequency log((N + 1) / (df + 1)). No words: both 0 (nothing to go on).
 *
 * @example
 * queryCoverage(["收养", "小孩", "手续"], scriptText(nameChange), vocabulary, synonyms);
 * // { coverage: 0.2, known: 0.45 }: only 手续 is in the script, 收养 in no script
 */
export function queryCoverage(
  terms: readonly string[],
  text: string,
  vocabulary: ScriptVocabulary,
  synonyms: SynonymIndex,
): QueryCoverage {
  let total = 0;
  let covered = 0;
  let known = 0;
  for (const term of new Set(terms)) {
    const frequency = vocabulary.documentFrequency(term, synonyms);
    const weight = Math.log((vocabulary.size + 1) / (frequency + 1));
    total += weight;
    if (frequency > 0) known += weight;
    if (text.includes(term) || synonyms.related(term).some((form) => text.includes(form))) covered += weight;
  }
  return total > 0 ? { coverage: covered / total, known: known / total } : { coverage: 0, known: 0 };
}
