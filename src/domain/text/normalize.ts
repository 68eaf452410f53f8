/** Longest query text we embed or segment; longer input is cut, never rejected. */
export const MAX_QUERY_CHARS = 1000;
/** At most this many distinct terms go into a full-text query. */
export const MAX_QUERY_TERMS = 32;

/**
 * Canonical form for matching: NFKC (full-width → half-width), lower case, whitespace folded,
 * control characters removed.
 *
 * @example
 * normalizeText("１２３４５　热线ABC") // "12345 热线abc"
 */
export function normalizeText(text: string): string {
  return (
    text
      .normalize("NFKC")
      .toLowerCase()
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
      .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]/g, " ")
      .replace(/\s+/g, " ")
      .trim()
  );
}

/** A token is a term only if it has a letter or digit; punctuation, emoji and symbols are dropped. */
const TERM_CHARACTERS = /[^\p{L}\p{N}]/gu;

/**
 * Turns segmenter tokens into safe search terms: only letters and digits survive, stop words and
 * duplicates go, and the list is capped. The result can be placed in a tsquery without escaping.
 *
 * @example
 * searchTerms(["我", "的", "医保卡", "丢", "了", "!!!"], new Set(["我", "的", "了"])) // ["医保卡", "丢"]
 */
export function searchTerms(tokens: readonly string[], stopWords: ReadonlySet<string>): string[] {
  const terms: string[] = [];
  const seen = new Set<string>();
  for (const token of tokens) {
    const term = token.normalize("NFKC").toLowerCase().replace(TERM_CHARACTERS, "");
    if (term.length === 0 || term.length > 40 || stopWords.has(term) || seen.has(term)) continue;
    seen.add(term);
    terms.push(term);
    if (terms.length >= MAX_QUERY_TERMS) break;
  }
  return terms;
}
