import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { recordDispatchEvent, recordFeedback } from "#services/feedback";
import { suggest } from "#services/suggest";
import type { AppEnv } from "../env";
import { defaultHook, errorResponses } from "../errors";
import { callerOf, withRoles } from "../middleware/auth";
import { jsonBody, jsonResponse } from "../openapi";
import {
  DispatchEventRequestSchema,
  FeedbackRequestSchema,
  SuggestRequestSchema,
  SuggestResponseSchema,
} from "../schemas/suggest";

export const suggestRoutes = new OpenAPIHono<AppEnv>({ defaultHook });
const security = [{ bearerAuth: [] }];

suggestRoutes.openapi(
  createRoute({
    method: "post",
    path: "/suggest",
    operationId: "suggest",
    tags: ["suggest"],
    summary:
      "Category, type, departments, urgency, 2135 flag, deadlines, scripts and similar cases for a request",
    security,
    middleware: withRoles("agent"),
    request: { ...jsonBody(SuggestRequestSchema) },
    responses: {
      200: jsonResponse(SuggestResponseSchema, "Suggestion"),
      ...errorResponses(400, 401, 403, 413, 503),
    },
  }),
  async (c) => {
    const { suggestion } = await suggest({
      deps: c.get("deps"),
      input: c.req.valid("json"),
      actor: callerOf(c),
    });
    return c.json(suggestion, 200);
  },
);

suggestRoutes.openapi(
  createRoute({
    method: "post",
    path: "/suggestions/{id}/feedback",
    operationId: "suggestionFeedback",
    tags: ["suggest"],
    summary: "The agent's confirmation or correction; stored as a labelled case for the next training",
    security,
    middleware: withRoles("agent"),
    request: {
      params: z.object({
        id: z
          .string()
          .uuid()
          .openapi({ param: { name: "id", in: "path" } }),
      }),
      ...jsonBody(FeedbackRequestSchema),
    },
    responses: {
      201: jsonResponse(z.object({ suggestionId: z.string(), caseId: z.string().nullable() }), "Stored"),
      ...errorResponses(400, 401, 403, 404, 422),
    },
  }),
  async (c) => {
    const result = await recordFeedback({
      deps: c.get("deps"),
      input: { suggestionId: c.req.valid("param").id, ...c.req.valid("json") },
      actor: callerOf(c),
    });
    return c.json(result, 201);
  },
);

suggestRoutes.openapi(
  createRoute({
    method: "post",
    path: "/dispatch-events",
    operationId: "dispatchEvent",
    tags: ["suggest"],
    summary: "Record a 退单 (returned) or 改派 (reassigned) dispatch",
    security,
    middleware: withRoles("agent", "reviewer"),
    request: {
      ...jsonBody(DispatchEventRequestSchema),
    },
    responses: {
      201: jsonResponse(z.object({ id: z.number().int() }), "Recorded"),
      ...errorResponses(400, 401, 403, 404, 422),
    },
  }),
  async (c) =>
    c.json(
      await recordDispatchEvent({
        deps: c.get("deps"),
        input: c.req.valid("json"),
        actor: callerOf(c),
      }),
      201,
    ),
);
