/** `npm run eval:compare -- <runA> <runB>`: headline metrics of two runs side by side (folders or report.json). */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compareRuns, type EvalRunRecord, type MetricChange, parseEvalRunRecord } from "#domain/evaluation";

const [a, b] = process.argv.slice(2);
if (!a || !b) {
  console.error("usage: npm run eval:compare -- <runA> <runB>");
  process.exit(2);
}
const load = (path: string): EvalRunRecord => {
  const file = existsSync(join(path, "report.json")) ? join(path, "report.json") : path;
  const parsed = parseEvalRunRecord(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.ok) {
    console.error(`${file} is not an evaluation report: ${parsed.reason}`);
    process.exit(2);
  }
  return parsed.run;
};
const runA = load(a);
const runB = load(b);
const MARK: Record<MetricChange, string> = { better: "↑ better", worse: "↓ worse", same: "=", unknown: "" };
const fixed = (value: number | null) => (value === null ? "—" : value.toFixed(4));
const comparison = compareRuns(runA, runB);
console.log(`| task | metric | ${runA.name} (${runA.createdAt}) | ${runB.name} (${runB.createdAt}) | Δ | |`);
console.log("| --- | --- | ---: | ---: | ---: | --- |");
for (const task of comparison.tasks) {
  for (const metric of task.metrics) {
    const delta = metric.delta === null ? "—" : `${metric.delta >= 0 ? "+" : ""}${metric.delta.toFixed(4)}`;
    console.log(
      `| ${task.key} | ${metric.key} | ${fixed(metric.a)} | ${fixed(metric.b)} | ${delta} | ${MARK[metric.change]} |`,
    );
  }
}
if (comparison.onlyInA.length > 0) console.log(`\nonly in ${runA.name}: ${comparison.onlyInA.join(", ")}`);
if (comparison.onlyInB.length > 0) console.log(`only in ${runB.name}: ${comparison.onlyInB.join(", ")}`);
