import { type Distribution, normalise } from "#domain/classifier/distribution";
import { assessDuties, buildDutyIndex, type DutyAssessment, type DutyIndex } from "#domain/classifier/duties";
import type { FixedSignals } from "#domain/classifier/engine";
import {
  compileMarketEntity,
  judgeMarketEntity,
  type MarketEntityModel,
} from "#domain/classifier/market-entity";
import {
  buildCatalogueIndex,
  type CatalogueIndex,
  matchCatalogue,
  matchMarketEntity,
  matchTypeCues,
  type RuleMatch,
  ruleDistribution,
} from "#domain/classifier/rules";
import { compileTypeCues, type TypeCueModel, typeCueDistribution } from "#domain/classifier/type-cues";
import { type LabelIndex, zeroShot } from "#domain/classifier/zero-shot";
import type { HandlingRules } from "#domain/deadlines";
import type { Emergency, KnowledgeBundle } from "#domain/knowledge/schema";
import type { Embedder } from "#domain/ports";
import { normalizeText, searchTerms } from "#domain/text/normalize";
import { expandTerms } from "#domain/text/synonyms";
import { startUrgency, type UrgencyIndex, type UrgencyMatch } from "#domain/urgency/detect";
import { lazyLabelIndex } from "./label-index";
import { type SearchDeps, type SearchResult, searchKnowledge } from "./search-knowledge";
import { clauseVectors } from "./urgency-clauses";
import { lazyUrgencyIndex } from "./urgency-index";

/** What the suggest engine knows from the knowledge base (built once at start-up). */
export interface SuggestContext {
  catalogue: CatalogueIndex;
  emergencies: readonly Emergency[];
  rules: HandlingRules;
  departmentNames: ReadonlyMap<string, string>;
  /** Every category path [l1, l2, l3] of the taxonomy, for pickers. */
  categoryPaths: readonly (readonly [string, string, string])[];
  labelIndex: () => Promise<LabelIndex>;
  /** The emergency list compiled for the urgency detector (phrasings embedded once). */
  urgencyIndex: () => Promise<UrgencyIndex>;
  /** The sentence-level type cue model from types.yaml (absent: the type head goes without it). */
  typeCues?: TypeCueModel | null;
  /** The 权责清单 (duties.yaml) compiled for matching (absent: departments go without it). */
  duties?: DutyIndex | null;
  /** The business definition (market-entity.yaml) compiled (absent: the flat cue words). */
  marketEntity?: MarketEntityModel | null;
}

/** The suggest context of a knowledge bundle (rules must be present). */
export function createSuggestContext(
  bundle: KnowledgeBundle & { rules: HandlingRules },
  embedder: Embedder,
): SuggestContext {
  return {
    catalogue: buildCatalogueIndex(bundle.departments),
    emergencies: bundle.emergencies,
    rules: bundle.rules,
    departmentNames: new Map(bundle.departments.map((department) => [department.code, department.name])),
    categoryPaths: bundle.taxonomy.flatMap((level1) =>
      level1.children.flatMap((level2) =>
        level2.children.map((leaf) => [level1.name, level2.name, leaf.name] as const),
      ),
    ),
    labelIndex: lazyLabelIndex(embedder, bundle.departments, bundle.taxonomy),
    urgencyIndex: lazyUrgencyIndex(embedder, bundle.emergencies),
    typeCues: bundle.requestTypes ? compileTypeCues(bundle.requestTypes) : null,
    duties: bundle.duties ? buildDutyIndex(bundle.duties) : null,
    marketEntity: bundle.marketEntity ? compileMarketEntity(bundle.marketEntity) : null,
  };
}

export interface GatheredSignals {
  fixed: FixedSignals;
  scripts: SearchResult[];
  /** The search's "on topic" decision (issue #14): false means 未找到可靠口径. */
  scriptsConfident: boolean;
  /** Emergency items the call describes (urgency detector), most pressing first. */
  emergencies: UrgencyMatch[];
  catalogueMatches: RuleMatch[];
  typeCues: RuleMatch[];
  market: { score: number; reasons: string[]; decisive?: "business" | "not" | null };
  /** The call read against the 权责清单 (null without duties.yaml). */
  duties: DutyAssessment | null;
  searchMs: number;
}

const SCRIPT_SIGNAL_TOP = 5;

