import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { accuracyOverTime, checkAccuracyAlerts, listKnownFails } from "#services/outcomes";
import { listSpikeAlerts } from "#services/reports";
import { getWorkOrder, ingestWorkOrderEvents } from "#services/work-orders";
import type { AppEnv } from "../env";
import { defaultHook, errorResponses } from "../errors";
import { callerOf, withRoles } from "../middleware/auth";
import { jsonBody, jsonResponse } from "../openapi";
import {
  AccuracyAlertsSchema,
  AccuracyQuerySchema,
  AccuracyReportSchema,
  KnownFailsQuerySchema,
  KnownFailsSchema,
  OrderIdParamSchema,
  WorkOrderBatchReportSchema,
  WorkOrderEventsRequestSchema,
  WorkOrderSchema,
} from "../schemas/outcomes";

/**
 * Outcomes (#15): work-order events from the platform (role `integration`), and accuracy against
 * the values orders were closed with, for evaluators. Mounted at /v1.
 */
export const outcomeRoutes = new OpenAPIHono<AppEnv>({ defaultHook });
const security = [{ bearerAuth: [] }];

outcomeRoutes.openapi(
  createRoute({
    method: "post",
    path: "/work-orders/events",
    operationId: "postWorkOrderEvents",
    tags: ["outcomes"],
    summary:
      "A batch of work-order events from the platform (idempotent by eventId; each event applied on its own)",
    security,
    middleware: withRoles("integration"),
    request: { ...jsonBody(WorkOrderEventsRequestSchema) },
    responses: {
      200: jsonResponse(WorkOrderBatchReportSchema, "What became of each event"),
      ...errorResponses(400, 401, 403, 413),
    },
  }),
  async (c) =>
    c.json(
      await ingestWorkOrderEvents({ deps: c.get("deps"), input: c.req.valid("json"), actor: callerOf(c) }),
      200,
    ),
);

outcomeRoutes.openapi(
  createRoute({
    method: "get",
    path: "/work-orders/{orderId}",
    operationId: "getWorkOrder",
    tags: ["outcomes"],
    summary: "One order as derived from its events, its labels with their sources, and its console feedback",
    security,
    middleware: withRoles("integration", "evaluator"),
    request: { params: z.object({ orderId: OrderIdParamSchema }) },
    responses: {
      200: jsonResponse(WorkOrderSchema, "The order"),
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) =>
    c.json(
      await getWorkOrder({ deps: c.get("deps"), input: { orderId: c.req.valid("param").orderId } }),
      200,
    ),
);

outcomeRoutes.openapi(
  createRoute({
    method: "get",
    path: "/analytics/accuracy",
    operationId: "accuracyOverTime",
    tags: ["outcomes"],
    summary:
      "Top-1/top-3 per head of the suggestions against final values, per day or week, with band coverage",
    security,
    middleware: withRoles("evaluator"),
    request: { query: AccuracyQuerySchema },
    responses: {
      200: jsonResponse(AccuracyReportSchema, "Accuracy over time"),
      ...errorResponses(400, 401, 403, 422),
    },
  }),
  async (c) => c.json(await accuracyOverTime({ deps: c.get("deps"), input: c.req.valid("query") }), 200),
);

outcomeRoutes.openapi(
  createRoute({
    method: "get",
    path: "/analytics/alerts",
    operationId: "accuracyAlerts",
    tags: ["outcomes"],
    summary:
      "Accuracy alerts (heads whose weekly top-1 dropped more than ACCURACY_ALERT_MARGIN) and spike alerts (requests far above their usual level), each with `kind`",
    security,
    middleware: withRoles("evaluator"),
    responses: {
      200: jsonResponse(AccuracyAlertsSchema, "Alerts"),
      ...errorResponses(401, 403),
    },
  }),
  async (c) => {
    const deps = c.get("deps");
    const accuracy = await checkAccuracyAlerts({ deps });
    const spikeAlerts = await listSpikeAlerts({ deps, input: {} });
    return c.json(
      {
        ...accuracy,
        alerts: accuracy.alerts.map((alert) => ({ kind: "accuracy" as const, ...alert })),
        spikeAlerts,
      },
      200,
    );
  },
);

outcomeRoutes.openapi(
  createRoute({
    method: "get",
    path: "/analytics/known-fails",
    operationId: "knownFails",
    tags: ["outcomes"],
    summary: "Recurring wrong suggestions (suggested → final value) with counts and example orders",
    security,
    middleware: withRoles("evaluator"),
    request: { query: KnownFailsQuerySchema },
    responses: {
      200: jsonResponse(KnownFailsSchema, "Known fails"),
      ...errorResponses(400, 401, 403, 422),
    },
  }),
  async (c) => c.json(await listKnownFails({ deps: c.get("deps"), input: c.req.valid("query") }), 200),
);
