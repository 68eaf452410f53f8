import type { Emergency } from "../knowledge/schema";
import {
  type CompiledCue,
  clauseTime,
  compileCue,
  continuesNow,
  cueMatches,
  isHypothetical,
  isPraise,
  isResolved,
  literalCue,
} from "./cues";
import { clausesWithSentences, splitClauses, urgencyText } from "./text";

/**
 * Urgency as a detector with recall first: each item of the emergency list is a meaning (cue
 * patterns in everyday words, whole phrasings for embedding similarity, non-urgent look-alikes),
 * matched clause by clause, so the one urgent sentence of a long call is found and a past or
 * resolved event ("上个月", "已修好") is not.
 */

/** Tuning knobs of the detector. */
export const URGENCY_DETECTION = {
  /** A clause whose cosine similarity to an item's phrasing reaches this matches by meaning alone. */
  similarity: 0.8,
  /** A window of adjacent clauses for cue patterns whose words span a comma, at most this long. */
  windowChars: 48,
  /** At most this many adjacent clauses form a window. */
  windowClauses: 3,
  /** Clauses shorter than this are not compared by similarity (too little meaning). */
  minSimilarityChars: 6,
  /** A call this short (matching form) is also compared as a whole, by the text's own embedding. */
  wholeCallChars: 40,
  /** At most this many clauses of a call are embedded for similarity (latency). */
  maxSimilarityClauses: 16,
  /** A match is withdrawn when one of this many following clauses says it is over ("…救了出来"). */
  resolvedWithin: 2,
} as const;

export type UrgencyEvidence = "cue" | "similarity" | "both";

export interface UrgencyItem {
  id: string;
  name: string;
  level: Emergency["level"];
  dispatchWithinMinutes: number;
  departments: string[];
  cues: CompiledCue[];
  exclusions: string[];
  /** Embeddings of the item's phrasings (empty when none or not yet computed). */
  phrasingVectors: Float32Array[];
}

export interface UrgencyIndex {
  items: UrgencyItem[];
}

/** The texts whose embeddings an item's similarity needs, in order (see buildUrgencyIndex). */
export function phrasingsOf(item: Pick<Emergency, "phrasings">): string[] {
  return item.phrasings ?? [];
}

/**
 * Compiles the emergency list for detection; `phrasingVectors[i]` are the embeddings of
 * `phrasingsOf(emergencies[i])` (omit them to match by cues only).
 *
 * @example
 * const index = buildUrgencyIndex([{ id: "gas-leak", cues: ["煤气味|燃气味"], … }]);
 */
export function buildUrgencyIndex(
  emergencies: readonly Emergency[],
  phrasingVectors: readonly (readonly Float32Array[])[] = [],
): UrgencyIndex {
  return {
    items: emergencies.map((item, index) => ({
      id: item.id,
      name: item.name,
      level: item.level,
      dispatchWithinMinutes: item.dispatchWithinMinutes,
      departments: item.departments,
      cues: [...item.triggers.map(literalCue), ...(item.cues ?? []).map(compileCue)],
      exclusions: (item.exclusions ?? []).map(urgencyText).filter((term) => term.length > 0),
      phrasingVectors: [...(phrasingVectors[index] ?? [])],
    })),
  };
}

export interface UrgencyMatch {
  itemId: string;
  name: string;
  level: Emergency["level"];
  dispatchWithinMinutes: number;
  departments: string[];
  /** The clause (or adjacent clauses) that matched, as the caller said it. */
  clause: string;
  by: UrgencyEvidence;
  /** 1 for a cue match; the cosine similarity for a match by meaning (the higher of both). */
  score: number;
  /** The cue pattern that matched, if any. */
  cue?: string;
}

export interface UrgencyResult {
  urgent: boolean;
  /** One entry per matched item, most pressing (shortest dispatch time) first. */
  matched: UrgencyMatch[];
  /** The clauses examined, as the caller said them (clauseVectors must be in this order). */
  clauses: string[];
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}

/** The clauses of a call, in the order `clauseVectors` must follow. */
export function urgencyClauses(text: string): string[] {
  return splitClauses(text);
}

/**
 * Positions of the clauses worth embedding for similarity (long enough, capped), so a service can
 * embed just those in one call.
 *
 * @example
 * similarityPositions(["喂,你好", "楼道里有很浓的燃气味"]) // [1]
 */
export function similarityPositions(clauses: readonly string[]): number[] {
  const positions: number[] = [];
  clauses.forEach((clause, position) => {
    if (urgencyText(clause).length >= URGENCY_DETECTION.minSimilarityChars) positions.push(position);
  });
  return positions.slice(0, URGENCY_DETECTION.maxSimilarityClauses);
}

/**
 * Finds the emergency items a call describes. Cue patterns are matched on single clauses and on
 * windows of adjacent clauses; `clauseVectors` (unit embeddings of `urgencyClauses(text)`, in
 * order) add matches by meaning. A clause that speaks of the past or of a resolved event, or
 * contains one of the item's exclusions, matches nothing.
 *
 * @example
 * detectUrgency(index, "你好，我想问物业费。楼道里有很浓的燃气味").matched[0]?.itemId // "gas-leak"
 */
export function detectUrgency(
  index: UrgencyIndex,
  text: string,
  clauseVectors: readonly (Float32Array | undefined)[] = [],
  /** The whole call's embedding: a short call's meaning can span its clauses ("电梯停了，我们在里面"). */
  textVector?: Float32Array,
): UrgencyResult {
  return startUrgency(index, text).finish(clauseVectors, textVector);
}

