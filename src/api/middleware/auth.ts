import type { MiddlewareHandler } from "hono";
import type { Role } from "#domain/access";
import { authenticate, requireRole } from "#services/access";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";

/**
 * Requires `Authorization: Bearer <key>` (or the console's session cookie) from one of `roles`
 * (admins always pass). Missing or bad key → 401, wrong role → 403, both in the one error shape.
 */
export function withRoles(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async function requireRoles(c, next) {
    let principal = c.get("principal");
    if (!principal) {
      const header = c.req.header("authorization") ?? "";
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const key = match?.[1];
      principal = key
        ? ((await authenticate({ deps: c.get("deps"), input: { key } })) ?? undefined)
        : undefined;
      if (principal) c.set("principal", principal);
    }
    requireRole(principal, roles);
    const limiter = c.get("deps").rateLimiter;
    if (principal && limiter) {
      const verdict = limiter.take(`key:${principal.keyId}`, c.get("deps").clock.now().getTime());
      if (!verdict.allowed) {
        throw new ApiError(
          "RATE_LIMITED",
          `too many requests for this key; retry in ${verdict.retryAfterSeconds} s`,
          undefined,
          {
            "Retry-After": String(verdict.retryAfterSeconds),
          },
        );
      }
    }
    await next();
  };
}
