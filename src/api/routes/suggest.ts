import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { recordDispatchEvent, recordFeedback } from "#services/feedback";
import { suggest } from "#services/suggest";
import type { AppEnv } from "../env";
import { defaultHook, errorResponses } from "../errors";
import { withRoles } from "../middleware/auth";
import {
  DispatchEventRequestSchema,
  FeedbackRequestSchema,
  SuggestRequestSchema,
  SuggestResponseSchema,
} from "../schemas/suggest";

export const suggestRoutes = new OpenAPIHono<AppEnv>({ defaultHook });
const security = [{ bearerAuth: [] }];
const actorOf = (principal: { name: string } | undefined) => principal ?? { name: "unknown" };

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
    request: { body: { required: true, content: { "application/json": { schema: SuggestRequestSchema } } } },
    responses: {
      200: { description: "Suggestion", content: { "application/json": { schema: SuggestResponseSchema } } },
      ...errorResponses(400, 401, 403, 413, 503),
    },
  }),
  async (c) => {
    const { suggestion } = await suggest({
      deps: c.get("deps"),
      input: c.req.valid("json"),
      actor: actorOf(c.get("principal")),
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
      body: { required: true, content: { "application/json": { schema: FeedbackRequestSchema } } },
    },
    responses: {
      201: {
        description: "Stored",
        content: {
          "application/json": {
            schema: z.object({ suggestionId: z.string(), caseId: z.string().nullable() }),
          },
        },
      },
      ...errorResponses(400, 401, 403, 404, 422),
    },
  }),
  async (c) => {
    const result = await recordFeedback({
      deps: c.get("deps"),
      input: { suggestionId: c.req.valid("param").id, ...c.req.valid("json") },
      actor: actorOf(c.get("principal")),
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
      body: { required: true, content: { "application/json": { schema: DispatchEventRequestSchema } } },
    },
    responses: {
      201: {
        description: "Recorded",
        content: { "application/json": { schema: z.object({ id: z.number().int() }) } },
      },
      ...errorResponses(400, 401, 403, 404, 422),
    },
  }),
  async (c) =>
    c.json(
      await recordDispatchEvent({
        deps: c.get("deps"),
        input: c.req.valid("json"),
        actor: actorOf(c.get("principal")),
      }),
      201,
    ),
);
