import type { MiddlewareHandler } from "hono";
import { jsonDepth, MAX_JSON_DEPTH } from "#domain/text/json-depth";
import { findUnstorableString } from "#domain/values";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";

/**
 * Only a `\u` escape can put a NUL or a lone surrogate into a parsed JSON string: a raw NUL is
 * invalid JSON and raw surrogates cannot survive UTF-8 decoding. Bodies without one skip the walk.
 */
const SUSPECT_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;

/**
 * The checks every JSON body gets before any route parses it, whatever the casing or parameters of
 * its content type (`APPLICATION/JSON`, `application/json; charset=UTF-8`, `application/x+json`):
 * nesting deeper than any route accepts, and strings (values or keys) holding a NUL or an unpaired
 * surrogate, which no field may store (review #18, #20). Both are refused with 400.
 */
export function withJsonBodyChecks(maxDepth = MAX_JSON_DEPTH): MiddlewareHandler<AppEnv> {
  return async function jsonBodyChecks(c, next) {
    if (c.req.header("content-type")?.toLowerCase().includes("json")) {
      // Hono keeps the text, so the route's validator parses it without reading the body again.
      const text = await c.req.text();
      const depth = jsonDepth(text);
      if (depth > maxDepth) {
        throw new ApiError("BAD_REQUEST", `JSON nested ${depth} levels deep; at most ${maxDepth} allowed`);
      }
      if (SUSPECT_ESCAPE.test(text)) {
        const found = findUnstorableString(parseOrUndefined(text));
        if (found) throw new ApiError("BAD_REQUEST", `${found.path}: ${found.problem}`);
      }
    }
    await next();
  };
}

/** Invalid JSON is left to the route's validator, which answers it in the usual way. */
function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
