import type { MiddlewareHandler } from "hono";
import { jsonDepth, MAX_JSON_DEPTH } from "#domain/text/json-depth";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";

/** Refuses JSON bodies nested deeper than any route accepts (400), before they are parsed. */
export function withJsonDepthLimit(maxDepth = MAX_JSON_DEPTH): MiddlewareHandler<AppEnv> {
  return async function jsonDepthLimit(c, next) {
    if (c.req.header("content-type")?.includes("json")) {
      // Hono keeps the text, so the route's validator parses it without reading the body again.
      const depth = jsonDepth(await c.req.text());
      if (depth > maxDepth) {
        throw new ApiError("BAD_REQUEST", `JSON nested ${depth} levels deep; at most ${maxDepth} allowed`);
      }
    }
    await next();
  };
}
