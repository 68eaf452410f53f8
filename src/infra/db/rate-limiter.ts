import { sql } from "drizzle-orm";
import type { RateLimitVerdict, RequestLimiter } from "#domain/rate-limit";
import { type Db, selectRows } from "./client";

/** Buckets untouched this long are deleted by the retention job (they are full again anyway). */
export const STALE_BUCKET_MS = 3600_000;

/**
 * Token buckets in the shared PostgreSQL database, so a key's limit holds across every replica
 * (issue #16 item 3). One statement per request refills, spends and answers atomically (the
 * upsert locks the caller's row), with the same arithmetic as the in-memory `RateLimiter`.
 *
 * @example
 * const limiter = createDatabaseRateLimiter(db, { scope: "key", perMinute: 120, burst: 12 });
 * await limiter.take("key:7", Date.now()); // { allowed: true }
 */
export function createDatabaseRateLimiter(
  db: Db,
  options: { scope: string; perMinute: number; burst: number },
): RequestLimiter & { prune(nowMs: number): Promise<number> } {
  const ratePerMs = options.perMinute / 60_000;
  const burst = options.burst;
  const refusal = (tokens: number): RateLimitVerdict => ({
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / ratePerMs / 1000)),
  });
  const name = (caller: string) => `${options.scope}:${caller}`;
  return {
    async take(caller, nowMs) {
      const key = name(caller);
      // Refilled tokens: min(burst, tokens + elapsed × rate), as the in-memory limiter computes them.
      const refilled = sql`least(${burst}::float8, tokens + greatest(0, ${nowMs}::bigint - updated_at) * ${ratePerMs}::float8)`;
      for (let attempt = 0; attempt < 2; attempt += 1) {
        // Spend one only if there is one: the row lock serialises replicas, and PostgreSQL re-reads
        // the row after waiting for it, so two replicas never spend the same token.
        const spent = await selectRows<{ tokens: number }>(
          db,
          sql`update rate_limit_buckets set tokens = ${refilled} - 1, updated_at = greatest(updated_at, ${nowMs}::bigint)
              where caller = ${key} and ${refilled} >= 1 returning tokens`,
        );
        if (spent.length > 0) return { allowed: true };
        const [bucket] = await selectRows<{ tokens: number }>(
          db,
          sql`select ${refilled} as tokens from rate_limit_buckets where caller = ${key}`,
        );
        if (bucket) return refusal(Number(bucket.tokens));
        const created = await selectRows<{ tokens: number }>(
          db,
          sql`insert into rate_limit_buckets (caller, tokens, updated_at)
              values (${key}, ${burst - 1}::float8, ${nowMs}::bigint)
              on conflict (caller) do nothing returning tokens`,
        );
        if (created.length > 0) return { allowed: true };
        // Another replica created the bucket in between: spend from it.
      }
      return refusal(0);
    },
    async peek(caller, nowMs) {
      const [row] = await selectRows<{ tokens: number }>(
        db,
        sql`select least(${burst}::float8, tokens + greatest(0, ${nowMs}::bigint - updated_at) * ${ratePerMs}::float8) as tokens
            from rate_limit_buckets where caller = ${name(caller)}`,
      );
      if (!row) return { allowed: true };
      return Number(row.tokens) >= 1 ? { allowed: true } : refusal(Number(row.tokens));
    },
    async prune(nowMs) {
      const rows = await selectRows<{ caller: string }>(
        db,
        sql`delete from rate_limit_buckets where updated_at < ${nowMs - STALE_BUCKET_MS}::bigint returning caller`,
      );
      return rows.length;
    },
  };
}
