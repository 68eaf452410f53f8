import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { ROLES } from "#domain/access";
import { CountParamSchema, IdParamSchema, InstantSchema, TextSchema } from "#domain/values";
import { CreateKeyInputSchema, changeApiKey, createApiKey, listApiKeys } from "#services/access";
import { listAudit, verifyAudit } from "#services/audit";
import type { AppEnv } from "../env";
import { defaultHook, errorResponses } from "../errors";
import { callerOf, withRoles } from "../middleware/auth";
import { documented, jsonBody, jsonResponse } from "../openapi";
import { AuditEntrySchema } from "../schemas/scripts";

export const adminRoutes = new OpenAPIHono<AppEnv>({ defaultHook });
const security = [{ bearerAuth: [] }];
const adminOnly = withRoles("admin");

const ApiKeySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    person: z
      .string()
      .openapi({ description: "The person holding the key (normalised); the two-person rule compares it" }),
    role: z.enum(ROLES),
    prefix: z.string().openapi({ description: "First characters of the key" }),
    createdBy: z.string(),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
  })
  .openapi("ApiKey");

adminRoutes.openapi(
  createRoute({
    method: "get",
    path: "/keys",
    operationId: "listKeys",
    tags: ["admin"],
    summary: "API keys (never the keys themselves)",
    security,
    middleware: adminOnly,
    responses: {
      200: jsonResponse(z.object({ keys: z.array(ApiKeySchema) }), "Keys"),
      ...errorResponses(401, 403),
    },
  }),
  async (c) => c.json({ keys: await listApiKeys({ deps: c.get("deps") }) }, 200),
);

adminRoutes.openapi(
  createRoute({
    method: "post",
    path: "/keys",
    operationId: "createKey",
    tags: ["admin"],
    summary: "Create an API key; the key is in this response only",
    security,
    middleware: adminOnly,
    request: {
      ...jsonBody(
        z
          .object({
            name: CreateKeyInputSchema.shape.name,
            person: z.string().min(1).max(100).optional().openapi({
              description:
                "Who holds the key, e.g. a staff login (zhangwei-rsj); defaults to the name. Stored NFKC, trimmed, case-folded: Mallory and ｍａｌｌｏｒｙ are one person",
              example: "zhangwei-rsj",
            }),
            role: CreateKeyInputSchema.shape.role,
            expiresAt: documented(InstantSchema.nullable().optional(), {
              description: "In the future (a key created already expired is refused)",
            }),
          })
          .strict(),
      ),
    },
    responses: {
      201: jsonResponse(z.object({ key: z.string(), record: ApiKeySchema }), "Created"),
      ...errorResponses(400, 401, 403, 409),
    },
  }),
  async (c) => {
    const result = await createApiKey({
      deps: c.get("deps"),
      input: c.req.valid("json"),
      actor: callerOf(c).name,
    });
    return c.json(result, 201);
  },
);

adminRoutes.openapi(
  createRoute({
    method: "post",
    path: "/keys/{id}/revoke",
    operationId: "revokeKey",
    tags: ["admin"],
    summary: "Revoke a key now",
    security,
    middleware: adminOnly,
    request: {
      params: z.object({
        id: documented(IdParamSchema, { param: { name: "id", in: "path" }, example: 12 }),
      }),
    },
    responses: {
      200: jsonResponse(ApiKeySchema, "Revoked"),
      ...errorResponses(401, 403, 404),
    },
  }),
  async (c) =>
    c.json(
      await changeApiKey({
        deps: c.get("deps"),
        input: { id: c.req.valid("param").id, action: "revoke" },
        actor: callerOf(c).name,
      }),
      200,
    ),
);

adminRoutes.openapi(
  createRoute({
    method: "post",
    path: "/keys/{id}/expire",
    operationId: "expireKey",
    tags: ["admin"],
    summary: "Set when a key expires (now when `at` is absent)",
    security,
    middleware: adminOnly,
    request: {
      params: z.object({
        id: z.coerce
          .number()
          .int()
          .min(1)
          .max(2_147_483_647)
          .openapi({ param: { name: "id", in: "path" } }),
      }),
      ...jsonBody(z.object({ at: z.iso.datetime({ offset: true }).optional() }).strict()),
    },
    responses: {
      200: jsonResponse(ApiKeySchema, "Expiry set"),
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { at } = c.req.valid("json");
    return c.json(
      await changeApiKey({
        deps: c.get("deps"),
        input: { id: c.req.valid("param").id, action: "expire", ...(at ? { at: new Date(at) } : {}) },
        actor: callerOf(c).name,
      }),
      200,
    );
  },
);

adminRoutes.openapi(
  createRoute({
    method: "get",
    path: "/audit",
    operationId: "listAudit",
    tags: ["admin"],
    summary: "The audit log, newest first",
    security,
    middleware: adminOnly,
    request: {
      query: z.object({
        entityType: TextSchema({ max: 50 }).optional(),
        entityId: TextSchema({ max: 100 }).optional(),
        limit: CountParamSchema({ min: 1, max: 1000 }).default(100),
        beforeId: IdParamSchema.optional(),
      }),
    },
    responses: {
      200: jsonResponse(z.object({ entries: z.array(AuditEntrySchema) }), "Entries"),
      ...errorResponses(400, 401, 403),
    },
  }),
  async (c) =>
    c.json({ entries: await listAudit({ deps: c.get("deps"), input: c.req.valid("query") }) }, 200),
);

adminRoutes.openapi(
  createRoute({
    method: "get",
    path: "/audit/verify",
    operationId: "verifyAudit",
    tags: ["admin"],
    summary: "Recompute the audit hash chain",
    security,
    middleware: adminOnly,
    responses: {
      200: jsonResponse(
        z.object({
          ok: z.boolean(),
          checked: z.number(),
          brokenAt: z.number().optional(),
          reason: z.string().optional(),
        }),
        "Result",
      ),
      ...errorResponses(401, 403),
    },
  }),
  async (c) => c.json(await verifyAudit({ deps: c.get("deps") }), 200),
);
