import { z } from "zod";
import { compileCue } from "../urgency/cues";
import type { KnowledgeIssue } from "./check";
import { DepartmentCodeSchema, DISTRICT_CODES } from "./schema";

const PhraseSchema = z.preprocess(
  (value) => (typeof value === "number" ? String(value) : value),
  z.string().trim().min(1),
);

/** "local" stands for the district government of the place the call names. */
const AssistCodeSchema = z.union([z.literal("local"), DepartmentCodeSchema]);

export const DutyMatterSchema = z.strictObject({
  name: PhraseSchema,
  /** What the department does about it, in one sentence. */
  handles: PhraseSchema,
  /** Cue patterns ("a|b + c"), matched per clause like the emergency list's. */
  cues: z.array(PhraseSchema).min(1),
  /** A clause containing one of these is the neighbour's case, not this matter. */
  unless: z.array(PhraseSchema).default([]),
  /** Assisting departments the matter needs: always (no `when`) or when a `when` cue occurs. */
  assist: z
    .array(
      z.strictObject({
        code: AssistCodeSchema,
        why: PhraseSchema,
        when: z.array(PhraseSchema).default([]),
      }),
    )
    .default([]),
});
export type DutyMatter = z.infer<typeof DutyMatterSchema>;

export const DutyBoundarySchema = z.strictObject({
  against: DepartmentCodeSchema,
  /** How to tell the two apart, and why (the legal basis in words). */
  rule: PhraseSchema,
  /** Phrases that decide for this department when both are in play. */
  cues: z.array(PhraseSchema).default([]),
});

export const DepartmentDutiesSchema = z.strictObject({
  code: DepartmentCodeSchema,
  /** What the department handles (its 权责). */
  handles: z.array(PhraseSchema).min(1),
  matters: z.array(DutyMatterSchema).default([]),
  boundaries: z.array(DutyBoundarySchema).default([]),
  examples: z.array(PhraseSchema).min(1),
});
export type DepartmentDuties = z.infer<typeof DepartmentDutiesSchema>;

/** knowledge/duties.yaml: the 权责清单 and the district governments' fallback (区政府兜底). */
export const DutiesSchema = z.strictObject({
  local: z.strictObject({
    codes: z.array(z.enum(DISTRICT_CODES)).min(1),
    /** Below this fused probability of the best functional department, the named place's district leads. */
    fallbackBelow: z.number().min(0).max(1),
    places: z.partialRecord(z.enum(DISTRICT_CODES), z.array(PhraseSchema).min(1)),
    /** The request is about the town/street/village's own work. */
    ownWork: z.strictObject({
      handles: PhraseSchema,
      cues: z.array(PhraseSchema).min(1),
      examples: z.array(PhraseSchema).default([]),
    }),
    /** Matters the district governments handle themselves (属地事项). */
    matters: z.array(DutyMatterSchema).default([]),
  }),
  departments: z.array(DepartmentDutiesSchema).min(1),
});
export type Duties = z.infer<typeof DutiesSchema>;

function repeated(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const again = new Set<string>();
  for (const value of values) (seen.has(value) ? again : seen).add(value);
  return [...again];
}

/**
 * Cross-checks of the 权责清单: every catalogue department listed once, codes known, boundaries
 * against another known department, places claimed by one district only, cues that compile.
 *
 * @example
 * checkDuties(DutiesSchema.parse(yaml), new Set(["gaj", "cgj"])); // [] when consistent
 */
export function checkDuties(
  duties: Duties,
  departmentCodes: ReadonlySet<string>,
  file = "duties.yaml",
): KnowledgeIssue[] {
  const issues: KnowledgeIssue[] = [];
  const listed = duties.departments.map((entry) => entry.code);
  for (const code of repeated(listed)) issues.push({ file, message: `department ${code} is listed twice` });
  for (const code of departmentCodes) {
    if (!listed.includes(code)) issues.push({ file, message: `department ${code} has no duties` });
  }
  const known = (code: string) => code === "local" || departmentCodes.has(code);
  for (const code of listed) {
    if (!departmentCodes.has(code)) issues.push({ file, message: `unknown department code ${code}` });
  }
  const placeOwner = new Map<string, string>();
  for (const [district, places] of Object.entries(duties.local.places)) {
    for (const place of places ?? []) {
      const owner = placeOwner.get(place);
      if (owner && owner !== district)
        issues.push({ file, message: `place ${place} belongs to both ${owner} and ${district}` });
      placeOwner.set(place, district);
    }
  }
  const checkMatter = (owner: string, matter: DutyMatter) => {
    for (const cue of [...matter.cues, ...matter.assist.flatMap((assist) => assist.when)]) {
      if (compileCue(cue).groups.length === 0)
        issues.push({ file, message: `${owner} ${matter.name}: cue "${cue}" matches nothing` });
    }
    for (const cue of repeated(matter.cues))
      issues.push({ file, message: `${owner} ${matter.name}: cue "${cue}" is listed twice` });
    for (const assist of matter.assist) {
      if (!known(assist.code))
        issues.push({
          file,
          message: `${owner} ${matter.name}: unknown assisting department ${assist.code}`,
        });
      if (assist.code === owner)
        issues.push({ file, message: `${owner} ${matter.name}: a department cannot assist itself` });
    }
  };
  for (const matter of duties.local.matters) checkMatter("local", matter);
  for (const entry of duties.departments) {
    for (const matter of entry.matters) checkMatter(entry.code, matter);
    for (const name of repeated(entry.matters.map((matter) => matter.name)))
      issues.push({ file, message: `${entry.code}: matter ${name} is listed twice` });
    for (const boundary of entry.boundaries) {
      if (boundary.against === entry.code)
        issues.push({ file, message: `${entry.code}: a boundary against itself` });
      else if (!departmentCodes.has(boundary.against))
        issues.push({
          file,
          message: `${entry.code}: boundary against unknown department ${boundary.against}`,
        });
    }
    for (const neighbour of repeated(entry.boundaries.map((boundary) => boundary.against)))
      issues.push({ file, message: `${entry.code}: two boundaries against ${neighbour}` });
  }
  return issues;
}
