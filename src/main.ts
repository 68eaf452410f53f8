import { join } from "node:path";
import { serve } from "@hono/node-server";
import type { Logger } from "pino";
import { createApp } from "./app";
import { buildRuntime, KnowledgeInvalidError } from "./bootstrap";
import { type Config, ConfigError, loadConfig } from "./config/env";
import { HELD_OUT } from "./domain/classifier/registry";
import { defaultBurst } from "./domain/rate-limit";
import { listenAdminSocket } from "./infra/admin-socket";
import { createFileClassifierStore } from "./infra/classifier-store";
import { DataDirLockedError } from "./infra/data-dir-lock";
import { createDatabaseRateLimiter } from "./infra/db/rate-limiter";
import { loadGateSuite } from "./infra/eval-suite";
import { createPgBossQueue } from "./infra/jobs/pg-boss-queue";
import { createProgressStore } from "./infra/jobs/progress";
import { caseFiles } from "./infra/knowledge-fs/case-files";
import { readNumberedRows } from "./infra/knowledge-fs/read-rows";
import { ensureBootstrapAdminKey } from "./services/access";
import { describeCalendar, syncCalendarFile } from "./services/calendar";
import { importCases } from "./services/import-cases";
import { registerJobHandlers } from "./services/jobs";
import { checkAccuracyAlerts } from "./services/outcomes";
import { REFERENCE_POLL_MS, syncReference } from "./services/reference";
import { listSpikeAlerts } from "./services/reports";
import { syncKnowledge } from "./services/sync-knowledge";

