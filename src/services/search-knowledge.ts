import type { Lexicon } from "#domain/knowledge/lexicon";
import type { KnowledgeRepository, PublishedScript, SearchFilters } from "#domain/knowledge/repository";
import type { PolicyBasis } from "#domain/knowledge/schema";
import type { Clock, Embedder, Segmenter } from "#domain/ports";
import { type SearchInput, SearchInputSchema } from "#domain/requests";
import { NO_WORDS, onTopic, type RetrievalConfidence } from "#domain/retrieval/confidence";
import { queryCoverage, type ScriptVocabulary, scriptText } from "#domain/retrieval/coverage";
import { type FusionConfig, fuseRankings } from "#domain/retrieval/fusion";
import { MAX_QUERY_CHARS, normalizeText, searchTerms } from "#domain/text/normalize";
import { expandTerms } from "#domain/text/synonyms";
import { detectUrgency, type UrgencyIndex } from "#domain/urgency/detect";

const MAX_EXPANDED_TERMS = 48;

export interface SearchDeps {
  knowledge: KnowledgeRepository;
  embedder: Embedder;
  segmenter: Segmenter;
  clock: Clock;
  lexicon: Lexicon;
  fusion: FusionConfig;
  /** Calibration of "on topic" (knowledge/retrieval-confidence.yaml). */
  retrievalConfidence: RetrievalConfidence;
  /** The scripts' words (knowledge files at start-up), for the question's word coverage. */
  scriptVocabulary: ScriptVocabulary;
  /** The emergency list's cues (no embeddings): a question naming an emergency is not calm. */
  emergencyCues: UrgencyIndex;
}

export interface SearchResult {
  id: string;
  title: string;
  question: string;
  matchedText: string;
  answer: string;
  /** The policy basis the script rests on (unknown parts empty). */
  basis: PolicyBasis;
  departments: string[];
  category: string[];
  region: string;
  validTo: string | null;
  version: number;
  score: number;
  /** Calibrated probability that this script is on topic for the query. */
  onTopic: number;
  signals: { vector: number | null; fulltext: number | null; fused: number };
}

/**
 * How much of the question's words (`text`: normalised) the first script and the catalogue
 * contain, and whether it names an emergency. The script's words come from the vocabulary
 * (variants included); a script published since start-up is read from its live version and the
 * passage that matched. The calibration reads the result through `evidence`.
 */
function questionWords(
  deps: Pick<SearchDeps, "segmenter" | "lexicon" | "scriptVocabulary" | "emergencyCues">,
  text: string,
  first: { itemId: string; matchedText: string } | undefined,
  version?: Pick<PublishedScript, "title" | "question" | "answer">,
) {
  if (!first) return NO_WORDS;
  const terms = searchTerms(deps.segmenter.cut(text), deps.lexicon.stopWords);
  const words =
    deps.scriptVocabulary.texts.get(first.itemId) ??
    `${version ? scriptText(version) : ""} ${normalizeText(first.matchedText)}`;
  return {
    ...queryCoverage(terms, words, deps.scriptVocabulary, deps.lexicon.synonyms),
    // Cues only: the same on the search route and in suggest, and no embedding on the way.
    calm: detectUrgency(deps.emergencyCues, text).matched.length > 0 ? 0 : 1,
  };
}

/** Today's date in China (the hotline's calendar), as YYYY-MM-DD. */
export function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * Hybrid retrieval over published, currently valid scripts: pgvector cosine search on titles,
 * questions and variants, jieba full-text search with synonym expansion, fused by weighted
 * reciprocal rank. Any input string is safe: it is normalised, cut and reduced to letters and digits.
 *
 * @example
 * const { results } = await searchKnowledge({ deps, input: { query: "医保卡唔见咗点算" } });
 */
