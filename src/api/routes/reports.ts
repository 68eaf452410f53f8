import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  agentBoardOf,
  dailyReport,
  departmentBoardOf,
  linkAlertToCrisis,
  topicReport,
} from "#services/reports";
import type { AppEnv } from "../env";
import { defaultHook, errorResponses } from "../errors";
import { callerOf, withRoles } from "../middleware/auth";
import { jsonBody, jsonResponse } from "../openapi";
import {
  AgentBoardSchema,
  AlertCrisisLinkSchema,
  AlertCrisisRequestSchema,
  AlertIdParamSchema,
  DailyReportQuerySchema,
  DailyReportSchema,
  DepartmentBoardSchema,
  MonthQuerySchema,
  TopicIdParamSchema,
  TopicReportSchema,
} from "../schemas/reports";

/**
 * The centre's reports (#18): the daily report and 专报 drafts (evaluators and admins), the
 * monthly boards (the agent board for admins only: it ranks people), and linking a spike alert to
 * a crisis (admins). Mounted at /v1; the printable pages are in routes/pages.tsx.
 */
export const reportRoutes = new OpenAPIHono<AppEnv>({ defaultHook });
const security = [{ bearerAuth: [] }];

reportRoutes.openapi(
  createRoute({
    method: "get",
    path: "/reports/daily",
    operationId: "dailyReport",
    tags: ["reports"],
    summary:
      "The daily report of a centre day: volumes, hot topics, spikes, 2135 overdue/near due, urgent requests, 退单/改派",
    security,
    middleware: [withRoles("evaluator")] as const,
    request: { query: DailyReportQuerySchema },
    responses: { 200: jsonResponse(DailyReportSchema, "The report"), ...errorResponses(400, 401, 403) },
  }),
  async (c) => c.json(await dailyReport({ deps: c.get("deps"), input: c.req.valid("query") }), 200),
);

reportRoutes.openapi(
  createRoute({
    method: "get",
    path: "/reports/topics/{topicId}",
    operationId: "topicReport",
    tags: ["reports"],
    summary: "专报 material and draft for one hot topic (blanks mark what a person must write)",
    security,
    middleware: [withRoles("evaluator")] as const,
    request: { params: z.object({ topicId: TopicIdParamSchema }) },
    responses: { 200: jsonResponse(TopicReportSchema, "The topic"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) =>
    c.json(await topicReport({ deps: c.get("deps"), input: { topicId: c.req.valid("param").topicId } }), 200),
);

reportRoutes.openapi(
  createRoute({
    method: "get",
    path: "/analytics/boards/agents",
    operationId: "agentBoard",
    tags: ["reports"],
    summary:
      "Per agent and month: acceptance, corrections per field, scripts used, time to feedback (admins)",
    security,
    middleware: [withRoles("admin")] as const,
    request: { query: MonthQuerySchema },
    responses: { 200: jsonResponse(AgentBoardSchema, "The board"), ...errorResponses(400, 401, 403) },
  }),
  async (c) => c.json(await agentBoardOf({ deps: c.get("deps"), input: c.req.valid("query") }), 200),
);

reportRoutes.openapi(
  createRoute({
    method: "get",
    path: "/analytics/boards/departments",
    operationId: "departmentBoard",
    tags: ["reports"],
    summary: "Per department and month: 退单 rate, 改派 pairs, overdue rate of the orders it closed as lead",
    security,
    middleware: [withRoles("evaluator")] as const,
    request: { query: MonthQuerySchema },
    responses: { 200: jsonResponse(DepartmentBoardSchema, "The board"), ...errorResponses(400, 401, 403) },
  }),
  async (c) => c.json(await departmentBoardOf({ deps: c.get("deps"), input: c.req.valid("query") }), 200),
);

reportRoutes.openapi(
  createRoute({
    method: "post",
    path: "/analytics/alerts/{alertId}/crisis",
    operationId: "linkAlertToCrisis",
    tags: ["reports"],
    summary: "Link a spike alert in force to the crisis in force, or declare one from it; audited",
    security,
    middleware: [withRoles("admin")] as const,
    request: { params: z.object({ alertId: AlertIdParamSchema }), ...jsonBody(AlertCrisisRequestSchema) },
    responses: {
      200: jsonResponse(AlertCrisisLinkSchema, "The alert with its crisis"),
      ...errorResponses(400, 401, 403, 404, 409),
    },
  }),
  async (c) => {
    const result = await linkAlertToCrisis({
      deps: c.get("deps"),
      input: { alertId: c.req.valid("param").alertId, ...c.req.valid("json") },
      actor: callerOf(c).name,
    });
    return c.json({ alert: result.alert, crisis: { ...result.crisis } }, 200);
  },
);
