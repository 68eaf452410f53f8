import { sql } from "drizzle-orm";
import {
  bigint,
  customType,
  doublePrecision,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/** PostgreSQL `bytea` as a Node Buffer (PGlite hands back a Uint8Array; the repository copes). */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType() {
    return "bytea";
  },
});

/**
 * Trained classifiers, shared by every replica (issue #15 item 4, #16 item 1). A training run adds
 * a `candidate`; the promotion gate turns it into `promoted` (at most one row) or `refused` (with
 * the reasons); a promoted model replaced by another or rolled back becomes `retired`.
 */
export const models = pgTable(
  "models",
  {
    version: text().primaryKey(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** candidate | promoted | refused | retired */
    status: text().notNull(),
    embeddingModel: text().notNull(),
    /** { cases, bySource, heldOut } */
    trainedOn: jsonb().notNull(),
    /** The internal cross-validation metrics training computed (per head). */
    metrics: jsonb().notNull(),
    /** What the promotion gate measured: candidate and promoted model on the same data. */
    evaluation: jsonb(),
    /** Why it was refused, promoted, retired or rolled back (Chinese/English, for people). */
    reasons: jsonb().$type<string[]>().notNull().default([]),
    /** The artifact (engine model + summary), gzip-compressed JSON. */
    artifact: bytea().notNull(),
    promotedAt: timestamp({ withTimezone: true }),
    promotedBy: text(),
    retiredAt: timestamp({ withTimezone: true }),
    /** Set when a rollback retired it: a later rollback never returns to it. */
    rolledBackAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    // Two replicas promoting at once cannot both win.
    uniqueIndex("models_one_promoted").on(table.status).where(sql`status = 'promoted'`),
    index("models_created_idx").on(table.createdAt),
  ],
);

/**
 * Token buckets of the per-key and per-address rate limits when running on PostgreSQL, so the limit
 * holds across replicas (`caller` is "key:7" / "address:10.0.0.3", prefixed by the limiter's scope).
 */
export const rateLimitBuckets = pgTable("rate_limit_buckets", {
  caller: text().primaryKey(),
  tokens: doublePrecision().notNull(),
  /** Milliseconds since the epoch of the last refill. */
  updatedAt: bigint({ mode: "number" }).notNull(),
});

/**
 * Progress of background jobs as their handlers report it (stage, done/total), keyed by the queue's
 * job id; the queue itself (pg-boss on PostgreSQL) keeps state, retries and results.
 */
export const jobProgress = pgTable("job_progress", {
  jobId: text().primaryKey(),
  name: text().notNull(),
  stage: text().notNull(),
  done: bigint({ mode: "number" }).notNull().default(0),
  total: bigint({ mode: "number" }).notNull().default(0),
  /** Which replica reported it last (host:pid). */
  worker: text().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
