import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { searchKnowledgeAs } from "#services/knowledge-gaps";
import type { AppEnv } from "../env";
import { defaultHook, errorResponses } from "../errors";
import { callerOf, withRoles } from "../middleware/auth";
import { jsonBody, jsonResponse } from "../openapi";
import { SearchRequestSchema, SearchResponseSchema } from "../schemas/knowledge";

export const knowledgeSearchRoutes = new OpenAPIHono<AppEnv>({ defaultHook });

knowledgeSearchRoutes.openapi(
  createRoute({
    method: "post",
    path: "/search",
    operationId: "searchKnowledge",
    tags: ["knowledge"],
    summary: "Find answer scripts for what the citizen said (also the editors' hit test)",
    security: [{ bearerAuth: [] }],
    middleware: [withRoles("agent", "editor", "reviewer", "evaluator")] as const,
    request: { ...jsonBody(SearchRequestSchema) },
    responses: {
      200: jsonResponse(SearchResponseSchema, "Best scripts first"),
      ...errorResponses(400, 401, 403, 413, 503),
    },
  }),
  async (c) => {
    const { results, confident, terms, timings } = await searchKnowledgeAs({
      deps: c.get("deps"),
      input: c.req.valid("json"),
      role: callerOf(c).role,
    });
    // The documented fields only: `evidence` is for the calibration, not for clients.
    return c.json({ results, confident, terms, timings }, 200);
  },
);
