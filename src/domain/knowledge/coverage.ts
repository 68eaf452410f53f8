import { buildSynonymIndex } from "../text/synonyms";
import type { CategoryPath, Department, Script, Synonym, Taxonomy } from "./schema";

/** How much of a duty's wording a script must share to count as answering it. */
export const DUTY_MATCH = {
  /** Shortest part of a duty worth matching on its own (single characters match everything). */
  minPartChars: 2,
  /** Share of a part's character bigrams that must occur in one script's text. */
  minBigramShare: 0.6,
} as const;

/** The catch-all leaf under each level-2 class: requests that fit nowhere, so no script to write. */
export const CATCH_ALL_LEAF = "其他";

export interface LeafCoverage {
  path: CategoryPath;
  /** The leaf's default departments from the taxonomy. */
  departments: string[];
  /** Scripts filed under this leaf. */
  scripts: string[];
}

export interface DutyCoverage {
  department: string;
  departmentName: string;
  duty: string;
  /** Scripts naming the department whose wording covers the duty. */
  scripts: string[];
}

export interface CoverageReport {
  /** Leaves other than the catch-all 其他 ones (which are counted apart and never uncovered). */
  leaves: { total: number; covered: number; catchAll: number; uncovered: LeafCoverage[] };
  duties: { total: number; covered: number; uncovered: DutyCoverage[] };
  /** Departments no script names at all. */
  departmentsWithoutScripts: string[];
}

/** Scripts that apply on `today`: valid from on or before it and not expired. */
function isCurrent(script: Pick<Script, "validFrom" | "validTo">, today: string): boolean {
  return script.validFrom <= today && (script.validTo == null || script.validTo >= today);
}

/**
 * The parts of a duty worth looking for: "养老保险与工伤失业保险" → 养老保险, 工伤失业保险;
 * "噪音（社会生活夜间喧哗）报警类转办" → 噪音, 社会生活夜间喧哗, 报警类转办.
 */
export function dutyParts(duty: string): string[] {
  return duty
    .split(/[与和及、，,（）()/]|以及|含/)
    .map((part) => part.trim())
    .filter((part) => [...part].length >= DUTY_MATCH.minPartChars);
}

function bigrams(text: string): string[] {
  const chars = [...text];
  const grams: string[] = [];
  for (let index = 0; index + 1 < chars.length; index++) grams.push(`${chars[index]}${chars[index + 1]}`);
  return grams;
}

/** Whether a part of a duty occurs in the text, literally or by most of its character bigrams. */
function partMatches(part: string, text: string): boolean {
  if (text.includes(part)) return true;
  const grams = bigrams(part);
  if (grams.length === 0) return false;
  const found = grams.filter((gram) => text.includes(gram)).length;
  return found / grams.length >= DUTY_MATCH.minBigramShare;
}

/** Everything a script says about its topic (not the answer: answers mention neighbouring topics). */
function topicText(script: Script): string {
  return [script.title, script.question, ...script.variants, ...script.tags, ...script.category].join(" ");
}

/**
 * Which taxonomy leaves and department duties no current script answers. A leaf is covered by a
 * script filed under it (the catch-all 其他 leaves are only counted); a duty is covered by a script that names the department and whose title,
 * question, variants, tags or category share one of the duty's parts (literally, or most of its
 * character bigrams: "不动产登记（房产证）" is covered by a script titled 房产证办理), or one of the
 * part's synonyms (synonyms.yaml) occurs literally ("退休审批" is covered by 退休手续办理).
 *
 * @example
 * const report = knowledgeCoverage(bundle, "2026-06-01");
 * report.leaves.uncovered.map((leaf) => leaf.path.join("/"));
 */
export function knowledgeCoverage(
  bundle: {
    taxonomy: Taxonomy;
    departments: readonly Department[];
    scripts: readonly Script[];
    synonyms?: readonly Synonym[];
  },
  today: string,
): CoverageReport {
  const scripts = bundle.scripts.filter((script) => isCurrent(script, today));
  const byLeaf = new Map<string, string[]>();
  for (const script of scripts) {
    const key = script.category.join("/");
    byLeaf.set(key, [...(byLeaf.get(key) ?? []), script.id]);
  }
  const leaves: LeafCoverage[] = [];
  let catchAll = 0;
  for (const level1 of bundle.taxonomy) {
    for (const level2 of level1.children) {
      for (const leaf of level2.children) {
        if (leaf.name === CATCH_ALL_LEAF) {
          catchAll++;
          continue;
        }
        const path: CategoryPath = [level1.name, level2.name, leaf.name];
        leaves.push({ path, departments: [...leaf.departments], scripts: byLeaf.get(path.join("/")) ?? [] });
      }
    }
  }

  const synonyms = buildSynonymIndex(bundle.synonyms ?? []);
  const duties: DutyCoverage[] = [];
  const named = new Set(scripts.flatMap((script) => script.departments));
  const current = bundle.departments.filter((department) => isCurrent(department, today));
  for (const department of current) {
    const texts = scripts
      .filter((script) => script.departments.includes(department.code))
      .map((script) => ({ id: script.id, text: topicText(script) }));
    for (const duty of department.duties) {
      const parts = dutyParts(duty);
      const matching = texts.filter(({ text }) =>
        parts.some(
          (part) => partMatches(part, text) || synonyms.related(part).some((term) => text.includes(term)),
        ),
      );
      duties.push({
        department: department.code,
        departmentName: department.name,
        duty,
        scripts: matching.map(({ id }) => id),
      });
    }
  }

  const uncoveredLeaves = leaves.filter((leaf) => leaf.scripts.length === 0);
  const uncoveredDuties = duties.filter((duty) => duty.scripts.length === 0);
  return {
    leaves: {
      total: leaves.length,
      covered: leaves.length - uncoveredLeaves.length,
      catchAll,
      uncovered: uncoveredLeaves,
    },
    duties: {
      total: duties.length,
      covered: duties.length - uncoveredDuties.length,
      uncovered: uncoveredDuties,
    },
    departmentsWithoutScripts: current
      .filter((department) => !named.has(department.code))
      .map((department) => department.code),
  };
}
