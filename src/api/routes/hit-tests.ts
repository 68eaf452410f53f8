import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { CountParamSchema, IdParamSchema } from "#domain/values";
import { getHitTestRun, HitTestInputSchema, listHitTestRuns, runHitTest } from "#services/hit-test";
import type { AppEnv } from "../env";
import { ApiError, defaultHook, errorResponses } from "../errors";
import { callerOf, withRoles } from "../middleware/auth";
import { documented, jsonBody, jsonResponse } from "../openapi";

export const hitTestRoutes = new OpenAPIHono<AppEnv>({ defaultHook });
const security = [{ bearerAuth: [] }];
const allowed = withRoles("editor", "reviewer", "evaluator");
/** Cases per request unless HIT_TEST_MAX_CASES says otherwise (~90 ms each: well inside the request timeout). */
const DEFAULT_MAX_CASES = 200;

const MetricsSchema = z
  .object({
    n: z.number(),
    answerable: z.number(),
    recallAt1: z.number(),
    recallAt3: z.number(),
    recallAt5: z.number(),
    mrr: z.number(),
    noAnswerRate: z.number(),
    falseAnswerRate: z.number().nullable(),
    confidentRefusal: z.number().optional().openapi({
      description: "Answerable questions the search was not confident about (absent on older runs)",
    }),
    offTopicRejected: z.number().nullable().optional().openapi({
      description: "Unanswerable (expected = []) questions the search was not confident about",
    }),
  })
  .openapi("RetrievalMetrics");

const RunSummarySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    actor: z.string(),
    createdAt: z.string(),
    config: z.record(z.string(), z.unknown()),
    metrics: MetricsSchema,
  })
  .openapi("HitTestRunSummary");

const RunSchema = RunSummarySchema.extend({
  cases: z.array(
    z.object({
      id: z.string(),
      question: z.string(),
      expected: z.array(z.string()),
      returned: z.array(z.string()),
      rank: z.number().int().nullable(),
      confident: z.boolean().optional(),
    }),
  ),
}).openapi("HitTestRun");

hitTestRoutes.openapi(
  createRoute({
    method: "post",
    path: "/hit-tests",
    operationId: "runHitTest",
    tags: ["knowledge"],
    summary:
      "Batch hit test: recall@1/3/5 and MRR over questions with expected script ids (kept for comparison)",
    description:
      "At most HIT_TEST_MAX_CASES cases (default 200; 400 beyond). A run still going at the request timeout is cancelled (503) and not stored; larger sets run with `npm run knowledge:hit-test`.",
    security,
    middleware: allowed,
    request: {
      ...jsonBody(
        z
          .object({
            name: documented(HitTestInputSchema.shape.name, { example: "held-out colloquial set" }),
            limit: z.number().int().min(1).max(20).optional(),
            cases: z
              .array(
                z
                  .object({
                    id: z.string().max(100).optional(),
                    question: z.string().max(2000),
                    expected: z.array(z.string().max(100)).max(20),
                  })
                  .strict(),
              )
              .min(1)
              .max(5000),
          })
          .strict(),
      ),
    },
    responses: {
      201: jsonResponse(RunSchema, "The stored run"),
      ...errorResponses(400, 401, 403, 413, 503),
    },
  }),
  async (c) => {
    const input = c.req.valid("json");
    const maxCases = c.get("deps").hitTestMaxCases ?? DEFAULT_MAX_CASES;
    if (input.cases.length > maxCases) {
      throw new ApiError(
        "BAD_REQUEST",
        `cases: at most ${maxCases} per request (got ${input.cases.length}); split the set, or run it with \`npm run knowledge:hit-test\``,
      );
    }
    // A retry would time out the same way: say what helps instead.
    c.set(
      "timeoutHint",
      "a retry will not finish either: send fewer cases per request, or run the set with `npm run knowledge:hit-test`",
    );
    const signal = c.get("signal");
    return c.json(
      await runHitTest({ deps: c.get("deps"), input, actor: callerOf(c), ...(signal ? { signal } : {}) }),
      201,
    );
  },
);

hitTestRoutes.openapi(
  createRoute({
    method: "get",
    path: "/hit-tests",
    operationId: "listHitTests",
    tags: ["knowledge"],
    summary: "Stored hit-test runs, newest first",
    security,
    middleware: allowed,
    request: { query: z.object({ limit: CountParamSchema({ min: 1, max: 200 }).default(50) }) },
    responses: {
      200: jsonResponse(z.object({ runs: z.array(RunSummarySchema) }), "Runs"),
      ...errorResponses(400, 401, 403),
    },
  }),
  async (c) =>
    c.json({ runs: await listHitTestRuns({ deps: c.get("deps"), input: c.req.valid("query") }) }, 200),
);

hitTestRoutes.openapi(
  createRoute({
    method: "get",
    path: "/hit-tests/{id}",
    operationId: "getHitTest",
    tags: ["knowledge"],
    summary: "One run with each question's outcome",
    security,
    middleware: allowed,
    request: {
      params: z.object({
        id: documented(IdParamSchema, { param: { name: "id", in: "path" }, example: 3 }),
      }),
    },
    responses: {
      200: jsonResponse(RunSchema, "Run"),
      ...errorResponses(401, 403, 404),
    },
  }),
  async (c) => c.json(await getHitTestRun({ deps: c.get("deps"), input: c.req.valid("param") }), 200),
);
