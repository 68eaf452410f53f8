import { join, resolve } from "node:path";
import { serve } from "@hono/node-server";
import pino from "pino";
import { createApp } from "./app";
import { type Config, ConfigError, loadConfig } from "./config/env";
import { openDatabase } from "./infra/db/client";
import { createWorkerEmbedder } from "./infra/embedder/worker-embedder";
import { createReadinessChecks } from "./infra/readiness";
import { createJiebaSegmenter } from "./infra/segmenter/jieba-segmenter";

async function start(config: Config) {
  const logger = pino({ level: config.LOG_LEVEL, base: { service: "hotline-knowledge" } });
  const embedder = createWorkerEmbedder({
    modelRoot: config.MODEL_DIR,
    workers: config.EMBEDDING_WORKERS,
    maxBatchSize: config.EMBEDDING_BATCH_SIZE,
    cacheSize: config.EMBEDDING_CACHE_SIZE,
  });
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: join(config.DATA_DIR, "pglite"),
    poolSize: config.DATABASE_POOL_SIZE,
  });
  logger.info({ database: database.kind }, "applying migrations");
  await database.migrate();
  const segmenter = createJiebaSegmenter({
    userDictPath: resolve(config.KNOWLEDGE_DIR, "dict", "user.dict.utf8"),
  });
  await embedder.ready();
  logger.info({ model: embedder.modelId }, "embedding model loaded");

  const app = createApp({
    embedder,
    segmenter,
    clock: { now: () => new Date() },
    readiness: createReadinessChecks(database, embedder),
    logger,
  });
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    logger.info({ port: info.port }, `listening on http://localhost:${info.port}`);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: draining in-flight requests");
    server.close(async () => {
      await embedder.close();
      await database.close();
      logger.info("stopped");
      process.exit(0);
    });
    setTimeout(() => process.exit(1), 15_000).unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

try {
  await start(loadConfig(process.env));
} catch (error) {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error("failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
}
