import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { ROLES } from "#domain/access";
import { declareCrisis, getCrisis } from "#services/crisis";
import type { AppEnv } from "../env";
import { defaultHook, errorResponses } from "../errors";
import { callerOf, withRoles } from "../middleware/auth";
import { jsonBody, jsonResponse } from "../openapi";
import { CrisisDeclarationRequestSchema, CrisisStateSchema } from "../schemas/crisis";

/** Crisis mode (应急状态): everyone can see it, admins declare and end it. */
export const crisisRoutes = new OpenAPIHono<AppEnv>({ defaultHook });
const security = [{ bearerAuth: [] }];

crisisRoutes.openapi(
  createRoute({
    method: "get",
    path: "/crisis",
    operationId: "getCrisis",
    tags: ["crisis"],
    summary: "The declared crisis, if any",
    security,
    middleware: [withRoles(...ROLES)] as const,
    responses: {
      200: jsonResponse(CrisisStateSchema, "Crisis state"),
      ...errorResponses(401),
    },
  }),
  async (c) => {
    const crisis = await getCrisis({ deps: c.get("deps") });
    return c.json({ active: crisis !== null, crisis }, 200);
  },
);

crisisRoutes.openapi(
  createRoute({
    method: "put",
    path: "/admin/crisis",
    operationId: "declareCrisis",
    tags: ["crisis"],
    summary:
      "Declare a crisis (related requests: 2 natural days, urgent 投诉/求助 1) or end it; audited; applies from the next suggest on",
    security,
    middleware: [withRoles("admin")] as const,
    request: { ...jsonBody(CrisisDeclarationRequestSchema) },
    responses: {
      200: jsonResponse(CrisisStateSchema, "Crisis state"),
      ...errorResponses(400, 401, 403),
    },
  }),
  async (c) => {
    const crisis = await declareCrisis({
      deps: c.get("deps"),
      input: c.req.valid("json"),
      actor: callerOf(c).name,
    });
    return c.json({ active: crisis !== null, crisis }, 200);
  },
);
