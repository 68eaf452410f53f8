/**
 * `npm run knowledge:check [-- --dir knowledge --catalogue ../shared/spec/departments.tsv]`
 * Validates every knowledge file against its schema plus the cross-file rules; exits 1 on any issue.
 */
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { buildWorkCalendar } from "#domain/calendar";
import { checkKnowledge } from "#domain/knowledge/check";
import { checkCases } from "#domain/knowledge/check-cases";
import { readCaseRows } from "#infra/knowledge-fs/case-files";
import { loadCalendarFile } from "#infra/knowledge-fs/load-calendar";
import { loadKnowledge, readCatalogueCodes } from "#infra/knowledge-fs/load-knowledge";
import { createChineseHolidaySource } from "#infra/work-calendar";

const { values } = parseArgs({
  options: {
    dir: { type: "string", default: "knowledge" },
    catalogue: { type: "string", default: "../shared/spec/departments.tsv" },
  },
});
const dir = values.dir ?? "knowledge";
const cataloguePath = values.catalogue ?? "";

const { bundle, issues, files } = loadKnowledge(dir);
let catalogue: Set<string>;
if (existsSync(cataloguePath)) {
  catalogue = readCatalogueCodes(cataloguePath);
} else {
  console.warn(`catalogue ${cataloguePath} not found: checking departments against departments.yaml only`);
  catalogue = new Set(bundle.departments.map((department) => department.code));
}
issues.push(...checkKnowledge(bundle, catalogue));
// The labelled history (seed + per-department files), reported as path:line relative to the folder.
const caseRows = readCaseRows(join(dir, "cases")).map((entry) => ({
  ...entry,
  file: relative(dir, entry.file),
}));
issues.push(...checkCases(caseRows, bundle));
const calendarFile = loadCalendarFile(join(dir, "calendar.yaml"));
issues.push(...calendarFile.issues);
if (existsSync(join(dir, "calendar.yaml"))) files.push("calendar.yaml");

const counts = {
  files: files.length,
  departments: bundle.departments.length,
  categoryLeaves: bundle.taxonomy.reduce(
    (sum, level1) => sum + level1.children.reduce((inner, level2) => inner + level2.children.length, 0),
    0,
  ),
  scripts: bundle.scripts.length,
  variants: bundle.scripts.reduce((sum, script) => sum + script.variants.length, 0),
  emergencies: bundle.emergencies.length,
  synonyms: bundle.synonyms.length,
  requestTypes: bundle.requestTypes?.types.length ?? 0,
  dictionaryWords: bundle.userDictionary.length,
  cases: caseRows.length,
  stopWords: bundle.stopWords.length,
};
console.log(
  Object.entries(counts)
    .map(([name, count]) => `${name}: ${count}`)
    .join(", "),
);
if (issues.length > 0) {
  for (const issue of issues) console.error(`✗ ${issue.file}: ${issue.message}`);
  console.error(`${issues.length} problem(s) in ${dir}/`);
  process.exit(1);
}
console.log(`✓ ${dir}/ is valid`);
// Years entered through the API live in the database only; this is what the files alone cover.
const calendar = buildWorkCalendar(createChineseHolidaySource(), calendarFile.years);
const entered = calendarFile.years.map((entry) => entry.year);
console.log(
  `calendar: holidays and 调休 known through ${calendar.coveredThrough()} (chinese-days${entered.length > 0 ? ` + calendar.yaml ${entered.join(", ")}` : ""})`,
);
const nextYear = Number(calendar.coveredThrough().slice(0, 4)) + 1;
console.warn(
  `⚠ ${nextYear}: no 放假/调休 notice entered yet; deadlines counted into ${nextYear} count weekends only (enter it in ${dir}/calendar.yaml once published)`,
);
