import { z } from "zod";

const booleanFromEnv = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((value) => value === "true" || value === "1");

/**
 * The one configuration schema. Only `src/main.ts` (and CLI entry points) call `loadConfig`;
 * everything else receives the typed `Config`.
 *
 * @example
 * const config = loadConfig(process.env); // throws listing every invalid variable
 */
export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  /** Unset: the embedded PGlite database under DATA_DIR. Set: a real PostgreSQL with pgvector. */
  DATABASE_URL: z.url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  DATA_DIR: z.string().default("data"),
  MODEL_DIR: z.string().default("models"),
  EMBEDDING_MODEL_ID: z.string().default("bge-small-zh-v1.5"),
  EMBEDDING_DIM: z.coerce.number().int().positive().default(512),
  /**
   * One worker already uses both cores unless EMBEDDING_INTRA_OP_THREADS limits it. More than one
   * aborts the process at the first concurrent inference with onnxruntime-node 1.21
   * (microsoft/onnxruntime#24486), so it is refused here instead of at the first busy minute.
   */
  EMBEDDING_WORKERS: z.coerce
    .number()
    .int()
    .min(1)
    .max(
      1,
      "more than one embedding worker aborts the process with onnxruntime-node 1.21 (microsoft/onnxruntime#24486); keep 1",
    )
    .default(1),
  EMBEDDING_BATCH_SIZE: z.coerce.number().int().min(1).max(256).default(32),
  /** onnxruntime intra-op threads per embedding worker; 0 leaves onnxruntime's default (every core). */
  EMBEDDING_INTRA_OP_THREADS: z.coerce.number().int().min(0).max(64).default(0),
  EMBEDDING_CACHE_SIZE: z.coerce.number().int().min(0).default(10_000),
  KNOWLEDGE_DIR: z.string().default("knowledge"),
  /** Sync knowledge/ into the database at start-up when the files changed. */
  KNOWLEDGE_SYNC_ON_START: booleanFromEnv.default(true),
  /** Weighted reciprocal-rank fusion of vector and full-text search. */
  SEARCH_WEIGHT_VECTOR: z.coerce.number().min(0).default(1),
  SEARCH_WEIGHT_FULLTEXT: z.coerce.number().min(0).default(0.5),
  SEARCH_RRF_K: z.coerce.number().positive().default(60),
  /** Trained classifier artifacts (newest served; hot-reloaded). */
  CLASSIFIER_DIR: z.string().default("models/classifier"),
  /** Import every .jsonl/.csv under knowledge/cases (seed + per-department history) and train a first classifier at start-up when none exists. */
  TRAIN_ON_START: booleanFromEnv.default(true),
  /**
   * Confidence bands: at training, each label's "high" threshold is the lowest confidence at which
   * held-out precision reaches BAND_PRECISION_HIGH ("medium": BAND_PRECISION_MEDIUM).
   */
  BAND_PRECISION_HIGH: z.coerce.number().min(0.5).max(1).default(0.95),
  BAND_PRECISION_MEDIUM: z.coerce.number().min(0.3).max(1).default(0.8),
  /**
   * Requests per minute per API key (token bucket; bursts up to a tenth of a minute's worth, at
   * least 10). 120 keeps one key below a quarter of the ~540 suggest/min one server was measured
   * to serve at 5,000-character texts (review #16), so a runaway console cannot starve the others.
   */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  /**
   * Failed authentications (no key, a bad key, a dead session, a refused login) per minute per
   * client address; once spent, every request from that address that needs a key gets 429 before
   * any hashing or lookup. Generous for a call centre behind one NAT (a whole shift logging in).
   */
  PRE_AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(300),
  /** API requests still running after this many milliseconds are answered 503 and their work is cancelled. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** A client that has not sent all request headers after this long is disconnected (slow headers). */
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1000).default(10_000),
  /** A client that has not sent its whole request (headers and body) after this long is disconnected (slow bodies). */
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(60_000),
  /**
   * Most questions in one `POST /v1/knowledge/hit-tests` (about 90 ms each, so 200 finish well inside
   * REQUEST_TIMEOUT_MS); larger sets run with `npm run knowledge:hit-test`.
   */
  HIT_TEST_MAX_CASES: z.coerce.number().int().min(1).max(5000).default(200),
  /** Suggestion texts older than this are deleted (personal data retention). */
  SUGGESTION_RETENTION_DAYS: z.coerce.number().int().min(1).default(180),
  /** Where `npm run eval` writes its runs (<run-id>/report.json, report.html); read by the /eval pages. */
  EVAL_REPORTS_DIR: z.string().default("eval/reports"),
  /** A head alerts when its last week's top-1 is more than this below the weeks before (0.05 = 5 points). */
  ACCURACY_ALERT_MARGIN: z.coerce.number().min(0).max(1).default(0.05),
  /** Earlier weeks pooled as the alert's baseline. */
  ACCURACY_ALERT_WEEKS: z.coerce.number().int().min(1).max(52).default(4),
  /** Weeks with fewer linked closed orders are neither judged nor used as a baseline. */
  ACCURACY_ALERT_MIN_ORDERS: z.coerce.number().int().min(1).default(20),
  /** The gold sets (and tolerance) a trained candidate must hold against the promoted model. */
  MODEL_GATE_SUITE: z.string().default("eval/suites/ci.json"),
  /** When the scheduled retraining runs (5-field cron, Asia/Shanghai); empty turns it off. */
  MODEL_RETRAIN_CRON: z
    .string()
    .default("0 3 * * 0")
    .refine((value) => value === "" || value.trim().split(/\s+/).length === 5, "a 5-field cron or empty"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Parses the environment once; fails fast with every problem listed. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = ConfigSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  // Ignoring it silently would leave an operator believing crisis deadlines apply (issue #11).
  if (env.CRISIS_MODE !== undefined) {
    problems.push("  CRISIS_MODE: removed; an admin declares a crisis at run time with PUT /v1/admin/crisis");
  }
  if (!parsed.success || problems.length > 0) {
    throw new ConfigError(`invalid configuration:\n${problems.join("\n")}`);
  }
  return parsed.data;
}
