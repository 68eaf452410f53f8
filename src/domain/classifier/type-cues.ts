import type { RequestTypes } from "../knowledge/request-types";
import type { Distribution } from "./distribution";
import { REQUEST_TYPES, type RequestType, ruleText } from "./rules";

/**
 * How much each kind of evidence counts. The fused engine learns how far to trust the cue model
 * as a whole; these only shape its distribution.
 */
export const TYPE_CUE_WEIGHTS = {
  strong: 3,
  cue: 1,
  /** A boundary phrase, counted once per call, only when its type or the neighbour is in play. */
  boundary: 1.5,
  /** A sentence that asks for information adds this much to 咨询. */
  asking: 1.5,
  /**
   * In a question, 投诉/举报/求助 words are the topic, not the act ("去边度投诉？"); in a request
   * for action, 咨询 words are politeness ("可唔可以帮手…"). Such hits are scaled by this.
   */
  offMode: 0.3,
  /** The caller's ask usually closes the call: the last sentence counts more. */
  lastSentence: 1.5,
  /** Characters before a cue searched for a negation. */
  negationWindow: 4,
  /**
   * Scores → probabilities: exp(sharpness × score), then a floor so no type is ruled out. Chosen so
   * the cue model's confidence matches its accuracy on the seed history (mean confidence 0.89 at
   * accuracy 0.93; log-loss 0.26): an under-confident component only dilutes a linear fusion, and
   * the engine then learns to leave it out (at sharpness 0.7 it learned weight 0).
   */
  sharpness: 2,
  floor: 0.01,
} as const;

export interface TypeCueModel {
  negation: readonly string[];
  asking: readonly string[];
  action: readonly string[];
  types: readonly {
    type: RequestType;
    /** Strong and ordinary cues, longest first, with their weight. */
    cues: readonly { phrase: string; weight: number }[];
    boundaries: readonly { against: RequestType; cues: readonly string[] }[];
  }[];
}

const byLength = (a: { phrase: string }, b: { phrase: string }) => b.phrase.length - a.phrase.length;

/**
 * Prepares knowledge/types.yaml for matching (phrases normalised as the rules match text).
 *
 * @example
 * const model = compileTypeCues(bundle.requestTypes);
 */
export function compileTypeCues(definitions: RequestTypes): TypeCueModel {
  const clean = (list: readonly string[]) => [...new Set(list.map(ruleText).filter((p) => p.length > 0))];
  return {
    negation: clean(definitions.negation),
    asking: clean(definitions.asking),
    action: clean(definitions.action),
    types: definitions.types.map((entry) => {
      const weights = new Map<string, number>();
      for (const phrase of clean(entry.cues)) weights.set(phrase, TYPE_CUE_WEIGHTS.cue);
      for (const phrase of clean(entry.strong)) weights.set(phrase, TYPE_CUE_WEIGHTS.strong);
      return {
        type: entry.type,
        cues: [...weights].map(([phrase, weight]) => ({ phrase, weight })).sort(byLength),
        boundaries: entry.boundaries.map((boundary) => ({
          against: boundary.against,
          cues: clean(boundary.cues),
        })),
      };
    }),
  };
}

/** Sentences of a call: split at full stops, question and exclamation marks, semicolons, lines. */
export function splitSentences(text: string): string[] {
  return ruleText(text)
    .split(/(?<=[。！？!?；;])/)
    .map((sentence) => sentence.replace(/[。！!；;]+$/, ""))
    .filter((sentence) => sentence.length > 0);
}

function negated(sentence: string, at: number, negation: readonly string[], window: number): boolean {
  const before = sentence.slice(Math.max(0, at - window - 3), at);
  // The negation must end within `window` characters of the cue.
  return negation.some((word) => {
    const index = before.lastIndexOf(word);
    return index >= 0 && before.length - (index + word.length) <= window - 1;
  });
}

