/**
 * Token buckets per caller: `perMinute` requests a minute on average, bursts up to `burst`.
 *
 * @example
 * const limiter = new RateLimiter({ perMinute: 600, burst: 60 });
 * limiter.take("key-7", Date.now()); // { allowed: true } or { allowed: false, retryAfterSeconds: 2 }
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  constructor(private readonly options: { perMinute: number; burst: number }) {}

  take(caller: string, nowMs: number): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const ratePerMs = this.options.perMinute / 60_000;
    const bucket = this.buckets.get(caller) ?? { tokens: this.options.burst, updatedAt: nowMs };
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + (nowMs - bucket.updatedAt) * ratePerMs);
    bucket.updatedAt = nowMs;
    this.buckets.set(caller, bucket);
    if (this.buckets.size > 100_000) this.buckets.clear();
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerMs / 1000)),
    };
  }
}
