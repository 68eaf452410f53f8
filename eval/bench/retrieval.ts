/**
 * `npm run bench:retrieval [-- --sizes 1000,10000,100000 --queries 200]`
 *
 * 1. Sync throughput: embeds and writes the real knowledge/ into a fresh database.
 * 2. Vector search at scale: the real passage embeddings are scaled up synthetically (each new
 *    vector mixes two real ones plus noise, renormalised) to 1k, 10k and 100k rows; for each size it
 *    builds the HNSW index and reports p50/p95 latency of HNSW and exact search and HNSW recall@10
 *    against exact search, with real query embeddings (the held-out questions).
 * Runs on TEST_DATABASE_URL / DATABASE_URL when set (a throwaway database is created), else PGlite.
 */
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { sql } from "drizzle-orm";
import pgvector from "pgvector";
import { loadConfig } from "#config/env";
import { type DatabaseHandle, openDatabase, selectRows } from "#infra/db/client";
import { createRepositories, createTransact } from "#infra/db/repositories";
import { createThrowawayDatabase } from "#infra/db/throwaway";
import { createWorkerEmbedder } from "#infra/embedder/worker-embedder";
import { loadKnowledge } from "#infra/knowledge-fs/load-knowledge";
import { readJsonl } from "#infra/knowledge-fs/read-jsonl";
import { createJiebaSegmenter } from "#infra/segmenter/jieba-segmenter";
import { HitTestCaseSchema } from "#services/hit-test";
import { syncKnowledge } from "#services/sync-knowledge";
import { percentile } from "../lib/stats";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "1000,10000,100000" },
    queries: { type: "string", default: "200" },
  },
});
const sizes = (values.sizes ?? "")
  .split(",")
  .map(Number)
  .filter((size) => size > 0);
const queryCount = Number(values.queries);
const config = loadConfig(process.env);
const serverUrl = process.env.TEST_DATABASE_URL ?? config.DATABASE_URL;

async function throwawayDatabase(): Promise<{ handle: DatabaseHandle; drop: () => Promise<void> }> {
  if (!serverUrl) {
    const handle = await openDatabase({ dataDir: "memory://" });
    return { handle, drop: () => handle.close() };
  }
  const handle = await createThrowawayDatabase(serverUrl, "bench", { poolSize: 1, queryTimeoutMs: 600_000 });
  return { handle, drop: () => handle.drop() };
}

function normalise(vector: Float32Array): Float32Array {
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

/** Deterministic pseudo-random numbers, so two runs measure the same data. */
function generator(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const { handle, drop } = await throwawayDatabase();
const embedder = createWorkerEmbedder({ modelRoot: config.MODEL_DIR });
try {
  await handle.migrate();
  await embedder.ready();
  console.log(`database: ${handle.kind}${serverUrl ? "" : " (in memory)"}, model ${embedder.modelId}`);

  // 1. Sync throughput on the real knowledge base.
  const { bundle } = loadKnowledge(config.KNOWLEDGE_DIR);
  const segmenter = createJiebaSegmenter({ userDictPath: `${config.KNOWLEDGE_DIR}/dict/user.dict.utf8` });
  const report = await syncKnowledge({
    deps: {
      knowledge: createRepositories(handle.db).knowledge,
      embedder,
      segmenter,
      transact: createTransact(handle.db),
      clock: { now: () => new Date() },
    },
    input: { bundle },
  });
  const seconds = report.durationMs / 1000;
  console.log(
    `sync: ${report.scripts.total} scripts, ${report.passagesEmbedded} passages in ${seconds.toFixed(1)} s ` +
      `(${(report.passagesEmbedded / seconds).toFixed(0)} passages/s, ${(report.scripts.total / seconds).toFixed(1)} scripts/s)`,
  );

  // 2. Vector search at scale.
  const base = (
    await selectRows<{ embedding: string }>(
      handle.db,
      sql`select embedding::text as embedding from knowledge_passages`,
    )
  ).map((row) => Float32Array.from(pgvector.fromSql(row.embedding) as number[]));
  const questions = readJsonl("eval/datasets/retrieval-heldout.jsonl", HitTestCaseSchema).slice(
    0,
    queryCount,
  );
  const queries = await embedder.embed(questions.map((question) => question.question));
  await handle.db.execute(
    sql`create table bench_vectors (id serial primary key, embedding vector(512) not null)`,
  );
  await handle.db.execute(sql`alter table bench_vectors alter column embedding set storage plain`);

  const random = generator(42);
  let rows = 0;
  console.log(
    "\n| rows | HNSW build s | HNSW p50 ms | HNSW p95 ms | exact p50 ms | exact p95 ms | recall@10 |",
  );
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const size of sizes) {
    const bar = new cliProgress.SingleBar(
      { format: `load ${size} [{bar}] {value}/{total}` },
      cliProgress.Presets.shades_classic,
    );
    bar.start(size, rows);
    await handle.db.execute(sql`drop index if exists bench_vectors_hnsw`);
    while (rows < size) {
      const batch: string[] = [];
      for (let index = 0; index < Math.min(500, size - rows); index += 1) {
        const a = base[Math.floor(random() * base.length)];
        const b = base[Math.floor(random() * base.length)];
        if (!a || !b) throw new Error("no base vectors");
        const mix = random();
        const mixed = a.map(
          (value, dim) => mix * value + (1 - mix) * (b[dim] ?? 0) + (random() - 0.5) * 0.02,
        );
        batch.push(`('${pgvector.toSql(Array.from(normalise(mixed)))}')`);
      }
      await handle.db.execute(sql.raw(`insert into bench_vectors (embedding) values ${batch.join(",")}`));
      rows += batch.length;
      bar.update(rows);
    }
    bar.stop();
    if (handle.kind === "postgres") {
      await handle.db.execute(sql.raw("set maintenance_work_mem = '1GB'"));
      await handle.db.execute(sql.raw("set max_parallel_maintenance_workers = 1"));
    }
    const buildStarted = performance.now();
    await handle.db.execute(
      sql`create index bench_vectors_hnsw on bench_vectors using hnsw (embedding vector_cosine_ops)`,
    );
    const buildSeconds = (performance.now() - buildStarted) / 1000;

    const timeQueries = async (exact: boolean) => {
      const latencies: number[] = [];
      const results: number[][] = [];
      await handle.db.execute(sql.raw(`set enable_indexscan = ${exact ? "off" : "on"}`));
      for (const query of queries) {
        const literal = pgvector.toSql(Array.from(query));
        const started = performance.now();
        const found = await selectRows<{ id: number }>(
          handle.db,
          sql`select id from bench_vectors order by embedding <=> ${literal}::vector limit 10`,
        );
        latencies.push(performance.now() - started);
        results.push(found.map((row) => row.id));
      }
      await handle.db.execute(sql.raw("set enable_indexscan = on"));
      return { latencies, results };
    };
    const approximate = await timeQueries(false);
    const exact = await timeQueries(true);
    let overlap = 0;
    approximate.results.forEach((ids, index) => {
      const truth = new Set(exact.results[index]);
      overlap += ids.filter((id) => truth.has(id)).length / Math.max(1, truth.size);
    });
    const fmt = (value: number) => value.toFixed(2);
    console.log(
      `| ${size} | ${buildSeconds.toFixed(1)} | ${fmt(percentile(approximate.latencies, 50))} | ${fmt(percentile(approximate.latencies, 95))} | ` +
        `${fmt(percentile(exact.latencies, 50))} | ${fmt(percentile(exact.latencies, 95))} | ${(overlap / queries.length).toFixed(3)} |`,
    );
  }
} finally {
  await embedder.close();
  await drop();
}