/** A detection whose cue patterns are matched; `finish` adds the matches by meaning. */
export interface UrgencyInProgress {
  clauses: string[];
  finish(clauseVectors: readonly (Float32Array | undefined)[], textVector?: Float32Array): UrgencyResult;
}

/**
 * `detectUrgency` in two steps: the cue patterns need only the text, so a service matches them
 * while the model is still embedding the clauses, and finishes with the vectors.
 *
 * @example
 * const urgency = startUrgency(index, text); // meanwhile: clauseVectors(embedder, text, …)
 * urgency.finish(await vectors, await textVector).matched;
 */
export function startUrgency(index: UrgencyIndex, text: string): UrgencyInProgress {
  const { clauses, sentences } = clausesWithSentences(text);
  const forms = clauses.map(urgencyText);
  if (isPraise(forms.join(","))) return { clauses, finish: () => ({ urgent: false, matched: [], clauses }) };
  const time = forms.map(clauseTime);
  // A condition covers the rest of its sentence: "如果遇到电梯困人，在里面应该怎么做" tells of no event.
  forms.forEach((form, position) => {
    if (!isHypothetical(form)) return;
    for (let next = position + 1; next < forms.length && sentences[next] === sentences[position]; next += 1) {
      time[next] = "dead";
    }
  });
  const resolvedAfter = (end: number) =>
    forms.slice(end + 1, end + 1 + URGENCY_DETECTION.resolvedWithin).some(isResolved);
  const best = new Map<string, UrgencyMatch>();
  const offer = (match: UrgencyMatch) => {
    const current = best.get(match.itemId);
    if (!current) {
      best.set(match.itemId, match);
      return;
    }
    const by: UrgencyEvidence = current.by === match.by ? current.by : "both";
    const preferred = match.score > current.score ? match : current;
    best.set(match.itemId, { ...preferred, by, cue: current.cue ?? match.cue });
  };

  for (let start = 0; start < clauses.length; start += 1) {
    let form = "";
    let shown = "";
    let past = false;
    // The window from its first past clause on: only there can a cue say it still goes on.
    let sincePast = "";
    for (let end = start; end < Math.min(clauses.length, start + URGENCY_DETECTION.windowClauses); end += 1) {
      if (time[end] === "dead") break;
      past ||= time[end] === "past";
      form = end === start ? (forms[end] ?? "") : `${form},${forms[end] ?? ""}`;
      if (past) sincePast = sincePast ? `${sincePast},${forms[end] ?? ""}` : (forms[end] ?? "");
      shown = end === start ? (clauses[end] ?? "") : `${shown}，${clauses[end] ?? ""}`;
      if (end > start && form.length > URGENCY_DETECTION.windowChars) break;
      // A window with an earlier time ("昨天出海") counts only if it says it is still going on.
      if (past && !continuesNow(sincePast)) continue;
      if (resolvedAfter(end)) continue;
      for (const item of index.items) {
        if (item.exclusions.some((term) => form.includes(term))) continue;
        const cue = item.cues.find((candidate) => cueMatches(candidate, form));
        if (!cue) continue;
        const existing = best.get(item.id);
        // The shortest window that matches is the clause to show.
        if (existing?.cue) continue;
        offer({ ...itemFields(item), clause: shown, by: "cue", score: 1, cue: cue.source });
      }
    }
  }

  return {
    clauses,
    finish: (clauseVectors, textVector) => {
      finishSimilarity(clauseVectors, textVector);
      const matched = [...best.values()].sort(
        (a, b) => a.dispatchWithinMinutes - b.dispatchWithinMinutes || b.score - a.score,
      );
      return { urgent: matched.length > 0, matched, clauses };
    },
  };

  function finishSimilarity(
    clauseVectors: readonly (Float32Array | undefined)[],
    textVector: Float32Array | undefined,
  ): void {
    const similar = (clause: string, form: string, vector: Float32Array) => {
      for (const item of index.items) {
        if (item.phrasingVectors.length === 0) continue;
        if (item.exclusions.some((term) => form.includes(term))) continue;
        const score = Math.max(...item.phrasingVectors.map((phrasing) => dot(vector, phrasing)));
        if (score < URGENCY_DETECTION.similarity) continue;
        const existing = best.get(item.id);
        if (existing && existing.by !== "similarity" && existing.clause !== clause) {
          // A cue already found the item elsewhere; similarity agreeing on another clause adds nothing.
          continue;
        }
        offer({ ...itemFields(item), clause, by: "similarity", score: Math.round(score * 10000) / 10000 });
      }
    };
    clauses.forEach((clause, position) => {
      const vector = clauseVectors[position];
      const form = forms[position] ?? "";
      if (!vector || time[position] !== "live" || form.length < URGENCY_DETECTION.minSimilarityChars) return;
      if (resolvedAfter(position)) return;
      similar(clause, form, vector);
    });
    const whole = forms.join(",");
    if (
      textVector &&
      clauses.length > 1 &&
      whole.length <= URGENCY_DETECTION.wholeCallChars &&
      time.every((entry) => entry === "live")
    ) {
      similar(clauses.join("，"), whole, textVector);
    }
  }
}

function itemFields(item: UrgencyItem) {
  return {
    itemId: item.id,
    name: item.name,
    level: item.level,
    dispatchWithinMinutes: item.dispatchWithinMinutes,
    departments: item.departments,
  };
}
