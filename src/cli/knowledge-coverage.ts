/**
 * `npm run knowledge:coverage [-- --dir knowledge --date 2026-06-01 --json]`
 * Lists the taxonomy leaves and the departments' duties that no current answer script covers, so
 * knowledge editors know which topics still lack a script. Reads the files (what sync publishes);
 * exits 1 only when the files themselves do not load.
 */
import { parseArgs } from "node:util";
import { knowledgeCoverage } from "#domain/knowledge/coverage";
import { loadKnowledge } from "#infra/knowledge-fs/load-knowledge";

const { values } = parseArgs({
  options: {
    dir: { type: "string", default: "knowledge" },
    date: { type: "string" },
    json: { type: "boolean", default: false },
  },
});
const dir = values.dir ?? "knowledge";
// The hotline's calendar day (UTC+8): a script valid from tomorrow does not cover anything yet.
const today = values.date ?? new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

const { bundle, issues } = loadKnowledge(dir);
if (issues.length > 0) {
  for (const issue of issues) console.error(`✗ ${issue.file}: ${issue.message}`);
  console.error(`${issues.length} problem(s) in ${dir}/ (run npm run knowledge:check)`);
  process.exit(1);
}
const report = knowledgeCoverage(bundle, today);

if (values.json) {
  console.log(JSON.stringify({ date: today, ...report }, null, 2));
} else {
  const percent = (covered: number, total: number) =>
    total === 0 ? "–" : `${((100 * covered) / total).toFixed(1)}%`;
  console.log(`coverage of ${dir}/ on ${today} (${bundle.scripts.length} scripts)`);
  console.log(
    `taxonomy leaves with a script: ${report.leaves.covered}/${report.leaves.total} (${percent(report.leaves.covered, report.leaves.total)}; ${report.leaves.catchAll} catch-all 其他 leaves not counted)`,
  );
  console.log(
    `department duties with a script: ${report.duties.covered}/${report.duties.total} (${percent(report.duties.covered, report.duties.total)})`,
  );
  if (report.departmentsWithoutScripts.length > 0) {
    console.log(`departments no script names: ${report.departmentsWithoutScripts.join(", ")}`);
  }
  console.log(`\nleaves without a script (${report.leaves.uncovered.length}):`);
  let level1 = "";
  for (const leaf of report.leaves.uncovered) {
    if (leaf.path[0] !== level1) {
      level1 = leaf.path[0];
      console.log(`  ${level1}`);
    }
    const departments = leaf.departments.length > 0 ? ` [${leaf.departments.join(", ")}]` : "";
    console.log(`    ${leaf.path[1]} / ${leaf.path[2]}${departments}`);
  }
  console.log(`\nduties without a script (${report.duties.uncovered.length}):`);
  let department = "";
  for (const duty of report.duties.uncovered) {
    if (duty.department !== department) {
      department = duty.department;
      console.log(`  ${duty.department} ${duty.departmentName}`);
    }
    console.log(`    ${duty.duty}`);
  }
}
