import type { Duties, DutyMatter } from "../knowledge/duties";
import { type CompiledCue, compileCue, cueMatches } from "../urgency/cues";
import { urgencyText } from "../urgency/text";
import { type Distribution, normalise } from "./distribution";

/**
 * How the 权责清单 turns into department evidence. Scores are counts of matched matters; the
 * fused engine learns how far to trust the duties component as a whole.
 */
export const DUTY_SCORING = {
  /** A matter found in a sentence. */
  matter: 2,
  /** The district's own work (ownWork cues) or a 属地 matter, for the named place's district. */
  ownWork: 2,
  /** A boundary phrase of a department whose neighbour is also in play. */
  boundary: 1,
  /** A department that loses a boundary keeps this share of its score. */
  boundaryLoser: 0.25,
  sharpness: 1.5,
  /** Share a district government keeps in the fused ranking when it is not warranted to lead. */
  districtDemotion: 0.05,
  /** A second department found in its own sentence is proposed as assisting from this score. */
  secondIssue: 2,
} as const;

interface CompiledMatter {
  owner: string;
  name: string;
  handles: string;
  cues: CompiledCue[];
  unless: string[];
  assist: { code: string; why: string; when: CompiledCue[] }[];
}

export interface DutyIndex {
  localCodes: readonly string[];
  fallbackBelow: number;
  /** Place names (matching form), longest first, with their district. */
  places: readonly { place: string; district: string }[];
  ownWork: CompiledCue[];
  localMatters: CompiledMatter[];
  matters: CompiledMatter[];
  boundaries: ReadonlyMap<string, readonly { against: string; rule: string; cues: string[] }[]>;
}

function compileMatter(owner: string, matter: DutyMatter): CompiledMatter {
  return {
    owner,
    name: matter.name,
    handles: matter.handles,
    cues: matter.cues.map(compileCue),
    unless: matter.unless.map(urgencyText),
    assist: matter.assist.map((assist) => ({
      code: assist.code,
      why: assist.why,
      when: assist.when.map(compileCue),
    })),
  };
}

/**
 * Compiles knowledge/duties.yaml for matching.
 *
 * @example
 * const index = buildDutyIndex(bundle.duties);
 */
export function buildDutyIndex(duties: Duties): DutyIndex {
  return {
    localCodes: duties.local.codes,
    fallbackBelow: duties.local.fallbackBelow,
    places: Object.entries(duties.local.places)
      .flatMap(([district, places]) =>
        (places ?? []).map((place) => ({ place: urgencyText(place), district })),
      )
      .sort((a, b) => b.place.length - a.place.length),
    ownWork: duties.local.ownWork.cues.map(compileCue),
    localMatters: duties.local.matters.map((matter) => compileMatter("local", matter)),
    matters: duties.departments.flatMap((entry) =>
      entry.matters.map((matter) => compileMatter(entry.code, matter)),
    ),
    boundaries: new Map(
      duties.departments.map((entry) => [
        entry.code,
        entry.boundaries.map((boundary) => ({
          against: boundary.against,
          rule: boundary.rule,
          cues: boundary.cues.map(urgencyText),
        })),
      ]),
    ),
  };
}

/** Sentences in matching form (a matter and its `unless` words are judged within one sentence). */
function sentences(text: string): string[] {
  return urgencyText(text)
    .split(/[。！？!?；;\n]+/)
    .filter((sentence) => sentence.length > 0);
}

interface MatterHit {
  matter: CompiledMatter;
  sentence: number;
}

export interface DutyAssessment {
  /** Duty evidence per department (district codes only for the named place). */
  distribution: Distribution;
  /** Why, per department: the matter and the sentence, boundary decisions. */
  reasons: Record<string, string[]>;
  /** The district whose place the call names (or the request's district field), if any. */
  place: string | null;
  /** The call is about the town/street/village's own work or a 属地 matter. */
  ownWork: boolean;
  /** Matters found, per department, with the sentence index (for assisting departments). */
  hits: Record<string, { name: string; sentence: number; assist: { code: string; why: string }[] }[]>;
}

