import { join, resolve } from "node:path";
import pino, { type Logger } from "pino";
import type { AppDeps } from "./api/env";
import type { Config } from "./config/env";
import type { CalendarYear } from "./domain/calendar";
import { checkKnowledge } from "./domain/knowledge/check";
import type { KnowledgeBundle } from "./domain/knowledge/schema";
import { defaultBurst, RateLimiter } from "./domain/rate-limit";
import type { Transact } from "./domain/repositories";
import { UNCALIBRATED } from "./domain/retrieval/confidence";
import { buildScriptVocabulary } from "./domain/retrieval/coverage";
import { buildUrgencyIndex } from "./domain/urgency/detect";
import { acquireDataDirLock, type DataDirLock } from "./infra/data-dir-lock";
import type { QueuedWrites } from "./infra/db/batch-queue";
import { type DatabaseHandle, openDatabase } from "./infra/db/client";
import { createDatabaseEvalRunStore } from "./infra/db/eval-run-repository";
import { createDatabaseClassifierStore, createModelCheck } from "./infra/db/model-repository";
import { createRepositories, createTransact } from "./infra/db/repositories";
import { createSignalWriter } from "./infra/db/signal-writer";
import { createSuggestionWriter } from "./infra/db/suggestion-writer";
import { createWorkerEmbedder } from "./infra/embedder/worker-embedder";
import { createFileEvalRunStore } from "./infra/eval-reports";
import { createInProcessQueue } from "./infra/jobs/in-process-queue";
import { loadCalendarFile } from "./infra/knowledge-fs/load-calendar";
import { loadKnowledge } from "./infra/knowledge-fs/load-knowledge";
import { createCalendarCheck, createReadinessChecks } from "./infra/readiness";
import { createJiebaSegmenter } from "./infra/segmenter/jieba-segmenter";
import { createPrometheusTelemetry } from "./infra/telemetry";
import { createWorkerEngineTrainer } from "./infra/trainer/worker-trainer";
import { createWebAssets } from "./infra/web-assets";
import { createChineseHolidaySource } from "./infra/work-calendar";
import { createLiveReference } from "./services/reference";

export interface Runtime {
  deps: AppDeps;
  database: DatabaseHandle;
  bundle: KnowledgeBundle;
  /** The years of knowledge/calendar.yaml (synced into the database at start). */
  calendarYears: CalendarYear[];
  logger: Logger;
  /** The exclusive lock on DATA_DIR (embedded database on disk only). */
  lock?: DataDirLock | null;
  close(): Promise<void>;
}

export class KnowledgeInvalidError extends Error {
  override readonly name = "KnowledgeInvalidError";
}

/**
 * Builds the real dependencies from a parsed Config: database (migrated), embedder (model
 * verified and loaded), segmenter, knowledge files. Shared by main.ts, the CLIs and the eval
 * harness, so they all run the same code.
 */
export async function buildRuntime(
  config: Config,
  options: {
    logger?: Logger;
    /** Written into DATA_DIR's lock file: who holds the embedded database (a server gives its port). */
    lock?: { command: string; port?: number };
  } = {},
): Promise<Runtime> {
  const logger = options.logger ?? pino({ level: config.LOG_LEVEL, base: { service: "hotline-knowledge" } });
  // First of all, so a refusal is immediate: a second process on the same PGlite folder loses writes (review #4).
  const lock =
    config.DATABASE_URL || config.DATA_DIR === "memory://"
      ? null
      : acquireDataDirLock(config.DATA_DIR, options.lock ?? { command: commandLine() });
  try {
    return await buildLocked(config, logger, lock);
  } catch (error) {
    lock?.release();
    throw error;
  }
}