export async function searchKnowledge({
  deps,
  input,
  vector: given,
}: {
  deps: SearchDeps;
  input: SearchInput;
  /**
   * The query's embedding when the caller computes it (the suggest call), possibly still on its
   * way: the full-text query is sent meanwhile.
   */
  vector?: Float32Array | Promise<Float32Array>;
}): Promise<{
  results: SearchResult[];
  /** Whether the best script is on topic with the calibrated confidence; false: say so, do not read one. */
  confident: boolean;
  terms: string[];
  /**
   * The calibration's features as computed here (over every candidate, not only the page): per
   * search in ANSWERABLE_FEATURES order (null without hits), per returned script in
   * CONFIDENCE_FEATURES order. `npm run eval:calibrate` fits on exactly these.
   */
  evidence: { answerable: number[] | null; results: number[][] };
  timings: { embedMs: number; searchMs: number };
}> {
  const { query, limit, filters } = SearchInputSchema.parse(input);
  const text = normalizeText(query).slice(0, MAX_QUERY_CHARS);
  const terms = expandTerms(
    searchTerms(deps.segmenter.cutForSearch(text), deps.lexicon.stopWords),
    deps.lexicon.synonyms,
    MAX_EXPANDED_TERMS,
  );
  if (text.length === 0 || terms.length === 0) {
    return {
      results: [],
      confident: false,
      terms,
      evidence: { answerable: null, results: [] },
      timings: { embedMs: 0, searchMs: 0 },
    };
  }
  const options = { limit, filters: filters as SearchFilters, today: chinaDate(deps.clock.now()) };

  // One round trip when the repository can (vector, full text and versions in one statement);
  // otherwise full text, which needs no embedding, runs while the model works.
  const hybrid = deps.knowledge.hybridSearch?.bind(deps.knowledge);
  const fulltext = hybrid ? null : deps.knowledge.fulltextSearch(terms, options);
  fulltext?.catch(() => {}); // awaited below; a rejection must not count as unhandled meanwhile
  const embedStarted = performance.now();
  const [vector] = given ? [await given] : await deps.embedder.embed([text]);
  const embedMs = performance.now() - embedStarted;
  if (!vector) throw new Error("embedder returned no vector");

  // Search time is what is left once the embedding is there.
  const searchStarted = performance.now();
  let ranking: ReturnType<typeof fuseRankings>;
  let found: PublishedScript[] | null = null;
  if (hybrid) {
    const hits = await hybrid(vector, terms, options, deps.fusion);
    ranking = fuseRankings({ vector: hits.vector, fulltext: hits.fulltext }, deps.fusion);
    found = hits.versions;
  } else {
    const [vectorHits, fulltextHits] = await Promise.all([
      deps.knowledge.vectorSearch(vector, options),
      fulltext ?? [],
    ]);
    ranking = fuseRankings({ vector: vectorHits, fulltext: fulltextHits }, deps.fusion);
  }
  const fused = ranking.slice(0, limit);
  const versions = new Map((found ?? []).map((version) => [version.itemId, version]));
  // The hybrid search returns the versions of the items its own fusion ranks first; one it missed
  // (a tie ordered differently) is read apart, as all are without it.
  const missing = fused.map((hit) => hit.itemId).filter((itemId) => !versions.has(itemId));
  if (missing.length > 0) {
    for (const version of await deps.knowledge.publishedVersions(missing))
      versions.set(version.itemId, version);
  }
  // Over every candidate, not only the page: the margin to the runner-up must not depend on limit.
  const { probabilities, confident, features } = onTopic(
    ranking,
    deps.retrievalConfidence,
    questionWords(deps, text, fused[0], fused[0] && versions.get(fused[0].itemId)),
  );
  const results: SearchResult[] = [];
  const resultFeatures: number[][] = [];
  for (const [index, hit] of fused.entries()) {
    const version = versions.get(hit.itemId);
    if (!version) continue;
    resultFeatures.push(features.hits[index] ?? []);
    results.push({
      id: hit.itemId,
      title: version.title,
      question: version.question,
      matchedText: hit.matchedText,
      answer: version.answer,
      basis: version.basis,
      departments: version.departments,
      category: version.category,
      region: version.region,
      validTo: version.validTo,
      version: version.version,
      score: hit.fused,
      onTopic: Math.round((probabilities[index] ?? 0) * 10_000) / 10_000,
      signals: { vector: hit.signals.vector, fulltext: hit.signals.fulltext, fused: hit.fused },
    });
  }
  return {
    results,
    confident: confident && results.length > 0,
    terms,
    evidence: { answerable: features.search, results: resultFeatures },
    timings: {
      embedMs: Math.round(embedMs * 10) / 10,
      searchMs: Math.round((performance.now() - searchStarted) * 10) / 10,
    },
  };
}