/** Non-overlapping, non-negated occurrences of phrases (longest first) in a sentence. */
function findPhrases(
  sentence: string,
  phrases: readonly { phrase: string; weight: number }[],
  negation: readonly string[],
): { phrase: string; weight: number }[] {
  const taken = new Array<boolean>(sentence.length).fill(false);
  const found: { phrase: string; weight: number }[] = [];
  for (const entry of phrases) {
    let from = 0;
    for (;;) {
      const at = sentence.indexOf(entry.phrase, from);
      if (at < 0) break;
      from = at + 1;
      const end = at + entry.phrase.length;
      if (taken.slice(at, end).some(Boolean)) continue;
      for (let index = at; index < end; index += 1) taken[index] = true;
      if (negated(sentence, at, negation, TYPE_CUE_WEIGHTS.negationWindow)) continue;
      found.push(entry);
    }
  }
  return found;
}

export type SentenceMode = "asking" | "action" | "statement";

/** Whether a sentence asks for information, asks someone to act, or states something. */
export function sentenceMode(model: TypeCueModel, sentence: string): SentenceMode {
  const asks =
    /[？?]$/.test(sentence) ||
    findPhrases(
      sentence,
      model.asking.map((phrase) => ({ phrase, weight: 1 })),
      model.negation,
    ).length > 0;
  const acts =
    findPhrases(
      sentence,
      model.action.map((phrase) => ({ phrase, weight: 1 })),
      model.negation,
    ).length > 0;
  if (acts) return "action";
  return asks ? "asking" : "statement";
}

export interface TypeCueEvidence {
  scores: Record<RequestType, number>;
  /** Phrases that counted, per type, for reasons shown to agents. */
  matched: Record<RequestType, string[]>;
  /** Each counted phrase with the sentence it was found in (boundary phrases: "boundary"). */
  evidence: { type: RequestType; phrase: string; sentence: string; kind: "cue" | "boundary" }[];
}

/**
 * Sentence-level cue scores per type: each sentence's cues (negated ones dropped), scaled by what
 * the sentence does (asking for information vs asking for action), the last sentence counting
 * more; then boundary phrases for each pair of neighbouring types that is in play.
 *
 * @example
 * scoreTypeCues(model, "想问下去边度投诉？").scores.咨询 > scoreTypeCues(model, "想问下去边度投诉？").scores.投诉; // true
 */
export function scoreTypeCues(model: TypeCueModel, text: string): TypeCueEvidence {
  const scores = Object.fromEntries(REQUEST_TYPES.map((type) => [type, 0])) as Record<RequestType, number>;
  const matched = Object.fromEntries(REQUEST_TYPES.map((type) => [type, [] as string[]])) as Record<
    RequestType,
    string[]
  >;
  const evidence: TypeCueEvidence["evidence"] = [];
  const sentences = splitSentences(text);
  sentences.forEach((sentence, index) => {
    const position =
      index === sentences.length - 1 && sentences.length > 1 ? TYPE_CUE_WEIGHTS.lastSentence : 1;
    const mode = sentenceMode(model, sentence);
    if (mode === "asking") scores.咨询 += TYPE_CUE_WEIGHTS.asking * position;
    for (const entry of model.types) {
      const offMode =
        (mode === "asking" && entry.type !== "咨询" && entry.type !== "建议" && entry.type !== "表扬") ||
        (mode === "action" && entry.type === "咨询");
      const factor = position * (offMode ? TYPE_CUE_WEIGHTS.offMode : 1);
      for (const hit of findPhrases(sentence, entry.cues, model.negation)) {
        scores[entry.type] += hit.weight * factor;
        if (!matched[entry.type].includes(hit.phrase)) matched[entry.type].push(hit.phrase);
        evidence.push({ type: entry.type, phrase: hit.phrase, sentence, kind: "cue" });
      }
    }
  });
  const base = { ...scores };
  const whole = sentences.join("。");
  for (const entry of model.types) {
    for (const boundary of entry.boundaries) {
      if ((base[entry.type] ?? 0) + (base[boundary.against] ?? 0) <= 0) continue;
      for (const phrase of boundary.cues) {
        const at = whole.indexOf(phrase);
        if (at < 0 || negated(whole, at, model.negation, TYPE_CUE_WEIGHTS.negationWindow)) continue;
        scores[entry.type] += TYPE_CUE_WEIGHTS.boundary;
        if (!matched[entry.type].includes(phrase)) matched[entry.type].push(phrase);
        const sentence = sentences.find((candidate) => candidate.includes(phrase)) ?? phrase;
        evidence.push({ type: entry.type, phrase, sentence, kind: "boundary" });
      }
    }
  }
  return { scores, matched, evidence };
}

