import { randomBytes } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { referencePinner } from "#services/reference";
import type { AppDeps, AppEnv } from "../env";

const REQUEST_ID_PATTERN = /^[\w.-]{1,64}$/;

/** Gives every request an id (honouring a sane incoming X-Request-Id), the deps and a child logger. */
export function withRequestContext(deps: AppDeps): MiddlewareHandler<AppEnv> {
  // The reference data in force when the request starts stays its own to the end (issue #16).
  const depsForRequest = referencePinner(deps, deps.liveReference);
  return async function requestContext(c, next) {
    const incoming = c.req.header("x-request-id");
    const requestId =
      incoming && REQUEST_ID_PATTERN.test(incoming) ? incoming : `req_${randomBytes(8).toString("hex")}`;
    c.set("requestId", requestId);
    c.set("deps", depsForRequest());
    c.set("logger", deps.logger.child({ requestId }));
    c.header("X-Request-Id", requestId);
    await next();
  };
}

/** One structured log line per request: method, route, status, duration. Never bodies. */
export function withRequestLogging(): MiddlewareHandler<AppEnv> {
  return async function requestLogging(c, next) {
    const started = performance.now();
    await next();
    const elapsed = performance.now() - started;
    const durationMs = Math.round(elapsed * 10) / 10;
    // The route pattern, not the path, so ids do not explode the label set.
    c.get("deps").telemetry.observeRequest(
      { method: c.req.method, route: c.req.routePath || "unmatched", status: c.res.status },
      elapsed / 1000,
    );
    c.get("logger").info(
      { method: c.req.method, path: c.req.path, status: c.res.status, durationMs },
      "request",
    );
  };
}
