import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { listKnowledgeGaps } from "#services/knowledge-gaps";
import type { AppEnv } from "../env";
import { defaultHook, errorResponses } from "../errors";
import { withRoles } from "../middleware/auth";
import { jsonResponse } from "../openapi";
import { rangeBound } from "../schemas/analytics";
import { KnowledgeGapsQuerySchema, KnowledgeGapsSchema } from "../schemas/knowledge-gaps";

/** Knowledge gaps (缺口) for the editors: questions no script answered, grouped by meaning. */
export const knowledgeGapRoutes = new OpenAPIHono<AppEnv>({ defaultHook });
const MONTH_MS = 30 * 86_400_000;

knowledgeGapRoutes.openapi(
  createRoute({
    method: "get",
    path: "/gaps",
    operationId: "listKnowledgeGaps",
    tags: ["knowledge"],
    summary:
      "Questions agents asked that no published script answered confidently, grouped; groups a script now answers are marked covered and left out",
    security: [{ bearerAuth: [] }],
    middleware: [withRoles("editor", "reviewer")] as const,
    request: { query: KnowledgeGapsQuerySchema },
    responses: {
      200: jsonResponse(KnowledgeGapsSchema, "Gaps, largest first"),
      ...errorResponses(400, 401, 403),
    },
  }),
  async (c) => {
    const query = c.req.valid("query");
    const to = query.to ? rangeBound(query.to, true) : c.get("deps").clock.now();
    const from = query.from ? rangeBound(query.from, false) : new Date(to.getTime() - MONTH_MS);
    return c.json(
      await listKnowledgeGaps({ deps: c.get("deps"), input: { from, to, limit: query.limit } }),
      200,
    );
  },
);