/** Categories and departments of the best-matching scripts, weighted by their fused score. */
function scriptDistributions(results: readonly SearchResult[]) {
  const category: Distribution = {};
  const category1: Distribution = {};
  const department: Distribution = {};
  for (const result of results.slice(0, SCRIPT_SIGNAL_TOP)) {
    const weight = Math.max(0, result.signals.vector ?? 0) ** 4;
    const path = result.category.join("/");
    category[path] = (category[path] ?? 0) + weight;
    const level1 = result.category[0];
    if (level1) category1[level1] = (category1[level1] ?? 0) + weight;
    result.departments.forEach((code, index) => {
      department[code] = (department[code] ?? 0) + weight / (index + 1);
    });
  }
  return {
    category: normalise(category),
    category1: normalise(category1),
    department: normalise(department),
  };
}

/** Type evidence from the text alone: the flat cue words and the sentence-level cue model. */
export function typeSignals(
  context: Pick<SuggestContext, "typeCues">,
  text: string,
  cueWords: readonly RuleMatch[] = matchTypeCues(normalizeText(text)),
): { rules: Distribution; cues: Distribution } {
  return {
    rules: ruleDistribution(cueWords, 1),
    cues: typeCueDistribution(context.typeCues, normalizeText(text)),
  };
}

/**
 * Evidence that needs no training: the dispatch catalogue and emergency list (with synonyms),
 * type and market-entity cue words, zero-shot similarity to label descriptions, and the
 * categories/departments of the best-matching answer scripts.
 */
export async function gatherSignals({
  deps,
  input,
}: {
  deps: SearchDeps & { suggest: SuggestContext };
  /** The text's embedding, possibly still being computed: the text-only work happens meanwhile. */
  input: {
    text: string;
    vector: Float32Array | Promise<Float32Array>;
    callerType?: "person" | "business" | undefined;
    /** The district the agent entered, if any (the place when the text names none). */
    district?: string | undefined;
  };
}): Promise<GatheredSignals> {
  const { text } = input;
  const normalized = normalizeText(text);
  const terms = searchTerms(deps.segmenter.cut(normalized), deps.lexicon.stopWords);
  const expanded = expandTerms(terms, deps.lexicon.synonyms, 64);

  const started = performance.now();
  const waiting = Promise.all([
    deps.suggest.labelIndex(),
    searchKnowledge({ deps, input: { query: text, limit: 10 }, vector: input.vector }),
    input.vector,
    clauseVectors(deps.embedder, text, input.vector),
  ]);
  waiting.catch(() => {}); // awaited below; the urgency index is awaited first
  // The text-only evidence is judged while the model embeds the text and the database searches:
  // done after the await, it would add its milliseconds to every call.
  const urgency = startUrgency(await deps.suggest.urgencyIndex(), text);
  const catalogueMatches = matchCatalogue(deps.suggest.catalogue, normalized, expanded);
  const typeCues = matchTypeCues(normalized);
  // The business definition (market-entity.yaml) when present, else the flat cue words.
  const judged = deps.suggest.marketEntity
    ? judgeMarketEntity(deps.suggest.marketEntity, text, input.callerType)
    : null;
  const market = judged
    ? { score: judged.probability, reasons: judged.reasons, decisive: judged.decisive }
    : matchMarketEntity(normalized, input.callerType);
  const marketProbability = judged
    ? judged.probability
    : market.score <= 0
      ? 0.08
      : Math.min(0.95, 0.55 + 0.15 * market.score);
  const duties = deps.suggest.duties ? assessDuties(deps.suggest.duties, text, input.district) : null;
  const types = typeSignals(deps.suggest, normalized, typeCues);
  const [labelIndex, search, vector, clauses] = await waiting;
  const searchMs = performance.now() - started;

  const emergencies = urgency.finish(clauses, vector).matched;
  const departmentRules = ruleDistribution(catalogueMatches);
  for (const emergency of emergencies) {
    emergency.departments.forEach((code, index) => {
      departmentRules[code] = (departmentRules[code] ?? 0) + 1 / (index + 1);
    });
  }
  const scripts = scriptDistributions(search.results);

  return {
    fixed: {
      category1: { zeroShot: zeroShot(labelIndex.category1, vector), scripts: scripts.category1 },
      category: { zeroShot: zeroShot(labelIndex.category, vector), scripts: scripts.category },
      department: {
        zeroShot: zeroShot(labelIndex.department, vector),
        rules: normalise(departmentRules),
        scripts: scripts.department,
        ...(duties ? { duties: duties.distribution } : {}),
      },
      type: types,
      urgent: { rules: emergencies.length > 0 ? { true: 0.95, false: 0.05 } : { true: 0.04, false: 0.96 } },
      marketEntity: { rules: { true: marketProbability, false: 1 - marketProbability } },
    },
    scripts: search.results,
    scriptsConfident: search.confident,
    emergencies,
    catalogueMatches,
    typeCues,
    market,
    duties,
    searchMs,
  };
}