async function start(config: Config) {
  const runtime = await buildRuntime(config, { lock: { command: "server", port: config.PORT } });
  const { logger, database } = runtime;
  logger.info(
    { database: database.kind, model: runtime.deps.embedder.modelId },
    "database migrated, model loaded",
  );
  // On PostgreSQL, what replicas share lives in the database (issue #16): jobs on pg-boss, rate-limit
  // buckets in a table. The embedded database keeps the in-process queue and in-memory buckets.
  const shared = config.DATABASE_URL && database.kind === "postgres" ? config.DATABASE_URL : null;
  const keyBuckets = shared
    ? createDatabaseRateLimiter(database.db, {
        scope: "key",
        perMinute: config.RATE_LIMIT_PER_MINUTE,
        burst: defaultBurst(config.RATE_LIMIT_PER_MINUTE),
      })
    : null;
  const deps = {
    ...runtime.deps,
    ...(shared
      ? {
          jobs: await createPgBossQueue({
            url: shared,
            progress: createProgressStore(database.db),
            onError: (error) => logger.warn({ err: error }, "job queue"),
          }),
          rateLimiter: keyBuckets ?? runtime.deps.rateLimiter,
          addressLimiter: createDatabaseRateLimiter(database.db, {
            scope: "address",
            perMinute: config.PRE_AUTH_RATE_LIMIT_PER_MINUTE,
            burst: defaultBurst(config.PRE_AUTH_RATE_LIMIT_PER_MINUTE),
          }),
        }
      : {}),
  };

  if (config.KNOWLEDGE_SYNC_ON_START) {
    let lastLogged = 0;
    // One replica syncs at a time; a second one waits, then finds nothing changed.
    const { report, reference } = await database.withLock("knowledge-sync", async () => ({
      report: await syncKnowledge({
        deps,
        input: { bundle: runtime.bundle },
        onProgress: (progress) => {
          if (progress.done === progress.total || performance.now() - lastLogged > 2000) {
            lastLogged = performance.now();
            logger.info(progress, "knowledge sync");
          }
        },
      }),
      // Reference data whose file changed becomes a new version, in force now on every replica.
      reference: await syncReference({ deps, input: { bundle: runtime.bundle } }),
    }));
    logger.info(report, report.changed ? "knowledge synced" : "knowledge unchanged");
    if (reference.written.length > 0) logger.info(reference, "reference data synced from the files");
    if (report.scripts.skippedRetired.length > 0) {
      logger.warn(
        { scripts: report.scripts.skippedRetired },
        "retired scripts changed in the knowledge files were not synced; they stay retired",
      );
    }
  }

  // The reference versions in force (派单目录, 紧急项, rules, synonyms): read now, then polled, so
  // an admin's change on any replica is served here within seconds, without a restart.
  const live = deps.liveReference;
  if (live) {
    await live.refresh();
    live.watch(REFERENCE_POLL_MS, (error) =>
      logger.warn({ err: error }, "reading the reference versions failed"),
    );
  }

  // knowledge/calendar.yaml is the reviewed source of entered holiday years; always brought in.
  const calendarSync = await syncCalendarFile({ deps, input: { years: runtime.calendarYears } });
  if (calendarSync.written.length > 0) logger.info(calendarSync, "calendar years synced from calendar.yaml");
  const calendar = await describeCalendar({ deps });
  if (!calendar.ok)
    logger.warn({ coveredThrough: calendar.coveredThrough }, calendar.message ?? "calendar coverage");

  // Replicas starting together print one first key between them, not one each.
  const adminKey = await database.withLock("bootstrap-key", () => ensureBootstrapAdminKey({ deps }));
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

  // Background work runs on the job queue: each job once across replicas, retried with backoff.
  const suite = gateSuite(config, logger);
  await registerJobHandlers({
    // Jobs read the reference data in force when they use it (a training started after a change uses it).
    deps: live
      ? Object.defineProperties(
          { ...deps },
          {
            suggest: { get: () => live.current().suggest },
            lexicon: { get: () => live.current().lexicon },
          },
        )
      : deps,
    jobs: deps.jobs,
    settings: {
      gate: { tolerance: suite.tolerance, heldOut: HELD_OUT, suite: async () => suite.runs },
      training: { precisionHigh: config.BAND_PRECISION_HIGH, precisionMedium: config.BAND_PRECISION_MEDIUM },
      retentionDays: config.SUGGESTION_RETENTION_DAYS,
      bundle: runtime.bundle,
      // Idle rate-limit buckets (every scope) and the progress of jobs pg-boss no longer keeps.
      ...(keyBuckets
        ? {
            prune: async (now: Date) => {
              await createProgressStore(database.db).prune(new Date(now.getTime() - 14 * 86_400_000));
              return keyBuckets.prune(now.getTime());
            },
          }
        : {}),
      onTrained: (outcome) => logger.info(outcome, `classifier ${outcome.status}`),
    },
  });
  // Retention at start and hourly (the schedule fires once across replicas).
  await deps.jobs.enqueue("retention", {}, { singletonKey: "retention" });
  await deps.jobs.schedule("retention", "0 * * * *");
  if (config.MODEL_RETRAIN_CRON) await deps.jobs.schedule("retrain-scheduled", config.MODEL_RETRAIN_CRON);

  // Serving starts first (suggest works untrained: zero-shot, rules, scripts); the first
  // classifier is trained by a job and served by every replica once promoted.
  if (config.TRAIN_ON_START) {
    void prepareClassifier().catch((error: unknown) =>
      logger.error({ err: error }, "seed import or training failed"),
    );
  }
  async function prepareClassifier() {
    // The seed history makes the engine useful from a fresh clone; imports are idempotent.
    await database.withLock("seed-cases", async () => {
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
    });
    if ((await deps.models.list(1)).length === 0) {
      // Models used to be files under CLASSIFIER_DIR: the newest readable one becomes the first
      // promoted model of the database, so an upgrade keeps serving what it served.
      const legacy = await createFileClassifierStore(config.CLASSIFIER_DIR).current();
      if (legacy) {
        await deps.models.insert(legacy, { status: "candidate", evaluation: null, reasons: [] });
        await deps.models.promote(legacy.version, new Date(), "system", {
          reason: `imported from ${config.CLASSIFIER_DIR}`,
        });
        logger.info({ version: legacy.version }, "classifier imported from the classifier folder");
      }
    }
    if (!(await deps.models.promotedVersion())) {
      logger.info("no classifier yet: queueing the training of a first one");
      await deps.jobs.enqueue("train", { actor: "system", onlyIfNone: true }, { singletonKey: "train" });
    }
  }

  // New requests join hot topics every minute: a scheduled job, run once across replicas.
  await deps.jobs.schedule("hot-topics", "* * * * *");
  // The accuracy alert gauge (#15) is refreshed hourly, and whenever an evaluator asks for alerts.
  const watchAccuracy = () =>
    checkAccuracyAlerts({ deps })
      .then(
        ({ alerts }) => alerts.length > 0 && logger.warn({ alerts }, "accuracy against final values dropped"),
      )
      .catch((error: unknown) => logger.warn({ err: error }, "accuracy alert check failed"));
  void watchAccuracy();
  setInterval(watchAccuracy, 3600_000).unref();
  // The spike gauge (#18) too: computing the current spike alerts sets it, so a Prometheus alert
  // rule sees a spike within minutes even when nobody opens the alerts or the daily report.
  const watchSpikes = () =>
    listSpikeAlerts({ deps, input: {} }).catch((error: unknown) =>
      logger.warn({ err: error }, "spike alert check failed"),
    );
  void watchSpikes();
  setInterval(watchSpikes, 300_000).unref();

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: draining in-flight requests");
    server.close(async () => {
      await adminChannel?.close();
      await deps.jobs.stop().catch(() => {});
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
 * The gold sets a candidate must hold; without the suite file (e.g. an image without eval/) the
 * gate compares on the held-out slice alone, and says so.
 */
function gateSuite(config: Config, logger: Logger): ReturnType<typeof loadGateSuite> {
  try {
    return loadGateSuite(config.MODEL_GATE_SUITE);
  } catch (error) {
    logger.warn(
      { suite: config.MODEL_GATE_SUITE, err: error },
      "promotion gate suite unreadable: candidates are compared on recent held-out cases only",
    );
    return { tolerance: 0.03, runs: [] };
  }
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
