import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { compareEvalRuns, getEvalRun, listEvalRuns, readEvalReport } from "#services/eval-runs";
import type { AppEnv } from "../env";
import { defaultHook, errorResponses } from "../errors";
import { identify, withRoles } from "../middleware/auth";
import { jsonResponse } from "../openapi";
import {
  EvalComparisonSchema,
  EvalRunDetailSchema,
  EvalRunIdSchema,
  EvalRunListSchema,
} from "../schemas/eval-runs";

/**
 * Evaluation runs written by `npm run eval`: the JSON API under /v1/eval and each run's HTML report
 * at /eval/runs/{id}/report (opened from the /eval page). Mounted at "/".
 */
export const evalRunRoutes = new OpenAPIHono<AppEnv>({ defaultHook });
const security = [{ bearerAuth: [] }];
const allowed = withRoles("evaluator");

/**
 * The report is the harness's self-contained page: inline styles and SVG, no scripts, nothing
 * fetched. It may be framed by our own pages only.
 */
export const REPORT_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "SAMEORIGIN",
  "referrer-policy": "no-referrer",
  "cache-control": "private, no-cache",
} as const;

evalRunRoutes.openapi(
  createRoute({
    method: "get",
    path: "/v1/eval/runs",
    operationId: "listEvalRuns",
    tags: ["evaluation"],
    summary: "Evaluation runs (eval/reports) with each task's headline metrics, newest first",
    security,
    middleware: allowed,
    responses: {
      200: jsonResponse(EvalRunListSchema, "Runs"),
      ...errorResponses(401, 403),
    },
  }),
  async (c) => c.json({ runs: await listEvalRuns({ deps: c.get("deps") }) }, 200),
);

evalRunRoutes.openapi(
  createRoute({
    method: "get",
    path: "/v1/eval/runs/{id}",
    operationId: "getEvalRun",
    tags: ["evaluation"],
    summary: "One evaluation run: headline metrics per task and the harness inputs",
    security,
    middleware: allowed,
    request: { params: z.object({ id: EvalRunIdSchema.openapi({ param: { name: "id", in: "path" } }) }) },
    responses: {
      200: jsonResponse(EvalRunDetailSchema, "Run"),
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => c.json(await getEvalRun({ deps: c.get("deps"), input: c.req.valid("param") }), 200),
);

evalRunRoutes.openapi(
  createRoute({
    method: "get",
    path: "/v1/eval/compare",
    operationId: "compareEvalRuns",
    tags: ["evaluation"],
    summary:
      "Run B against run A: per task both ran, each headline metric's A, B, Δ = B − A and better/worse",
    security,
    middleware: allowed,
    request: {
      query: z.object({
        a: EvalRunIdSchema.openapi({ description: "Run A (the reference)" }),
        b: EvalRunIdSchema.openapi({ description: "Run B (compared with A)" }),
      }),
    },
    responses: {
      200: jsonResponse(EvalComparisonSchema, "Comparison"),
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => c.json(await compareEvalRuns({ deps: c.get("deps"), input: c.req.valid("query") }), 200),
);

// Not part of the JSON API (an HTML page for people), so not in the OpenAPI document.
evalRunRoutes.get(
  "/eval/runs/:id/report",
  // A person opening the link without a session is sent to log in, then back to /eval.
  async (c, next) => {
    if (!(await identify(c))) return c.redirect(`/login?next=${encodeURIComponent("/eval")}`, 303);
    await next();
  },
  allowed,
  async (c) => {
    const html = await readEvalReport({ deps: c.get("deps"), input: { id: c.req.param("id") } });
    return c.body(html, 200, REPORT_HEADERS);
  },
);
