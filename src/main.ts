import { join } from "node:path";
import { serve } from "@hono/node-server";
import { createApp } from "./app";
import { buildRuntime, KnowledgeInvalidError } from "./bootstrap";
import { type Config, ConfigError, loadConfig } from "./config/env";
import { listenAdminSocket } from "./infra/admin-socket";
import { DataDirLockedError } from "./infra/data-dir-lock";
import { caseFiles } from "./infra/knowledge-fs/case-files";
import { readNumberedRows } from "./infra/knowledge-fs/read-rows";
import { ensureBootstrapAdminKey } from "./services/access";
import { updateHotTopics } from "./services/analytics";
import { describeCalendar, syncCalendarFile } from "./services/calendar";
import { importCases } from "./services/import-cases";
import { checkAccuracyAlerts } from "./services/outcomes";
import { applyRetention } from "./services/retention";
import { syncKnowledge } from "./services/sync-knowledge";
import { trainClassifier } from "./services/train-classifier";

async function start(config: Config) {
  const runtime = await buildRuntime(config, { lock: { command: "server", port: config.PORT } });
  const { deps, logger, database } = runtime;
  logger.info({ database: database.kind, model: deps.embedder.modelId }, "database migrated, model loaded");

  if (config.KNOWLEDGE_SYNC_ON_START) {
    let lastLogged = 0;
    const report = await syncKnowledge({
      deps,
      input: { bundle: runtime.bundle },
      onProgress: (progress) => {
        if (progress.done === progress.total || performance.now() - lastLogged > 2000) {
          lastLogged = performance.now();
          logger.info(progress, "knowledge sync");
        }
      },
    });
    logger.info(report, report.changed ? "knowledge synced" : "knowledge unchanged");
    if (report.scripts.skippedRetired.length > 0) {
      logger.warn(
        { scripts: report.scripts.skippedRetired },
        "retired scripts changed in the knowledge files were not synced; they stay retired",
      );
    }
  }

  // knowledge/calendar.yaml is the reviewed source of entered holiday years; always brought in.
  const calendarSync = await syncCalendarFile({ deps, input: { years: runtime.calendarYears } });
  if (calendarSync.written.length > 0) logger.info(calendarSync, "calendar years synced from calendar.yaml");
  const calendar = await describeCalendar({ deps });
  if (!calendar.ok)
    logger.warn({ coveredThrough: calendar.coveredThrough }, calendar.message ?? "calendar coverage");

  const adminKey = await ensureBootstrapAdminKey({ deps });
  if (adminKey) printBootstrapKey(adminKey);

  const app = createApp(deps);
  const server = serve(
    {
      fetch: app.fetch,
      port: config.PORT,
      hostname: config.HOST,
      // Clients trickling headers or a body are cut (review #20); REQUEST_TIMEOUT_MS only starts
      // once the request has arrived.
      serverOptions: {
        headersTimeout: Math.min(config.HTTP_HEADERS_TIMEOUT_MS, config.HTTP_REQUEST_TIMEOUT_MS),
        requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
        connectionsCheckingInterval: 1000,
      },
    },
    (info) => {
      logger.info(
        { port: info.port },
        `listening on http://localhost:${info.port} (web consoles: log in with an API key at /login)`,
      );
    },
  );
  // The local admin channel: `npm run keys:*` and `audit:verify` go through this server while it
  // holds DATA_DIR, instead of opening the database files a second time (review #4).
  const adminChannel = runtime.lock
    ? await listenAdminSocket(config.DATA_DIR, createApp({ ...deps, adminChannel: true }).fetch)
    : null;

  // Serving starts first (suggest works untrained: zero-shot, rules, scripts); the first
  // classifier is trained in the background and picked up by hot reload.
  if (config.TRAIN_ON_START) {
    void prepareClassifier().catch((error: unknown) =>
      logger.error({ err: error }, "seed import or training failed"),
    );
  }
  async function prepareClassifier() {
    // The seed history makes the engine useful from a fresh clone; imports are idempotent.
    for (const file of caseFiles(join(config.KNOWLEDGE_DIR, "cases"))) {
      const numbered = readNumberedRows(file);
      const report = await importCases({
        deps,
        input: {
          rows: numbered.map(({ row }) => row),
          lines: numbered.map(({ line }) => line),
          source: "seed",
        },
        actor: { name: "system" },
      });
      logger.info({ file, ...report }, "seed cases");
    }
    if (!(await deps.classifiers.current())) {
      logger.info("no classifier yet: training one on the labelled cases in the background");
      const { artifact } = await trainClassifier({
        deps,
        actor: { name: "system" },
        options: { precisionHigh: config.BAND_PRECISION_HIGH, precisionMedium: config.BAND_PRECISION_MEDIUM },
      });
      logger.info({ version: artifact.version, cases: artifact.trainedOn.cases }, "classifier trained");
    }
  }

  // Retention runs at start and hourly; the timer does not keep the process alive.
  const retain = () =>
    applyRetention({ deps, input: { days: config.SUGGESTION_RETENTION_DAYS } })
      .then(
        (forgotten) =>
          forgotten.suggestions + forgotten.feedbackCases + forgotten.dispatchReasons > 0 &&
          logger.info({ forgotten }, "retention: old personal data deleted"),
      )
      .catch((error: unknown) => logger.warn({ err: error }, "retention failed"));
  void retain();
  setInterval(retain, 3600_000).unref();

  // New requests join hot topics every minute (incremental: only unplaced requests are compared).
  let clustering = false;
  const cluster = () => {
    if (clustering) return;
    clustering = true;
    updateHotTopics({ deps })
      .then(
        ({ placed, topicsChanged }) =>
          placed > 0 && logger.info({ placed, topicsChanged }, "hot topics updated"),
      )
      .catch((error: unknown) => logger.warn({ err: error }, "hot-topic update failed"))
      .finally(() => {
        clustering = false;
      });
  };
  setInterval(cluster, 60_000).unref();
  // The accuracy alert gauge (#15) is refreshed hourly, and whenever an evaluator asks for alerts.
  const watchAccuracy = () =>
    checkAccuracyAlerts({ deps })
      .then(
        ({ alerts }) => alerts.length > 0 && logger.warn({ alerts }, "accuracy against final values dropped"),
      )
      .catch((error: unknown) => logger.warn({ err: error }, "accuracy alert check failed"));
  void watchAccuracy();
  setInterval(watchAccuracy, 3600_000).unref();

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: draining in-flight requests");
    server.close(async () => {
      await adminChannel?.close();
      await runtime.close();
      logger.info("stopped");
      process.exit(0);
    });
    setTimeout(() => process.exit(1), 15_000).unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

/**
 * The first admin key goes to the terminal, never through the JSON logger (whose output usually
 * ends up in a log pipeline): stderr, or stdout when stdout is a terminal (review #20).
 */
function printBootstrapKey(key: string) {
  const stream = process.stdout.isTTY ? process.stdout : process.stderr;
  stream.write(
    `admin key: ${key}\n(shown once, not logged: store it now; make more keys with: npm run keys:create -- --role agent --name <name>)\n`,
  );
}

try {
  await start(loadConfig(process.env));
} catch (error) {
  if (error instanceof ConfigError || error instanceof KnowledgeInvalidError) console.error(error.message);
  else if (error instanceof DataDirLockedError)
    console.error(`failed to start: ${error.message}. Stop it first, or give this server its own DATA_DIR.`);
  else console.error("failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
}
