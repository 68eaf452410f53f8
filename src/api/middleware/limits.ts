import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { UnavailableError } from "#domain/errors";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";

/**
 * The pages' forms (`/login`, `/logout`) carry a key and a CSRF token: a few KB is plenty, and an
 * unauthenticated client must not make the server read 150 MB (review #13).
 */
export const PAGE_MAX_BODY_BYTES = 8 * 1024;

/** Body limit for everything outside `/v1` that can carry a body (the pages' POSTs). */
export function withPageBodyLimit(maxBytes = PAGE_MAX_BODY_BYTES): MiddlewareHandler<AppEnv> {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError("PAYLOAD_TOO_LARGE", `request body is too large (at most ${maxBytes} bytes here)`);
    },
  });
  return async function pageBodyLimit(c, next) {
    // /v1 has its own, larger limit.
    if (c.req.path.startsWith("/v1/")) return next();
    return limit(c, next);
  };
}

/**
 * The client's address as the socket sees it (a reverse proxy's own address when behind one, so
 * all its clients share one bucket); "unknown" outside a real server (app.request in tests).
 */
export function clientAddress(c: Context<AppEnv>): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? "unknown";
}

/**
 * The pre-authentication limit (review #16/#20): every request that ends in 401 (no key, a bad
 * key, a dead session, a refused login) spends one token of its address's bucket; once the
 * bucket is empty, that address gets 429 before any key is hashed or looked up. Callers whose
 * keys work never spend it, so agents behind one NAT are not limited by each other's traffic.
 */
export function withAddressLimit(): MiddlewareHandler<AppEnv> {
  return async function addressLimit(c, next) {
    const deps = c.get("deps");
    const limiter = deps.addressLimiter;
    if (!limiter || deps.adminChannel) return next();
    const bucket = `address:${clientAddress(c)}`;
    const verdict = await limiter.peek(bucket, deps.clock.now().getTime());
    if (!verdict.allowed) {
      throw new ApiError(
        "RATE_LIMITED",
        `too many requests without a valid key from this address; retry in ${verdict.retryAfterSeconds} s`,
        undefined,
        { "Retry-After": String(verdict.retryAfterSeconds) },
      );
    }
    await next();
    if (c.res.status === 401) await limiter.take(bucket, deps.clock.now().getTime());
  };
}

const DEFAULT_TIMEOUT_HINT = "try again shortly";

/**
 * Answers 503 once a request has run for `timeoutMs` and aborts `c.get("signal")`, so services
 * that check it stop their work instead of finishing it unseen (review #14). A route whose work
 * will not finish on a retry either sets `timeoutHint` to say what to do instead.
 */
export function withRequestDeadline(timeoutMs: number): MiddlewareHandler<AppEnv> {
  return async function requestDeadline(c, next) {
    const controller = new AbortController();
    c.set("signal", controller.signal);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const seconds = Math.round(timeoutMs / 100) / 10;
        const message = `the request did not finish within ${seconds} s and was cancelled; ${c.get("timeoutHint") ?? DEFAULT_TIMEOUT_HINT}`;
        controller.abort(new UnavailableError(message));
        reject(new ApiError("SERVICE_UNAVAILABLE", message));
      }, timeoutMs);
    });
    try {
      await Promise.race([next(), expired]);
    } finally {
      clearTimeout(timer);
    }
  };
}
