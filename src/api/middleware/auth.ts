import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { type Principal, personIdentity, type Role } from "#domain/access";
import { authenticate, requireRole } from "#services/access";
import { csrfTokenMatches, resolveConsoleSession } from "#services/console-sessions";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";

/** The console's session cookie (httpOnly, SameSite=Strict; Secure over HTTPS). */
export const SESSION_COOKIE = "hk_session";
/** Header the console's pages send with every state-changing request. */
export const CSRF_HEADER = "x-csrf-token";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Names the operator behind a request on the local admin channel (see AppDeps.adminChannel). */
export const CLI_ACTOR_HEADER = "x-cli-actor";

/** The admin channel has no key: its caller owns the database files, and is audited as such. */
function cliPrincipal(actor: string | undefined): Principal {
  const name = actor && /^[\w.@-]{1,64}$/.test(actor) ? actor : "operator";
  return { keyId: 0, name: `cli:${name}`, person: personIdentity(`cli:${name}`), role: "admin" };
}

/**
 * Who is calling: a Bearer API key (integrators) or the console's session cookie (people). A
 * cookie-authenticated request that changes state must also carry the session's CSRF token, so a
 * page on another site cannot act for a logged-in agent. Returns undefined when neither is valid.
 */
export async function identify(c: Context<AppEnv>): Promise<Principal | undefined> {
  const known = c.get("principal");
  if (known) return known;
  const deps = c.get("deps");
  if (deps.adminChannel) {
    c.set("principal", cliPrincipal(c.req.header(CLI_ACTOR_HEADER)));
    return c.get("principal");
  }
  const header = c.req.header("authorization");
  if (header !== undefined) {
    const key = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const principal = key ? await authenticate({ deps, input: { key } }) : null;
    if (principal) c.set("principal", principal);
    return principal ?? undefined;
  }
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return undefined;
  const session = await resolveConsoleSession({ deps, input: { token } });
  if (!session) return undefined;
  if (!SAFE_METHODS.has(c.req.method) && !csrfTokenMatches(token, c.req.header(CSRF_HEADER))) {
    throw new ApiError("FORBIDDEN", "missing or wrong CSRF token; reload the page");
  }
  c.set("principal", session.principal);
  c.set("csrfToken", session.csrfToken);
  return session.principal;
}

/** The caller of a route guarded by withRoles(); a route without it is a programming error. */
export function callerOf(c: Context<AppEnv>): Principal {
  const principal = c.get("principal");
  if (!principal) throw new Error("route without withRoles()");
  return principal;
}

/**
 * Requires a caller (API key or console session) with one of `roles` (admins always pass).
 * Missing or bad credentials → 401, wrong role → 403, both in the one error shape.
 */
export function withRoles(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async function requireRoles(c, next) {
    const principal = await identify(c);
    requireRole(principal, roles);
    const limiter = c.get("deps").rateLimiter;
    if (principal && limiter && !c.get("deps").adminChannel) {
      const verdict = await limiter.take(`key:${principal.keyId}`, c.get("deps").clock.now().getTime());
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
