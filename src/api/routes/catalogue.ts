import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { describeCatalogue } from "#services/catalogue";
import type { AppEnv } from "../env";
import { defaultHook, errorResponses } from "../errors";
import { withRoles } from "../middleware/auth";
import { jsonResponse } from "../openapi";
import { CatalogueSchema } from "../schemas/catalogue";

export const catalogueRoutes = new OpenAPIHono<AppEnv>({ defaultHook });

catalogueRoutes.openapi(
  createRoute({
    method: "get",
    path: "/catalogue",
    operationId: "catalogue",
    tags: ["suggest"],
    summary: "Departments of the dispatch catalogue, the category tree and the request types (for pickers)",
    security: [{ bearerAuth: [] }],
    middleware: [withRoles("agent", "editor", "reviewer", "evaluator")] as const,
    responses: {
      200: jsonResponse(CatalogueSchema, "Catalogue"),
      ...errorResponses(401, 403),
    },
  }),
  (c) => c.json(describeCatalogue({ deps: c.get("deps") }), 200),
);
