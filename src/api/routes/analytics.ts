import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { listHotTopics, spikeAlerts, updateHotTopics } from "#services/analytics";
import type { AppEnv } from "../env";
import { defaultHook, errorResponses } from "../errors";
import { withRoles } from "../middleware/auth";
import { jsonResponse } from "../openapi";
import {
  HotTopicsQuerySchema,
  HotTopicsSchema,
  HotTopicUpdateSchema,
  rangeBound,
  SpikesSchema,
} from "../schemas/analytics";

/** The centre's analytics: hot topics and spikes, for evaluators and admins. */
export const analyticsRoutes = new OpenAPIHono<AppEnv>({ defaultHook });
const security = [{ bearerAuth: [] }];
const WEEK_MS = 7 * 86_400_000;

analyticsRoutes.openapi(
  createRoute({
    method: "get",
    path: "/analytics/hot-topics",
    operationId: "listHotTopics",
    tags: ["analytics"],
    summary: "Hot topics: requests about the same problem in the same place, ranked by heat",
    security,
    middleware: [withRoles("evaluator", "admin")] as const,
    request: { query: HotTopicsQuerySchema },
    responses: { 200: jsonResponse(HotTopicsSchema, "Topics"), ...errorResponses(400, 401, 403) },
  }),
  async (c) => {
    const query = c.req.valid("query");
    const to = query.to ? rangeBound(query.to, true) : c.get("deps").clock.now();
    const from = query.from ? rangeBound(query.from, false) : new Date(to.getTime() - WEEK_MS);
    const topics = await listHotTopics({ deps: c.get("deps"), input: { from, to, limit: query.limit } });
    return c.json({ topics }, 200);
  },
);

analyticsRoutes.openapi(
  createRoute({
    method: "post",
    path: "/analytics/hot-topics/update",
    operationId: "updateHotTopics",
    tags: ["analytics"],
    summary: "Place the requests that arrived since the last update into topics (also runs every minute)",
    security,
    middleware: [withRoles("evaluator", "admin")] as const,
    responses: { 200: jsonResponse(HotTopicUpdateSchema, "Update"), ...errorResponses(401, 403) },
  }),
  async (c) => c.json(await updateHotTopics({ deps: c.get("deps") }), 200),
);

analyticsRoutes.openapi(
  createRoute({
    method: "get",
    path: "/analytics/spikes",
    operationId: "listSpikes",
    tags: ["analytics"],
    summary:
      "Departments, categories, districts and topics far above their usual level for this time of the week",
    security,
    middleware: [withRoles("evaluator", "admin")] as const,
    responses: { 200: jsonResponse(SpikesSchema, "Spikes"), ...errorResponses(401, 403) },
  }),
  async (c) => {
    const spikes = await spikeAlerts({ deps: c.get("deps") });
    return c.json(
      {
        spikes: spikes.map((spike) => ({
          ...spike,
          windowStart: spike.windowStart.toISOString(),
          windowEnd: spike.windowEnd.toISOString(),
        })),
      },
      200,
    );
  },
);