/** The district named in the text (longest place name first), or the given district. */
export function placeDistrict(index: DutyIndex, text: string, district?: string | null): string | null {
  const haystack = urgencyText(text);
  const named = index.places.find((entry) => haystack.includes(entry.place));
  if (named) return named.district;
  return district && index.localCodes.includes(district) ? district : null;
}

/**
 * Reads a call against the 权责清单: which duty matters it raises (per sentence, `unless` words
 * giving the case to the neighbour), which department wins each boundary in play, whether it is
 * about the district's own work, and which place it names.
 *
 * @example
 * assessDuties(index, "江城区我楼上邻居半夜唱K好吵").distribution; // { gaj: 1 } — not jcq
 */
export function assessDuties(index: DutyIndex, text: string, district?: string | null): DutyAssessment {
  const place = placeDistrict(index, text, district);
  const list = sentences(text);
  const hits: MatterHit[] = [];
  const matchMatters = (matters: readonly CompiledMatter[]) => {
    for (const matter of matters) {
      list.forEach((sentence, position) => {
        if (matter.unless.some((word) => sentence.includes(word))) return;
        if (matter.cues.some((cue) => cueMatches(cue, sentence))) hits.push({ matter, sentence: position });
      });
    }
  };
  matchMatters(index.matters);
  matchMatters(index.localMatters);
  const ownWorkSentence = list.findIndex((sentence) =>
    index.ownWork.some((cue) => cueMatches(cue, sentence)),
  );

  const scores: Record<string, number> = {};
  const reasons: Record<string, string[]> = {};
  const found: DutyAssessment["hits"] = {};
  const reason = (code: string, text: string) => {
    const entry = reasons[code] ?? [];
    if (!entry.includes(text)) entry.push(text);
    reasons[code] = entry;
  };
  const whole = list.join("。");
  for (const hit of hits) {
    const code = hit.matter.owner === "local" ? place : hit.matter.owner;
    if (!code) continue;
    const seen = found[code] ?? [];
    if (seen.some((entry) => entry.name === hit.matter.name)) continue;
    const assist = hit.matter.assist
      .filter((entry) => entry.when.length === 0 || entry.when.some((cue) => cueMatches(cue, whole)))
      .map((entry) => ({ code: entry.code === "local" ? (place ?? "") : entry.code, why: entry.why }))
      .filter((entry) => entry.code && entry.code !== code);
    seen.push({ name: hit.matter.name, sentence: hit.sentence, assist });
    found[code] = seen;
    scores[code] =
      (scores[code] ?? 0) + (hit.matter.owner === "local" ? DUTY_SCORING.ownWork : DUTY_SCORING.matter);
    reason(code, `权责清单「${hit.matter.name}」：${hit.matter.handles}`);
  }
  const ownWork = ownWorkSentence >= 0 || hits.some((hit) => hit.matter.owner === "local");
  if (ownWorkSentence >= 0 && place) {
    scores[place] = (scores[place] ?? 0) + DUTY_SCORING.ownWork;
    reason(place, "诉求针对镇街、社区或村委会自身的工作（属地管理）");
  }

  // Boundaries: when both sides of a written boundary are in play, its phrases decide.
  for (const [code, boundaries] of index.boundaries) {
    if (!(code in scores)) continue;
    for (const boundary of boundaries) {
      if (!(boundary.against in scores)) continue;
      const mine = boundary.cues.filter((cue) => whole.includes(cue));
      const theirs = (index.boundaries.get(boundary.against) ?? [])
        .filter((other) => other.against === code)
        .flatMap((other) => other.cues.filter((cue) => whole.includes(cue)));
      if (mine.length > theirs.length) {
        scores[boundary.against] = (scores[boundary.against] ?? 0) * DUTY_SCORING.boundaryLoser;
        scores[code] = (scores[code] ?? 0) + DUTY_SCORING.boundary;
        reason(code, `边界：${boundary.rule}（本诉求有「${mine.slice(0, 2).join("」「")}」）`);
      }
    }
  }

  const best = Math.max(0, ...Object.values(scores));
  const distribution =
    best <= 0
      ? {}
      : normalise(
          Object.fromEntries(
            Object.entries(scores).map(([code, score]) => [
              code,
              Math.exp(DUTY_SCORING.sharpness * (score - best)),
            ]),
          ),
        );
  return { distribution, reasons, place, ownWork, hits: found };
}

