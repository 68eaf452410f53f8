/**
 * `npm run knowledge:hit-test -- <questions.jsonl> [--name <run name>] [--limit 5]`
 * Lines: {"id"?, "question", "expected": ["script-id", …]}. Prints recall@1/3/5, MRR and the
 * misses; the run is stored (GET /v1/knowledge/hit-tests) for comparison with later runs.
 */
import { basename } from "node:path";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { loadConfig } from "#config/env";
import { readJsonl } from "#infra/knowledge-fs/read-jsonl";
import { HitTestCaseSchema, runHitTest } from "#services/hit-test";
import { syncKnowledge } from "#services/sync-knowledge";
import { openCliRuntime } from "./runtime";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: "string" },
    limit: { type: "string", default: "5" },
    misses: { type: "boolean", default: false },
  },
});
const file = positionals[0];
if (!file) {
  console.error("usage: npm run knowledge:hit-test -- <questions.jsonl> [--name <name>] [--misses]");
  process.exit(2);
}
const cases = readJsonl(file, HitTestCaseSchema);
const runtime = await openCliRuntime(
  loadConfig(process.env),
  "Stop the server first, or send the questions to the running server: POST /v1/knowledge/hit-tests.",
);
try {
  await syncKnowledge({ deps: runtime.deps, input: { bundle: runtime.bundle } });
  const bar = new cliProgress.SingleBar(
    { format: "hit test [{bar}] {value}/{total}" },
    cliProgress.Presets.shades_classic,
  );
  bar.start(cases.length, 0);
  const run = await runHitTest({
    deps: runtime.deps,
    input: { name: values.name ?? basename(file), cases, limit: Number(values.limit) },
    actor: { name: `cli:${process.env.USER ?? "operator"}` },
    onProgress: (done) => bar.update(done),
  });
  bar.stop();
  const m = run.metrics;
  const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
  console.log(`run #${run.id} "${run.name}": ${m.answerable} answerable of ${m.n}`);
  console.log(
    `recall@1 ${pct(m.recallAt1)}  recall@3 ${pct(m.recallAt3)}  recall@5 ${pct(m.recallAt5)}  MRR ${m.mrr.toFixed(3)}  no-answer ${pct(m.noAnswerRate)}`,
  );
  if (values.misses) {
    for (const miss of run.cases.filter((c) => c.expected.length > 0 && (c.rank === null || c.rank > 3))) {
      console.log(
        `  miss ${miss.id}: ${miss.question} → expected ${miss.expected.join("|")}, got ${miss.returned.slice(0, 3).join(", ")}`,
      );
    }
  }
} finally {
  await runtime.close();
}