/**
 * Why the cue model points to a type: each cue and the sentence (clause) it was found in, for
 * the suggestion's reasons.
 *
 * @example
 * typeCueReasons(model, "我要投诉呢间铺，唔肯退钱", "投诉"); // ["用语「投诉」见于「我要投诉呢间铺,唔肯退钱」"]
 */
export function typeCueReasons(
  model: TypeCueModel | null | undefined,
  text: string,
  type: RequestType,
  limit = 3,
): string[] {
  if (!model) return [];
  const reasons: string[] = [];
  for (const entry of scoreTypeCues(model, text).evidence) {
    if (entry.type !== type) continue;
    const clause = entry.sentence.length > 40 ? `${entry.sentence.slice(0, 40)}…` : entry.sentence;
    const reason =
      entry.kind === "boundary"
        ? `边界用语「${entry.phrase}」见于「${clause}」`
        : `用语「${entry.phrase}」见于「${clause}」`;
    if (!reasons.includes(reason)) reasons.push(reason);
    if (reasons.length >= limit) break;
  }
  return reasons;
}

/**
 * The cue model's type distribution; empty (no opinion) when no cue at all is found, so the fused
 * engine relies on its other components.
 *
 * @example
 * typeCueDistribution(model, "我要投诉呢间铺，唔肯退钱"); // { 投诉: 0.9…, … }
 */
export function typeCueDistribution(model: TypeCueModel | null | undefined, text: string): Distribution {
  if (!model || model.types.length === 0) return {};
  const { scores } = scoreTypeCues(model, text);
  const values = REQUEST_TYPES.map((type) => scores[type]);
  const best = Math.max(...values);
  if (best <= 0) return {};
  const weights = values.map((value) => Math.exp(TYPE_CUE_WEIGHTS.sharpness * (value - best)));
  const total = weights.reduce((sum, value) => sum + value, 0);
  const floor = TYPE_CUE_WEIGHTS.floor;
  const scale = 1 - floor * REQUEST_TYPES.length;
  return Object.fromEntries(
    REQUEST_TYPES.map((type, index) => [type, floor + (scale * (weights[index] ?? 0)) / total]),
  );
}

/**
 * Agents' summaries name the type they chose ("来电人投诉…", "市民来电咨询…"): most of the seed
 * history does, callers' own words almost never do. Trained on such text, every component looks
 * near-perfect on internal cross-validation and the fusion cannot tell which evidence carries over
 * to live calls; so training reads the summary verb as a neutral 称.
 */
const SUMMARY_TYPE_VERB =
  /(来电人|来电者|市民|群众|居民|村民|家长|业主|企业|商户|个体户|果农|养殖户|老兵|阿姨|有人|来电|致电)(来电|致电)?(投诉|举报|咨询|询问|表扬|建议|求助)/g;

/**
 * The text with agent-summary type verbs neutralised (for training only; callers' words such as
 * "我要投诉" are kept).
 *
 * @example
 * withoutSummaryTypeVerb("来电人投诉物业乱收费"); // "来电人称物业乱收费"
 */
export function withoutSummaryTypeVerb(text: string): string {
  return text.replace(
    SUMMARY_TYPE_VERB,
    (_match, who: string, via: string | undefined) => `${who}${via ?? ""}称`,
  );
}
