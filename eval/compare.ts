/** `npm run eval:compare -- <runA> <runB>`: headline metrics of two runs side by side (folders or report.json). */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { EvalRun } from "./lib/report";

const [a, b] = process.argv.slice(2);
if (!a || !b) {
  console.error("usage: npm run eval:compare -- <runA> <runB>");
  process.exit(2);
}
const load = (path: string): EvalRun =>
  JSON.parse(readFileSync(existsSync(join(path, "report.json")) ? join(path, "report.json") : path, "utf8"));
const runA = load(a);
const runB = load(b);
console.log(`| task | metric | ${runA.name} (${runA.createdAt}) | ${runB.name} (${runB.createdAt}) | Δ |`);
console.log("| --- | --- | ---: | ---: | ---: |");
for (const result of runA.results) {
  const other = runB.results.find((candidate) => candidate.task === result.task);
  if (!other) continue;
  const metrics =
    result.task === "retrieval"
      ? ["recallAt1", "recallAt3", "recallAt5", "mrr", "noAnswerRate"]
      : ["accuracy", "macroF1", "top3", "ece", "coverageAt95"];
  for (const metric of metrics) {
    const x = (result as unknown as Record<string, number>)[metric] ?? Number.NaN;
    const y = (other as unknown as Record<string, number>)[metric] ?? Number.NaN;
    console.log(
      `| ${result.task} | ${metric} | ${x.toFixed(4)} | ${y.toFixed(4)} | ${(y - x >= 0 ? "+" : "") + (y - x).toFixed(4)} |`,
    );
  }
}
