import type { MarketEntityDefinition } from "../knowledge/market-entity";
import { type CompiledCue, compileCue, cueMatches } from "../urgency/cues";
import { urgencyText } from "../urgency/text";

/**
 * Probabilities the business definition gives, by what it finds. The fused engine learns how far
 * to trust the rule as a whole; these only order the cases.
 */
export const MARKET_ENTITY_SCORING = {
  /** A business subject and one of its own matters. */
  subjectAndTopic: 0.93,
  /** A business subject, no listed matter. */
  subjectOnly: 0.75,
  /** A matter only businesses have, no subject named. */
  strongTopicOnly: 0.8,
  /** A consumer, employee or neighbour situation without a business subject. */
  boundary: 0.04,
  /** A business subject, but the call is an employee's or consumer's complaint. */
  subjectInBoundary: 0.3,
  /** Nothing at all. */
  none: 0.06,
  /** The caller said they are a business (callerType). */
  declared: 0.95,
} as const;

export interface MarketEntityModel {
  subjects: CompiledCue[];
  strong: CompiledCue[];
  weak: CompiledCue[];
  boundaries: { kind: string; rule: string; cues: CompiledCue[] }[];
}

/**
 * Compiles knowledge/market-entity.yaml for matching.
 *
 * @example
 * const model = compileMarketEntity(bundle.marketEntity);
 */
export function compileMarketEntity(definition: MarketEntityDefinition): MarketEntityModel {
  return {
    subjects: definition.subjects.map(compileCue),
    strong: definition.topics.strong.map(compileCue),
    weak: definition.topics.weak.map(compileCue),
    boundaries: definition.boundaries.map((boundary) => ({
      kind: boundary.kind,
      rule: boundary.rule,
      cues: boundary.cues.map(compileCue),
    })),
  };
}

export interface MarketEntityJudgement {
  probability: number;
  reasons: string[];
  /**
   * What the definition settles on its own: `business` (a business subject speaking about one of
   * its own matters, or a declared business caller), `not` (a consumer, employee or neighbour
   * situation without a business subject), or null (the learned head decides).
   */
  decisive: "business" | "not" | null;
}

const BOUNDARY_NAMES: Record<string, string> = {
  consumer: "消费者投诉商家",
  employee: "劳动者投诉本单位",
  neighbour: "居民反映企业扰民",
};

/** The first sentence-level match of any cue, as the text that matched (for reasons). */
function firstMatch(cues: readonly CompiledCue[], sentences: readonly string[]): string | null {
  for (const sentence of sentences) {
    for (const cue of cues) {
      if (!cueMatches(cue, sentence)) continue;
      for (const group of cue.groups)
        for (const pattern of group) {
          pattern.lastIndex = 0;
          const found = pattern.exec(sentence);
          if (found) return found[0];
        }
    }
  }
  return null;
}

/**
 * The business flag by definition: a business subject speaking about its own operations; a
 * consumer, employee or neighbour situation is not one (unless a business subject speaks).
 *
 * @example
 * judgeMarketEntity(model, "我们公司想变更经营范围").probability; // 0.93
 * judgeMarketEntity(model, "在超市买到过期牛奶，商家不肯退").probability; // 0.04
 */
export function judgeMarketEntity(
  model: MarketEntityModel,
  text: string,
  callerType?: "person" | "business",
): MarketEntityJudgement {
  const sentences = urgencyText(text)
    .split(/[。！？!?；;\n]+/)
    .filter((sentence) => sentence.length > 0);
  const subject = firstMatch(model.subjects, sentences);
  const strong = firstMatch(model.strong, sentences);
  const weak = firstMatch(model.weak, sentences);
  const boundary = model.boundaries.find((entry) => firstMatch(entry.cues, sentences) !== null);
  const reasons: string[] = [];
  if (callerType === "business") reasons.push("来电人类型：企业/个体工商户");
  if (subject) reasons.push(`经营者身份「${subject}」`);
  if (strong ?? weak) reasons.push(`经营事项「${strong ?? weak}」`);
  if (boundary) reasons.push(`边界：${BOUNDARY_NAMES[boundary.kind] ?? boundary.kind}（${boundary.rule}）`);
  let probability: number;
  if (boundary && (!subject || boundary.kind === "employee"))
    probability = subject ? MARKET_ENTITY_SCORING.subjectInBoundary : MARKET_ENTITY_SCORING.boundary;
  else if (subject)
    probability = strong || weak ? MARKET_ENTITY_SCORING.subjectAndTopic : MARKET_ENTITY_SCORING.subjectOnly;
  else if (strong) probability = MARKET_ENTITY_SCORING.strongTopicOnly;
  else probability = MARKET_ENTITY_SCORING.none;
  if (callerType === "business") probability = Math.max(probability, MARKET_ENTITY_SCORING.declared);
  const decisive =
    callerType === "business" || (subject && (strong || weak) && !(boundary && boundary.kind === "employee"))
      ? "business"
      : boundary && !subject
        ? "not"
        : null;
  return { probability, reasons: reasons.slice(0, 4), decisive };
}

/**
 * The served business flag: the definition where it settles the case, else the fused head.
 *
 * @example
 * marketEntityDecision(0.3, { decisive: "business" }); // true
 * marketEntityDecision(0.7, { decisive: null }); // true
 */
export function marketEntityDecision(
  fusedProbability: number,
  judgement: Pick<MarketEntityJudgement, "decisive"> | null,
): boolean {
  if (judgement?.decisive === "business") return true;
  if (judgement?.decisive === "not") return false;
  return fusedProbability >= 0.5;
}
