/** What a limiter answers for one request. */
export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * A limiter port: token buckets by caller name ("key:7", "address:10.0.0.3"). The in-process
 * RateLimiter below serves one server; a shared store (PostgreSQL, for replicas) implements the
 * same two methods, which is why they may return promises.
 */
export interface RequestLimiter {
  /** Spends one token of `caller`'s bucket if it has one. */
  take(caller: string, nowMs: number): RateLimitVerdict | Promise<RateLimitVerdict>;
  /** Whether `caller` has a token left, without spending it. */
  peek(caller: string, nowMs: number): RateLimitVerdict | Promise<RateLimitVerdict>;
}

/** Bucket size for a per-minute rate: a tenth of a minute's worth, at least 10. */
export function defaultBurst(perMinute: number): number {
  return Math.max(10, Math.ceil(perMinute / 10));
}

/**
 * Token buckets per caller, in memory: `perMinute` requests a minute on average, bursts up to `burst`.
 *
 * @example
 * const limiter = new RateLimiter({ perMinute: 600, burst: 60 });
 * limiter.take("key-7", Date.now()); // { allowed: true } or { allowed: false, retryAfterSeconds: 2 }
 */
export class RateLimiter implements RequestLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  constructor(private readonly options: { perMinute: number; burst: number }) {}

  take(caller: string, nowMs: number): RateLimitVerdict {
    const bucket = this.refill(caller, nowMs);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return this.refusal(bucket.tokens);
  }

  peek(caller: string, nowMs: number): RateLimitVerdict {
    const bucket = this.buckets.get(caller);
    if (!bucket) return { allowed: true };
    const tokens = Math.min(
      this.options.burst,
      bucket.tokens + (nowMs - bucket.updatedAt) * this.ratePerMs(),
    );
    return tokens >= 1 ? { allowed: true } : this.refusal(tokens);
  }

  private ratePerMs(): number {
    return this.options.perMinute / 60_000;
  }

  private refill(caller: string, nowMs: number) {
    const bucket = this.buckets.get(caller) ?? { tokens: this.options.burst, updatedAt: nowMs };
    bucket.tokens = Math.min(
      this.options.burst,
      bucket.tokens + (nowMs - bucket.updatedAt) * this.ratePerMs(),
    );
    bucket.updatedAt = nowMs;
    this.buckets.set(caller, bucket);
    if (this.buckets.size > 100_000) this.buckets.clear();
    return bucket;
  }

  private refusal(tokens: number): RateLimitVerdict {
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.ratePerMs() / 1000)),
    };
  }
}