/**
 * 区政府兜底: a district government may lead only when the call is about its own work (or a 属地
 * matter) or no functional department is likely enough; otherwise — e.g. a call that merely names
 * a place — district governments are demoted below the functional departments. A district other
 * than the one named is always demoted.
 *
 * @example
 * gateDistricts(index, { jcq: 0.5, gaj: 0.4 }, assessDuties(index, "江城区楼上邻居半夜唱K"));
 * // gaj first
 */
export function gateDistricts(
  index: DutyIndex,
  distribution: Distribution,
  assessment: Pick<DutyAssessment, "place" | "ownWork">,
  /**
   * Functional departments the knowledge itself points to (a duty matter, a catalogue keyword or
   * duty): when there is one, a functional department fits and the fallback does not apply.
   */
  functionalEvidence: readonly string[] = [],
): { distribution: Distribution; fallback: boolean } {
  const local = new Set(index.localCodes);
  const functional = Object.entries(distribution).filter(([code]) => !local.has(code));
  const bestFunctional = Math.max(0, ...functional.map(([, probability]) => probability));
  const fits = functionalEvidence.some((code) => !local.has(code)) || bestFunctional >= index.fallbackBelow;
  const fallback = !assessment.ownWork && assessment.place !== null && !fits;
  const mayLead = (code: string) =>
    assessment.place === null
      ? assessment.ownWork || !fits
      : code === assessment.place && (assessment.ownWork || fallback);
  const gated = Object.fromEntries(
    Object.entries(distribution).map(([code, probability]) => [
      code,
      local.has(code) && !mayLead(code) ? probability * DUTY_SCORING.districtDemotion : probability,
    ]),
  );
  return { distribution: normalise(gated), fallback };
}

export interface AssistingDepartment {
  code: string;
  reasons: string[];
}

/**
 * 协办: assisting departments only when the request needs them — a matter of the lead's duties
 * that names its partner (e.g. 邻里纠纷 → 司法局 for 人民调解), a second issue in its own sentence
 * that belongs to another department, or an emergency item handled jointly.
 *
 * @example
 * assistingDepartments("jcq", assessDuties(index, "阳东区隔篱起屋占我家路，调解几次都没用"), []);
 * // [{ code: "sfj", reasons: ["…人民调解…"] }]
 */
export function assistingDepartments(
  lead: string,
  assessment: Pick<DutyAssessment, "hits" | "distribution">,
  emergencies: readonly { name: string; departments: readonly string[] }[],
): AssistingDepartment[] {
  const result = new Map<string, string[]>();
  const add = (code: string, why: string) => {
    if (!code || code === lead) return;
    const entry = result.get(code) ?? [];
    if (!entry.includes(why)) entry.push(why);
    result.set(code, entry);
  };
  for (const hit of assessment.hits[lead] ?? []) {
    for (const assist of hit.assist) add(assist.code, `「${hit.name}」需协办：${assist.why}`);
  }
  const leadSentences = new Set((assessment.hits[lead] ?? []).map((hit) => hit.sentence));
  for (const [code, hits] of Object.entries(assessment.hits)) {
    if (code === lead || leadSentences.size === 0) continue;
    const own = hits.filter((hit) => !leadSentences.has(hit.sentence));
    if (own.length * DUTY_SCORING.matter >= DUTY_SCORING.secondIssue)
      add(code, `同一来电的另一诉求「${own[0]?.name}」属该部门职责`);
  }
  for (const item of emergencies) {
    if (!item.departments.includes(lead)) continue;
    for (const code of item.departments) add(code, `紧急项「${item.name}」由多部门联合处置`);
  }
  return [...result].map(([code, reasons]) => ({ code, reasons }));
}
