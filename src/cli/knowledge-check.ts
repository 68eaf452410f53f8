/**
 * `npm run knowledge:check [-- --dir knowledge --catalogue ../shared/spec/departments.tsv]`
 * Validates every knowledge file against its schema plus the cross-file rules; exits 1 on any issue.
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { checkKnowledge } from "#domain/knowledge/check";
import { loadKnowledge, readCatalogueCodes } from "#infra/knowledge-fs/load-knowledge";

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
