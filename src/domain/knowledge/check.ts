import { checkDuties } from "./duties";
import { checkMarketEntity } from "./market-entity";
import { checkRequestTypes } from "./request-types";
import type { KnowledgeBundle } from "./schema";

export interface KnowledgeIssue {
  file: string;
  message: string;
}

/** Leaf paths of the taxonomy, as "l1/l2/l3". */
export function taxonomyLeafPaths(bundle: Pick<KnowledgeBundle, "taxonomy">): Set<string> {
  const paths = new Set<string>();
  for (const level1 of bundle.taxonomy) {
    for (const level2 of level1.children) {
      for (const leaf of level2.children) paths.add(`${level1.name}/${level2.name}/${leaf.name}`);
    }
  }
  return paths;
}

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const value of values) (seen.has(value) ? repeated : seen).add(value);
  return [...repeated];
}

/**
 * Cross-file checks the per-file schemas cannot do: duplicate ids, department codes missing from
 * the customer's catalogue, category paths that name no leaf, repeated variants.
 *
 * @example
 * const issues = checkKnowledge(bundle, new Set(["rsj", "gaj"]));
 * if (issues.length > 0) process.exitCode = 1;
 */
export function checkKnowledge(
  bundle: KnowledgeBundle,
  catalogueCodes: ReadonlySet<string>,
): KnowledgeIssue[] {
  const issues: KnowledgeIssue[] = [];
  const departmentCodes = new Set(bundle.departments.map((department) => department.code));

  for (const code of duplicates(bundle.departments.map((department) => department.code))) {
    issues.push({ file: "departments.yaml", message: `duplicate department code ${code}` });
  }
  for (const code of departmentCodes) {
    if (!catalogueCodes.has(code)) {
      issues.push({
        file: "departments.yaml",
        message: `department ${code} is not in the dispatch catalogue`,
      });
    }
  }
  for (const code of catalogueCodes) {
    if (!departmentCodes.has(code)) {
      issues.push({ file: "departments.yaml", message: `catalogue department ${code} is missing` });
    }
  }
  const checkCodes = (file: string, owner: string, codes: readonly string[]) => {
    // Without a readable catalogue every reference would be reported; the missing file already is.
    if (departmentCodes.size === 0) return;
    for (const code of codes) {
      if (!departmentCodes.has(code))
        issues.push({ file, message: `${owner}: unknown department code ${code}` });
    }
  };

  for (const name of duplicates(bundle.taxonomy.map((level1) => level1.name))) {
    issues.push({ file: "taxonomy.yaml", message: `duplicate level-1 category ${name}` });
  }
  for (const level1 of bundle.taxonomy) {
    for (const name of duplicates(level1.children.map((level2) => level2.name))) {
      issues.push({ file: "taxonomy.yaml", message: `duplicate category ${level1.name}/${name}` });
    }
    for (const level2 of level1.children) {
      for (const name of duplicates(level2.children.map((leaf) => leaf.name))) {
        issues.push({
          file: "taxonomy.yaml",
          message: `duplicate category ${level1.name}/${level2.name}/${name}`,
        });
      }
      for (const leaf of level2.children) {
        checkCodes("taxonomy.yaml", `${level1.name}/${level2.name}/${leaf.name}`, leaf.departments);
      }
    }
  }

  const leaves = taxonomyLeafPaths(bundle);
  for (const id of duplicates(bundle.scripts.map((script) => script.id))) {
    issues.push({ file: "scripts/", message: `duplicate script id ${id}` });
  }
  for (const script of bundle.scripts) {
    const file = `scripts/ (${script.id})`;
    checkCodes(file, script.id, script.departments);
    if (!leaves.has(script.category.join("/"))) {
      issues.push({
        file,
        message: `${script.id}: category ${script.category.join("/")} is not a taxonomy leaf`,
      });
    }
    const texts = [script.question, ...script.variants];
    for (const text of duplicates(texts))
      issues.push({ file, message: `${script.id}: repeated question "${text}"` });
    if (script.validTo && script.validTo < script.validFrom) {
      issues.push({
        file,
        message: `${script.id}: validTo ${script.validTo} is before validFrom ${script.validFrom}`,
      });
    }
  }

  for (const id of duplicates(bundle.emergencies.map((item) => item.id))) {
    issues.push({ file: "emergencies.yaml", message: `duplicate emergency id ${id}` });
  }
  for (const item of bundle.emergencies) checkCodes("emergencies.yaml", item.id, item.departments);
  const phrasingOwner = new Map<string, string>();
  for (const item of bundle.emergencies) {
    for (const [field, values] of [
      ["cues", item.cues ?? []],
      ["phrasings", item.phrasings ?? []],
      ["exclusions", item.exclusions ?? []],
    ] as const) {
      for (const value of duplicates(values)) {
        issues.push({ file: "emergencies.yaml", message: `${item.id}: duplicate ${field} entry ${value}` });
      }
    }
    // A phrasing is evidence for one item; the same sentence under two items makes similarity a tie.
    for (const phrasing of new Set(item.phrasings ?? [])) {
      const owner = phrasingOwner.get(phrasing);
      if (owner && owner !== item.id) {
        issues.push({
          file: "emergencies.yaml",
          message: `${item.id}: phrasing ${phrasing} is also a phrasing of ${owner}`,
        });
      } else phrasingOwner.set(phrasing, item.id);
    }
  }

  for (const term of duplicates(bundle.synonyms.map((entry) => entry.official))) {
    issues.push({ file: "synonyms.yaml", message: `duplicate official term ${term}` });
  }
  if (bundle.requestTypes) issues.push(...checkRequestTypes(bundle.requestTypes));
  if (bundle.duties) issues.push(...checkDuties(bundle.duties, departmentCodes));
  if (bundle.marketEntity) issues.push(...checkMarketEntity(bundle.marketEntity));
  return issues;
}
