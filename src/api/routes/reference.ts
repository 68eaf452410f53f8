import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { getReference, putReference } from "#services/reference";
import type { AppEnv } from "../env";
import { defaultHook, errorResponses } from "../errors";
import { callerOf, withRoles } from "../middleware/auth";
import { jsonBody, jsonResponse } from "../openapi";
import {
  ReferenceKindParamSchema,
  ReferencePutRequestSchema,
  ReferenceVersionSchema,
  ReferenceViewSchema,
} from "../schemas/reference";

/**
 * Reference data in the database (issue #16): admins read and replace a kind; every replica
 * serves a new version within seconds of its effective time, without a restart.
 */
export const referenceRoutes = new OpenAPIHono<AppEnv>({ defaultHook });
const security = [{ bearerAuth: [] }];

referenceRoutes.openapi(
  createRoute({
    method: "get",
    path: "/admin/reference/{kind}",
    operationId: "getReference",
    tags: ["reference"],
    summary: "A reference kind: the version in force, what this replica serves, scheduled versions, history",
    security,
    middleware: [withRoles("admin")] as const,
    request: { params: ReferenceKindParamSchema },
    responses: {
      200: jsonResponse(ReferenceViewSchema, "The kind's versions"),
      ...errorResponses(400, 401, 403),
    },
  }),
  async (c) => c.json(await getReference({ deps: c.get("deps"), input: c.req.valid("param") }), 200),
);

referenceRoutes.openapi(
  createRoute({
    method: "put",
    path: "/admin/reference/{kind}",
    operationId: "putReference",
    tags: ["reference"],
    summary:
      "Store a new version of a reference kind (checked like knowledge:check; department codes must be the catalogue's); audited; in force on every replica within seconds of effectiveFrom",
    security,
    middleware: [withRoles("admin")] as const,
    request: { params: ReferenceKindParamSchema, ...jsonBody(ReferencePutRequestSchema) },
    responses: {
      201: jsonResponse(ReferenceVersionSchema, "The version as stored"),
      ...errorResponses(400, 401, 403, 409, 422),
    },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const stored = await putReference({
      deps: c.get("deps"),
      input: { kind: c.req.valid("param").kind, ...body },
      actor: callerOf(c).name,
    });
    return c.json(stored, 201);
  },
);
