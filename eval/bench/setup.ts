import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import pino from "pino";
import { type Config, loadConfig } from "#config/env";
import { createDiskCachedEmbedder } from "#infra/embedder/disk-cache";
import { readCaseRows } from "#infra/knowledge-fs/case-files";
import { importCases } from "#services/import-cases";
import { syncKnowledge } from "#services/sync-knowledge";
import { buildRuntime, type Runtime } from "../../src/bootstrap";

/** A database of its own on the PostgreSQL server, so a run never touches anyone's data. */
async function throwawayDatabaseUrl(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `bench_suggest_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const own = new URL(url);
  own.pathname = `/${name}`;
  return {
    url: own.toString(),
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/**
 * The benchmarks' runtime: a throwaway database on DATABASE_URL / TEST_DATABASE_URL when set, else
 * PGlite in a temporary folder, with the knowledge synced and the seed history imported. The
 * in-memory embedding cache is off so every measured call pays for inference; the setup alone
 * (knowledge and 7,000 case texts) goes through the evaluations' on-disk cache, which only saves
 * the minutes of embedding them again and changes no vector.
 */
export async function openBenchRuntime(): Promise<{
  runtime: Runtime;
  config: Config;
  close: () => Promise<void>;
}> {
  const serverUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const database = serverUrl ? await throwawayDatabaseUrl(serverUrl) : null;
  const dataDir = database ? null : mkdtempSync(join(tmpdir(), "bench-suggest-"));
  const config = loadConfig({
    ...process.env,
    ...(database ? { DATABASE_URL: database.url } : { DATA_DIR: dataDir ?? "memory://" }),
    EMBEDDING_CACHE_SIZE: "0",
    LOG_LEVEL: "warn",
    RATE_LIMIT_PER_MINUTE: "1000000",
    PRE_AUTH_RATE_LIMIT_PER_MINUTE: "1000000",
  });
  const runtime = await buildRuntime(config, { logger: pino({ level: "warn" }) });
  const close = async () => {
    await runtime.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const setupDeps = {
      ...runtime.deps,
      embedder: createDiskCachedEmbedder(runtime.deps.embedder, { dir: join(".cache", "embeddings") }),
    };
    await syncKnowledge({ deps: setupDeps, input: { bundle: runtime.bundle } });
    await importCases({
      deps: setupDeps,
      input: { rows: readCaseRows("knowledge/cases").map(({ row }) => row), source: "seed" },
      actor: { name: "bench" },
    });
  } catch (error) {
    await close();
    throw error;
  }
  return { runtime, config, close };
}

/**
 * The benchmark's texts: agent-length (≤ 120 chars) requests of the gold set, and citizen-length
 * (~400 chars) ones made by joining agent texts.
 */
export function benchTexts(length: "agent" | "citizen", count = 200): string[] {
  const gold = readFileSync("eval/datasets/requests-gold.jsonl", "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { text: string }).text);
  const agentTexts = gold.filter((text) => text.length <= 120).slice(0, count);
  if (length === "agent") return agentTexts;
  return agentTexts.map((text, index) => {
    let long = text;
    for (let step = 1; long.length < 400; step += 1)
      long += `，${agentTexts[(index + step * 7) % agentTexts.length]}`;
    return long.slice(0, 400);
  });
}
