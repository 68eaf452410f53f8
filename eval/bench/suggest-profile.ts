/**
 * `npm run bench:suggest:profile [-- --texts 60 --length agent|citizen]`
 *
 * Where one suggest call spends its work, in-process and one call at a time (no contention): how
 * many embedder calls and texts, how many database statements (by kind), and the main thread's CPU
 * by part of the code (from a V8 CPU profile of the calls). Uses the same throwaway database and
 * data as `bench:suggest` (PostgreSQL on DATABASE_URL / TEST_DATABASE_URL, else PGlite).
 */
import { Session } from "node:inspector/promises";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import type { Embedder } from "#domain/ports";
import { suggest } from "#services/suggest";
import { percentile } from "../lib/stats";
import { benchTexts, openBenchRuntime } from "./setup";

const { values } = parseArgs({
  options: {
    texts: { type: "string", default: "60" },
    length: { type: "string", default: "agent" },
    /** Suggests made before measuring (each stores a request signal, as the benchmark's do). */
    warm: { type: "string", default: "5" },
  },
});

// Every statement any pg client sends (pool connections included), by its first words, with the
// milliseconds from sending it to its result.
const statements = new Map<string, number[]>();
let counting = false;
const originalQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function countedQuery(this: pg.Client, ...args: unknown[]) {
  if (!counting) return originalQuery.apply(this, args);
  const first = args[0];
  const text =
    typeof first === "string" ? first : ((first as { text?: string } | undefined)?.text ?? "(prepared)");
  const key = text.replace(/\s+/g, " ").trim().slice(0, 70);
  const started = performance.now();
  const record = () => statements.set(key, [...(statements.get(key) ?? []), performance.now() - started]);
  // pg-pool passes a callback; drizzle on a client awaits the promise.
  const callback = args.at(-1);
  if (typeof callback === "function") {
    args[args.length - 1] = (...results: unknown[]) => {
      record();
      return callback(...results);
    };
    return originalQuery.apply(this, args);
  }
  const result = originalQuery.apply(this, args);
  if (result instanceof Promise) result.then(record, record);
  return result;
} as typeof pg.Client.prototype.query;

const bench = await openBenchRuntime();
const { deps } = bench.runtime;
try {
  const all = benchTexts(values.length === "citizen" ? "citizen" : "agent");
  const texts = all.slice(0, Number(values.texts));
  const embedCalls: number[] = [];
  const embedTexts: number[] = [];
  let calls = 0;
  let embedded = 0;
  const counted: Embedder = {
    ...deps.embedder,
    modelId: deps.embedder.modelId,
    dimensions: deps.embedder.dimensions,
    embed: (batch) => {
      calls += 1;
      embedded += batch.length;
      return deps.embedder.embed(batch);
    },
  };
  const profiled = { ...deps, embedder: counted };
  // Warm up (label and urgency indexes, connections) before anything is counted.
  for (let index = 0; index < Number(values.warm); index += 1)
    await suggest({
      deps: profiled,
      input: { text: all[index % all.length] ?? "" },
      actor: { name: "bench" },
    });

  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  counting = true;
  const wall: number[] = [];
  const timings: Record<string, number[]> = {};
  for (const text of texts) {
    calls = 0;
    embedded = 0;
    const started = performance.now();
    const { suggestion } = await suggest({ deps: profiled, input: { text }, actor: { name: "bench" } });
    wall.push(performance.now() - started);
    embedCalls.push(calls);
    embedTexts.push(embedded);
    for (const [name, value] of Object.entries(suggestion.timings)) {
      timings[name] = [...(timings[name] ?? []), value];
    }
  }
  // Writes queued off the request path are counted too (they still cost the database).
  await (deps.suggestions as { flush?: () => Promise<void> }).flush?.();
  counting = false;
  const { profile } = await session.post("Profiler.stop");
  session.disconnect();

  const n = texts.length;
  console.log(
    `${n} ${values.length} texts, database ${bench.runtime.database.kind}, load ${loadavg()[0]?.toFixed(2)}`,
  );
  console.log(
    `wall p50 ${percentile(wall, 50).toFixed(1)} ms; ` +
      Object.entries(timings)
        .map(([name, list]) => `${name} p50 ${percentile(list, 50).toFixed(1)}`)
        .join(", "),
  );
  console.log(
    `embedder calls per suggest: ${(embedCalls.reduce((a, b) => a + b, 0) / n).toFixed(2)}, texts embedded per suggest: ${(embedTexts.reduce((a, b) => a + b, 0) / n).toFixed(2)}`,
  );
  console.log("\ndatabase statements per suggest (count, p50 ms):");
  for (const [key, times] of [...statements.entries()].sort((a, b) => b[1].length - a[1].length))
    console.log(
      `  ${(times.length / n).toFixed(2)}  ${percentile(times, 50).toFixed(2).padStart(6)}  ${key}`,
    );

  // Self time of the main thread by where the code lives.
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  samples.forEach((id, index) => {
    self.set(id, (self.get(id) ?? 0) + (deltas[index] ?? 0));
  });
  const byPart = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, micros] of self) {
    const frame = nodes.get(id)?.callFrame;
    if (!frame) continue;
    const url = frame.url;
    const part =
      frame.functionName === "(idle)" || frame.functionName === "(program)"
        ? frame.functionName
        : frame.functionName === "(garbage collector)"
          ? "(gc)"
          : url.includes("/src/")
            ? `src/${url.split("/src/")[1]?.split("/").slice(0, -1).join("/") ?? ""}`
            : url.includes("node_modules/")
              ? (url
                  .split("node_modules/")
                  .at(-1)
                  ?.match(/^(@[^/]+\/[^/]+|[^/]+)/)?.[0] ?? url)
              : url.startsWith("node:")
                ? url === "node:inspector"
                  ? url
                  : "node:*"
                : url || `(native) ${frame.functionName}`;
    byPart.set(part, (byPart.get(part) ?? 0) + micros);
    const name = `${frame.functionName || "(anonymous)"} ${url.split("/").slice(-2).join("/")}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  }
  // The profiler's own stop call is not the suggest's work.
  const busy = [...byPart.entries()].filter(([part]) => part !== "(idle)" && part !== "node:inspector");
  const total = busy.reduce((sum, [, micros]) => sum + micros, 0);
  console.log(`\nmain-thread CPU per suggest: ${(total / n / 1000).toFixed(2)} ms (self time by part)`);
  for (const [part, micros] of busy.sort((a, b) => b[1] - a[1]).slice(0, 25))
    console.log(`  ${(micros / n / 1000).toFixed(2).padStart(6)} ms  ${part}`);
  console.log("\ntop functions:");
  for (const [name, micros] of [...byFunction.entries()]
    .filter(([name]) => !name.startsWith("(idle)"))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25))
    console.log(`  ${(micros / n / 1000).toFixed(2).padStart(6)} ms  ${name}`);
} finally {
  await bench.close();
}