async function buildLocked(config: Config, logger: Logger, lock: DataDirLock | null): Promise<Runtime> {
  const { bundle, issues } = loadKnowledge(config.KNOWLEDGE_DIR);
  const crossIssues = checkKnowledge(
    bundle,
    new Set(bundle.departments.map((department) => department.code)),
  );
  const calendarFile = loadCalendarFile(join(config.KNOWLEDGE_DIR, "calendar.yaml"));
  if (issues.length + crossIssues.length + calendarFile.issues.length > 0) {
    const lines = [...issues, ...crossIssues, ...calendarFile.issues]
      .slice(0, 20)
      .map((issue) => `  ${issue.file}: ${issue.message}`);
    throw new KnowledgeInvalidError(
      `knowledge in ${config.KNOWLEDGE_DIR}/ is invalid (run \`npm run knowledge:check\`):\n${lines.join("\n")}`,
    );
  }
  if (!bundle.rules) throw new KnowledgeInvalidError(`${config.KNOWLEDGE_DIR}/rules.yaml is missing`);
  const rules = bundle.rules;
  const embedder = createWorkerEmbedder({
    modelRoot: config.MODEL_DIR,
    workers: config.EMBEDDING_WORKERS,
    maxBatchSize: config.EMBEDDING_BATCH_SIZE,
    cacheSize: config.EMBEDDING_CACHE_SIZE,
    intraOpNumThreads: config.EMBEDDING_INTRA_OP_THREADS,
  });
  let database: DatabaseHandle;
  try {
    database = await openDatabase({
      url: config.DATABASE_URL,
      // DATA_DIR=memory:// keeps the embedded database in memory (evaluation runs, experiments).
      dataDir: config.DATA_DIR === "memory://" ? "memory://" : join(config.DATA_DIR, "pglite"),
      poolSize: config.DATABASE_POOL_SIZE,
    });
  } catch (error) {
    await embedder.close().catch(() => {});
    throw error;
  }
  try {
    await database.migrate();
    await embedder.ready();
  } catch (error) {
    await Promise.allSettled([embedder.close(), database.close()]);
    throw error;
  }
  const segmenter = createJiebaSegmenter({
    userDictPath: resolve(config.KNOWLEDGE_DIR, "dict", "user.dict.utf8"),
  });
  const calendar = createChineseHolidaySource();
  const stored = createRepositories(database.db);
  // Suggestions are written in batches off the request path; close() writes what is waiting.
  const suggestionWriter = createSuggestionWriter(database.db, stored.suggestions, {
    onError: (error, pending) => logger.warn({ err: error, pending }, "storing suggestions failed; retrying"),
  });
  // Request signals (analytics) likewise; the 并单 lookup sees the waiting ones.
  const signalWriter = createSignalWriter(database.db, stored.analytics, {
    onError: (error, pending) =>
      logger.warn({ err: error, pending }, "storing request signals failed; retrying"),
  });
  const repositories = { ...stored, suggestions: suggestionWriter, analytics: signalWriter };
  // The promoted model of the shared database: every replica serves the same one (issue #15/#16).
  const classifiers = createDatabaseClassifierStore(repositories.models, {
    // Once per bad version: suggest keeps serving the last good one (review #19).
    onInvalid: (version, reason) =>
      logger.error({ version, reason }, "classifier version unreadable: serving the previous one"),
  });
  // The reference data served: the files' until main.ts reads the versions in force (issue #16).
  const liveReference = createLiveReference({
    bundle: { ...bundle, rules },
    embedder,
    repository: repositories.reference,
    clock: { now: () => new Date() },
    onSwap: (versions, skipped) => {
      logger.info({ versions }, "reference data in force changed: serving the new versions");
      if (skipped.length > 0)
        logger.warn({ skipped }, "stored reference versions unreadable: files' content kept");
    },
  });
  const deps: AppDeps = {
    embedder,
    segmenter,
    clock: { now: () => new Date() },
    locks: { withLock: database.withLock },
    readiness: [
      ...createReadinessChecks(database, embedder),
      createCalendarCheck(calendar, repositories.calendarYears),
      createModelCheck(classifiers),
    ],
    logger,
    ...repositories,
    transact: writtenBefore(createTransact(database.db), [suggestionWriter, signalWriter]),
    lexicon: liveReference.current().lexicon,
    fusion: {
      k: config.SEARCH_RRF_K,
      weights: { vector: config.SEARCH_WEIGHT_VECTOR, fulltext: config.SEARCH_WEIGHT_FULLTEXT },
    },
    retrievalConfidence: bundle.retrievalConfidence ?? UNCALIBRATED,
    scriptVocabulary: buildScriptVocabulary(bundle.scripts),
    emergencyCues: buildUrgencyIndex(bundle.emergencies),
    classifiers,
    trainer: createWorkerEngineTrainer(),
    // Jobs run where they are queued; main.ts replaces this with pg-boss on PostgreSQL.
    jobs: createInProcessQueue({ onError: (error) => logger.warn({ err: error }, "job failed") }),
    calendar,
    webAssets: createWebAssets(),
    // In the shared database (every replica lists the same runs); runs the harness left only in
    // EVAL_REPORTS_DIR are copied in when the list is read.
    evalRuns: createDatabaseEvalRunStore(database.db, {
      folder: createFileEvalRunStore(config.EVAL_REPORTS_DIR, {
        onInvalid: (run, reason) => logger.warn({ run, reason }, "evaluation run skipped"),
      }),
    }),
    telemetry: createPrometheusTelemetry({ embedder }),
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    rateLimiter: new RateLimiter({
      perMinute: config.RATE_LIMIT_PER_MINUTE,
      burst: defaultBurst(config.RATE_LIMIT_PER_MINUTE),
    }),
    addressLimiter: new RateLimiter({
      perMinute: config.PRE_AUTH_RATE_LIMIT_PER_MINUTE,
      burst: defaultBurst(config.PRE_AUTH_RATE_LIMIT_PER_MINUTE),
    }),
    hitTestMaxCases: config.HIT_TEST_MAX_CASES,
    accuracyAlerts: {
      margin: config.ACCURACY_ALERT_MARGIN,
      baselineWeeks: config.ACCURACY_ALERT_WEEKS,
      minOrders: config.ACCURACY_ALERT_MIN_ORDERS,
    },
    suggest: liveReference.current().suggest,
    liveReference,
  };
  return {
    deps,
    database,
    bundle,
    calendarYears: calendarFile.years,
    logger,
    lock,
    close: async () => {
      try {
        await suggestionWriter.close().catch((error: unknown) => {
          logger.error(
            { err: error, pending: suggestionWriter.pending() },
            "suggestions not stored at shutdown",
          );
        });
        await signalWriter.close().catch((error: unknown) => {
          logger.error(
            { err: error, pending: signalWriter.pending() },
            "request signals not stored at shutdown",
          );
        });
        await embedder.close();
        await database.close();
      } finally {
        // Only once PGlite has written its pages back may another process open the folder.
        lock?.release();
      }
    },
  };
}

/**
 * A transaction runner that first stores the writes queued off the request path (suggestions,
 * request signals), so a transaction (retention, feedback) sees every row saved before it began.
 */
function writtenBefore(transact: Transact, writers: readonly QueuedWrites[]): Transact {
  return async (work) => {
    for (const writer of writers) if (writer.pending() > 0) await writer.flush();
    return transact(work);
  };
}

/** What a lock file names as its holder when the caller does not say: the script being run. */
function commandLine(): string {
  const script = process.argv[1] ?? "node";
  return [script.split(/[\\/]/).slice(-2).join("/"), ...process.argv.slice(2)].join(" ").slice(0, 200);
}
