/**
 * `npm run loadtest [-- --seconds 300 --connections 8 --url http://127.0.0.1:3000 --key hk_…]`
 *
 * A mixed agent workload (70% suggest, 20% knowledge search, 10% script lookups) against a local
 * server for a fixed time, with autocannon. Without --url it starts its own server (`npm start` on
 * a spare port, embedded database in a temp folder) and stops it afterwards. Prints throughput,
 * latency percentiles, errors and the server's resident memory at start and end.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    connections: { type: "string", default: "8" },
    url: { type: "string" },
    key: { type: "string" },
    port: { type: "string", default: "3199" },
  },
});

async function waitReady(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms`);
}

async function startServer(): Promise<{ url: string; adminKey: string; child: ChildProcess }> {
  const port = values.port ?? "3199";
  // One node process with tsx as a loader, so SIGTERM reaches the server itself.
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: {
      ...process.env,
      PORT: port,
      HOST: "127.0.0.1",
      DATA_DIR: mkdtempSync(join(tmpdir(), "loadtest-")),
      LOG_LEVEL: "warn",
      RATE_LIMIT_PER_MINUTE: "1000000",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const adminKey = await new Promise<string>((resolve, reject) => {
    let buffered = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = /admin key: (hk_\S+)\n/.exec(buffered);
      if (match?.[1]) resolve(match[1]);
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code} before printing its admin key`)));
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url, 180_000);
  // Let start-up background work (seed import) finish before measuring.
  await new Promise((resolve) => setTimeout(resolve, 20_000));
  return { url, adminKey, child };
}

async function residentMemoryMb(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const match = /^process_resident_memory_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)/m.exec(text);
  return match?.[1] ? Number(match[1]) / 1024 / 1024 : Number.NaN;
}

const started = values.url ? null : await startServer();
const url = values.url ?? started?.url ?? "";
let key = values.key;
if (!key && started) {
  const created = await fetch(`${url}/v1/keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${started.adminKey}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "loadtest-agent", role: "agent" }),
  });
  key = ((await created.json()) as { key: string }).key;
}
if (!key) throw new Error("--key is needed with --url");

const texts = readFileSync("eval/datasets/requests-gold.jsonl", "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => (JSON.parse(line) as { text: string }).text);
const scriptIds = [
  "shebao-card-lost",
  "labor-wage-arrears",
  "gjj-withdraw-rent",
  "huji-id-lost",
  "utility-water-outage",
];
let counter = 0;

// Warm up the model and the database before measuring.
for (const text of texts.slice(0, 20)) {
  await fetch(`${url}/v1/suggest`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ text }),
  });
}
const memoryStart = await residentMemoryMb(url);
console.log(
  `target ${url}, ${values.connections} connections for ${values.seconds} s; server RSS at start ${memoryStart.toFixed(0)} MB`,
);

const result = await autocannon({
  url,
  connections: Number(values.connections),
  duration: Number(values.seconds),
  headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
  requests: [
    {
      setupRequest: (request) => {
        counter += 1;
        // A fresh headers object each time: autocannon writes Content-Length into the object it is
        // given, and a stale length on a GET makes the server wait for a body that never comes.
        const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
        const text = texts[counter % texts.length] ?? "社保卡";
        const roll = counter % 10;
        if (roll < 7)
          return {
            ...request,
            headers,
            method: "POST",
            path: "/v1/suggest",
            body: JSON.stringify({ text, channel: "phone" }),
          };
        if (roll < 9)
          return {
            ...request,
            headers,
            method: "POST",
            path: "/v1/knowledge/search",
            body: JSON.stringify({ query: text, limit: 5 }),
          };
        return {
          ...request,
          method: "GET",
          path: `/v1/knowledge/scripts/${scriptIds[counter % scriptIds.length]}`,
          body: undefined,
        };
      },
    },
  ],
});
const memoryEnd = await residentMemoryMb(url);
const errors = result.errors + result.timeouts + result.non2xx;
console.log(
  [
    `requests: ${result.requests.total} in ${result.duration} s (${result.requests.average.toFixed(1)} req/s average)`,
    `latency ms: p50 ${result.latency.p50} · p90 ${result.latency.p90} · p99 ${result.latency.p99} · max ${result.latency.max}`,
    `errors: ${errors} (connection ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx})`,
    `server RSS: ${memoryStart.toFixed(0)} MB at start → ${memoryEnd.toFixed(0)} MB at end`,
  ].join("\n"),
);
if (started) {
  started.child.kill("SIGTERM");
  await new Promise((resolve) => started.child.once("exit", resolve));
}
process.exit(errors > 0 ? 1 : 0);
