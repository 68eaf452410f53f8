/**
 * `npm run bench:suggest [-- --seconds 10 --texts 200]`
 *
 * The bare embedding call against the full suggest call on the same texts, agent-length
 * (≤ 120 chars) and citizen-length (~400 chars): p50/p95 latency at concurrency 1, throughput at
 * concurrency 1/8/16, and the event loop's worst lag while it runs. The embedding cache is off so
 * every call pays for inference. Uses DATABASE_URL / TEST_DATABASE_URL when set, else PGlite.
 */
import { readFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import pino from "pino";
import { loadConfig } from "#config/env";
import { readCaseRows } from "#infra/knowledge-fs/case-files";
import { importCases } from "#services/import-cases";
import { suggest } from "#services/suggest";
import { syncKnowledge } from "#services/sync-knowledge";
import { buildRuntime } from "../../src/bootstrap";
import { percentile } from "../lib/stats";

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "8" }, texts: { type: "string", default: "200" } },
});
const seconds = Number(values.seconds);
const url = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const config = loadConfig({
  ...process.env,
  ...(url ? { DATABASE_URL: url } : {}),
  EMBEDDING_CACHE_SIZE: "0",
  LOG_LEVEL: "warn",
});
const runtime = await buildRuntime(config, { logger: pino({ level: "warn" }) });
const { deps } = runtime;

const gold = readFileSync("eval/datasets/requests-gold.jsonl", "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => (JSON.parse(line) as { text: string }).text);
const agentTexts = gold.filter((text) => text.length <= 120).slice(0, Number(values.texts));
const citizenTexts = agentTexts.map((text, index) => {
  let long = text;
  for (let step = 1; long.length < 400; step += 1)
    long += `，${agentTexts[(index + step * 7) % agentTexts.length]}`;
  return long.slice(0, 400);
});

type Call = (text: string) => Promise<unknown>;
const embedOnly: Call = (text) => deps.embedder.embed([text]);
const fullSuggest: Call = (text) =>
  suggest({ deps, input: { text }, actor: { name: "bench" }, record: false });

async function latencies(call: Call, texts: readonly string[]) {
  const times: number[] = [];
  for (const text of texts) {
    const started = performance.now();
    await call(text);
    times.push(performance.now() - started);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function throughput(call: Call, texts: readonly string[], concurrency: number) {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const text = texts[next % texts.length] ?? "";
        next += 1;
        await call(text);
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

try {
  await syncKnowledge({ deps, input: { bundle: runtime.bundle } });
  await importCases({
    deps,
    input: { rows: readCaseRows("knowledge/cases").map(({ row }) => row), source: "seed" },
    actor: { name: "bench" },
  });
  const artifact = await deps.classifiers.current();
  console.log(
    `database ${runtime.database.kind}, model ${deps.embedder.modelId}, classifier ${artifact?.version ?? "untrained"}`,
  );
  // Warm up: model, label index, caches of the database.
  for (const text of agentTexts.slice(0, 10)) await fullSuggest(text);

  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  console.log("\n| texts | call | p50 ms | p95 ms | req/s c=1 | req/s c=8 | req/s c=16 |");
  console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
  const ratios: string[] = [];
  for (const [name, texts] of [
    ["agent ≤120 chars", agentTexts],
    ["citizen ~400 chars", citizenTexts],
  ] as const) {
    const rows: Record<string, { p50: number; p95: number }> = {};
    for (const [callName, call] of [
      ["embedding only", embedOnly],
      ["suggest", fullSuggest],
    ] as const) {
      const latency = await latencies(call, texts.slice(0, 60));
      const rates = [];
      for (const concurrency of [1, 8, 16]) rates.push(await throughput(call, texts, concurrency));
      rows[callName] = latency;
      console.log(
        `| ${name} | ${callName} | ${latency.p50.toFixed(1)} | ${latency.p95.toFixed(1)} | ${rates.map((rate) => rate.toFixed(1)).join(" | ")} |`,
      );
    }
    const ratio = (rows.suggest?.p50 ?? 0) / (rows["embedding only"]?.p50 ?? 1);
    ratios.push(`${name}: suggest p50 / embedding p50 = ${ratio.toFixed(2)}`);
  }
  lag.disable();
  console.log(`\n${ratios.join("\n")}`);
  console.log(
    `event loop delay during the run: p50 ${(lag.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms, max ${(lag.max / 1e6).toFixed(1)} ms`,
  );
} finally {
  await runtime.close();
}
