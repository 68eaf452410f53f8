/**
 * `npm run bench:suggest [-- --seconds 8 --texts 200] [--http] [--json FILE]`
 *
 * The bare embedding call against the full suggest call on the same texts, agent-length
 * (≤ 120 chars) and citizen-length (~400 chars): p50/p95 latency at concurrency 1, throughput at
 * concurrency 1/8/16, and the event loop's delay while it runs. The embedding cache is off so
 * every call pays for inference.
 *
 * Without --http the suggest service verb is called in-process. With --http the real server (the
 * same app, API-key auth, rate limits raised out of the way) listens on loopback and every suggest
 * is a POST /v1/suggest over keep-alive connections; the bare embedding runs in the same process on
 * the same embedder, so the ratios compare like with like. --json FILE writes the numbers and
 * `ratioP50`, `ratioP95`, `throughputRatioC16` (suggest/s ÷ embeddings/s at concurrency 16) per
 * text length.
 *
 * Uses a throwaway database on DATABASE_URL / TEST_DATABASE_URL when set, else PGlite in a
 * temporary folder (see ./setup.ts; the setup's embeddings come from the evaluations' disk cache).
 */
import { writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { loadavg } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { serve } from "@hono/node-server";
import { createApiKey } from "#services/access";
import { suggest } from "#services/suggest";
import { createApp } from "../../src/app";
import { percentile } from "../lib/stats";
import { benchTexts, openBenchRuntime } from "./setup";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "8" },
    texts: { type: "string", default: "200" },
    http: { type: "boolean", default: false },
    json: { type: "string" },
  },
});
const seconds = Number(values.seconds);
const CONCURRENCY = [1, 8, 16] as const;
const LATENCY_SAMPLES = 60;

const bench = await openBenchRuntime();
const { runtime, config } = bench;
const { deps } = runtime;

const agentTexts = benchTexts("agent", Number(values.texts));
const citizenTexts = benchTexts("citizen", Number(values.texts));

type Call = (text: string) => Promise<unknown>;
const embedOnly: Call = (text) => deps.embedder.embed([text]);
const inProcessSuggest: Call = (text) =>
  suggest({ deps, input: { text }, actor: { name: "bench" }, record: false });

async function startServer(): Promise<{ call: Call; close: () => Promise<void> }> {
  const { key } = await createApiKey({
    deps,
    input: { name: "bench-suggest", role: "agent" },
    actor: "bench",
  });
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/v1/suggest`;
  const call: Call = async (text) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ text }),
    });
    const body = await response.text();
    if (response.status !== 200)
      throw new Error(`POST /v1/suggest: ${response.status} ${body.slice(0, 200)}`);
    return body;
  };
  return {
    call,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

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

const ms = (nanoseconds: number) => Math.round(nanoseconds / 1e4) / 100;
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

let server: Awaited<ReturnType<typeof startServer>> | null = null;
try {
  const artifact = await deps.classifiers.current();
  server = values.http ? await startServer() : null;
  const fullSuggest = server?.call ?? inProcessSuggest;
  const mode = server ? "POST /v1/suggest on loopback" : "suggest() in-process";
  console.log(
    `database ${runtime.database.kind}, model ${deps.embedder.modelId}, classifier ${artifact?.version ?? "untrained"}, ${mode}, load average ${loadavg()
      .map((load) => load.toFixed(2))
      .join(" ")}`,
  );
  // Warm up: model, label index, caches of the database, keep-alive connections.
  for (const text of agentTexts.slice(0, 10)) await fullSuggest(text);
  await Promise.all(agentTexts.slice(0, 16).map((text) => fullSuggest(text)));

  const overall = monitorEventLoopDelay({ resolution: 5 });
  overall.enable();
  console.log("\n| texts | call | p50 ms | p95 ms | req/s c=1 | req/s c=8 | req/s c=16 | loop p99 ms |");
  console.log("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  const results: Record<string, unknown> = {};
  for (const [name, label, texts] of [
    ["agent", "agent ≤120 chars", agentTexts],
    ["citizen", "citizen ~400 chars", citizenTexts],
  ] as const) {
    const rows: Record<
      string,
      { p50: number; p95: number; perSecond: Record<number, number>; eventLoop: Record<string, number> }
    > = {};
    for (const [callName, call] of [
      ["embedding", embedOnly],
      ["suggest", fullSuggest],
    ] as const) {
      const lag = monitorEventLoopDelay({ resolution: 5 });
      lag.enable();
      const latency = await latencies(call, texts.slice(0, LATENCY_SAMPLES));
      const perSecond: Record<number, number> = {};
      for (const concurrency of CONCURRENCY)
        perSecond[concurrency] = await throughput(call, texts, concurrency);
      lag.disable();
      const eventLoop = { p50: ms(lag.percentile(50)), p99: ms(lag.percentile(99)), max: ms(lag.max) };
      rows[callName] = { ...latency, perSecond, eventLoop };
      console.log(
        `| ${label} | ${callName} | ${latency.p50.toFixed(1)} | ${latency.p95.toFixed(1)} | ${CONCURRENCY.map((concurrency) => (perSecond[concurrency] ?? 0).toFixed(1)).join(" | ")} | ${eventLoop.p99} |`,
      );
    }
    const embedding = rows.embedding;
    const suggested = rows.suggest;
    if (!embedding || !suggested) throw new Error("a measurement is missing");
    results[name] = {
      embedding,
      suggest: suggested,
      ratioP50: round(suggested.p50 / embedding.p50),
      ratioP95: round(suggested.p95 / embedding.p95),
      throughputRatioC16: round((suggested.perSecond[16] ?? 0) / (embedding.perSecond[16] ?? 1)),
    };
  }
  overall.disable();
  const eventLoop = {
    p50: ms(overall.percentile(50)),
    p99: ms(overall.percentile(99)),
    max: ms(overall.max),
  };
  for (const name of ["agent", "citizen"]) {
    const result = results[name] as { ratioP50: number; ratioP95: number; throughputRatioC16: number };
    console.log(
      `${name}: ratioP50 ${result.ratioP50}, ratioP95 ${result.ratioP95}, throughputRatioC16 ${result.throughputRatioC16}`,
    );
  }
  console.log(
    `event loop delay during the run: p50 ${eventLoop.p50} ms, p99 ${eventLoop.p99} ms, max ${eventLoop.max} ms`,
  );
  if (values.json) {
    const report = {
      at: new Date().toISOString(),
      mode: server ? "http" : "in-process",
      database: runtime.database.kind,
      model: deps.embedder.modelId,
      classifier: artifact?.version ?? "untrained",
      loadAverage: loadavg().map((load) => round(load)),
      settings: {
        seconds,
        texts: agentTexts.length,
        latencySamples: LATENCY_SAMPLES,
        embeddingWorkers: config.EMBEDDING_WORKERS,
        intraOpThreads: config.EMBEDDING_INTRA_OP_THREADS,
      },
      ...results,
      eventLoop,
    };
    writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${values.json}`);
  }
} finally {
  await server?.close();
  await bench.close();
}
