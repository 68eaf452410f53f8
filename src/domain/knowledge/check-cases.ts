import { CaseInputSchema } from "../cases";
import { type KnowledgeIssue, taxonomyLeafPaths } from "./check";
import type { KnowledgeBundle } from "./schema";

/** One row of a case file, as read (not yet validated), with where it is. */
export interface CaseFileRow {
  file: string;
  line: number;
  row: unknown;
}

/**
 * Two texts are the same call when they differ only in spacing and punctuation; a repeated call
 * would count twice in training and leak between cross-validation folds.
 */
function textKey(text: string): string {
  return text.replace(/[\s\p{P}\p{S}]/gu, "");
}

/**
 * Checks the labelled history under knowledge/cases (seed and per-department files) against the
 * import schema and the rest of the knowledge base: every case has an id, a taxonomy leaf, one of
 * the six types and known department codes (lead and 协办); ids and texts are unique across files.
 *
 * @example
 * const issues = checkCases(readCaseRows("knowledge/cases"), bundle);
 */
export function checkCases(
  rows: readonly CaseFileRow[],
  bundle: Pick<KnowledgeBundle, "departments" | "taxonomy">,
): KnowledgeIssue[] {
  const issues: KnowledgeIssue[] = [];
  const departmentCodes = new Set(bundle.departments.map((department) => department.code));
  const leaves = taxonomyLeafPaths(bundle);
  const ids = new Map<string, string>();
  const texts = new Map<string, string>();

  for (const { file, line, row } of rows) {
    const at = `${file}:${line}`;
    const report = (message: string) => issues.push({ file: at, message });
    const parsed = CaseInputSchema.safeParse(row);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) report(`${issue.path.join(".") || "(row)"}: ${issue.message}`);
      continue;
    }
    const value = parsed.data;
    if (value.id === undefined) report("missing id (knowledge cases need stable ids)");
    else {
      const first = ids.get(value.id);
      if (first) report(`duplicate id ${value.id} (first at ${first})`);
      else ids.set(value.id, at);
    }
    const key = textKey(value.text);
    const firstText = texts.get(key);
    if (firstText) report(`duplicate text (first at ${firstText})`);
    else texts.set(key, at);

    if (value.type === undefined) report("missing type");
    if (value.category === undefined) report("missing category");
    else if (!leaves.has(value.category.join("/")))
      report(`category ${value.category.join("/")} is not a taxonomy leaf`);

    const lead = value.department === undefined ? [] : [value.department].flat();
    if (lead.length === 0) report("missing department");
    const assisting = value.assistingDepartments ?? [];
    // Without a readable catalogue every code would be reported; the missing file already is.
    if (departmentCodes.size > 0) {
      for (const code of [...lead, ...assisting]) {
        if (!departmentCodes.has(code)) report(`unknown department code ${code}`);
      }
    }
    for (const code of assisting) {
      if (lead.includes(code)) report(`assisting department ${code} is also the lead`);
    }
    if (new Set(assisting).size !== assisting.length) report("assisting department listed twice");
  }
  return issues;
}
