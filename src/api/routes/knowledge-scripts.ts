import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { ValidationError } from "#domain/errors";
import { IdParamSchema } from "#domain/values";
import { listAudit } from "#services/audit";
import {
  createScript,
  diffVersions,
  editScript,
  expiringScripts,
  getScript,
  listScripts,
  publishVersion,
  retireScript,
  reviewQueue,
  reviewVersion,
  rollbackScript,
  scriptHistory,
  submitVersion,
} from "#services/edit-knowledge";
import { exportKnowledge } from "#services/export-knowledge";
import { basisReviewList, scriptMarks } from "#services/knowledge-quality";
import type { AppEnv } from "../env";
import { defaultHook, errorResponses } from "../errors";
import { callerOf, withRoles } from "../middleware/auth";
import { jsonBody, jsonResponse } from "../openapi";
import {
  AuditEntrySchema,
  CreateScriptSchema,
  EditScriptSchema,
  FieldChangeSchema,
  PolicyBasisViewSchema,
  ReasonSchema,
  ReviewSchema,
  RollbackSchema,
  ScriptContentSchema,
  ScriptIdParamSchema,
  ScriptListQuerySchema,
  ScriptListSchema,
  ScriptVersionSchema,
  ScriptViewSchema,
  VersionParamSchema,
} from "../schemas/scripts";

export const knowledgeScriptRoutes = new OpenAPIHono<AppEnv>({ defaultHook });

const security = [{ bearerAuth: [] }];
const readers = withRoles("editor", "reviewer");

knowledgeScriptRoutes.openapi(
  createRoute({
    method: "get",
    path: "/scripts",
    operationId: "listScripts",
    tags: ["knowledge editing"],
    summary: "Every script (drafts, waiting for review, retired too), filtered, recently changed first",
    security,
    middleware: [readers] as const,
    request: { query: ScriptListQuerySchema },
    responses: {
      200: jsonResponse(ScriptListSchema, "One page of scripts"),
      ...errorResponses(400, 401, 403),
    },
  }),
  async (c) => {
    const { category, ...query } = c.req.valid("query");
    return c.json(
      await listScripts({ deps: c.get("deps"), input: { ...query, category: category?.split("/") } }),
      200,
    );
  },
);

knowledgeScriptRoutes.openapi(
  createRoute({
    method: "get",
    path: "/scripts/{id}",
    operationId: "getScript",
    tags: ["knowledge editing"],
    summary:
      "A script: its published and latest versions, with an ETag for editing. Agents get the published version only (latest = published; 404 if never published)",
    security,
    middleware: [withRoles("editor", "reviewer", "agent")] as const,
    request: { params: ScriptIdParamSchema },
    responses: { 200: jsonResponse(ScriptViewSchema, "The script"), ...errorResponses(401, 403, 404) },
  }),
  async (c) => {
    const view = await getScript({ deps: c.get("deps"), input: c.req.valid("param"), viewer: callerOf(c) });
    c.header("ETag", view.etag);
    return c.json(view, 200);
  },
);

knowledgeScriptRoutes.openapi(
  createRoute({
    method: "post",
    path: "/scripts",
    operationId: "createScript",
    tags: ["knowledge editing"],
    summary: "Create a script (version 1 waits for review by another user)",
    security,
    middleware: [withRoles("editor")] as const,
    request: jsonBody(CreateScriptSchema),
    responses: { 201: jsonResponse(ScriptViewSchema, "Created"), ...errorResponses(400, 401, 403, 409, 422) },
  }),
  async (c) => {
    const view = await createScript({ deps: c.get("deps"), input: c.req.valid("json"), actor: callerOf(c) });
    c.header("ETag", view.etag);
    return c.json(view, 201);
  },
);

/** `"<id>-v<n>"` → n */
function versionFromEtag(etag: string | undefined, id: string): number | undefined {
  const match = etag ? /^(?:W\/)?"([a-z0-9-]+)-v(\d+)"$/.exec(etag.trim()) : null;
  return match && match[1] === id ? Number(match[2]) : undefined;
}

knowledgeScriptRoutes.openapi(
  createRoute({
    method: "put",
    path: "/scripts/{id}",
    operationId: "editScript",
    tags: ["knowledge editing"],
    summary: "Save an edit as a new version; a stale base version gets 409 with the current one",
    security,
    middleware: [withRoles("editor")] as const,
    request: {
      params: ScriptIdParamSchema,
      headers: z.object({
        "if-match": z.string().optional().openapi({ description: "The ETag the edit started from" }),
      }),
      ...jsonBody(EditScriptSchema),
    },
    responses: {
      200: jsonResponse(ScriptViewSchema, "Saved"),
      ...errorResponses(400, 401, 403, 404, 409, 422),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const baseVersion = body.baseVersion ?? versionFromEtag(c.req.valid("header")["if-match"], id);
    if (baseVersion === undefined)
      throw new ValidationError("send baseVersion or an If-Match header with the script's ETag");
    const view = await editScript({
      deps: c.get("deps"),
      input: { id, baseVersion, content: body.content, changeNote: body.changeNote, submit: body.submit },
      actor: callerOf(c),
    });
    c.header("ETag", view.etag);
    return c.json(view, 200);
  },
);

knowledgeScriptRoutes.openapi(
  createRoute({
    method: "post",
    path: "/scripts/{id}/versions/{version}/submit",
    operationId: "submitVersion",
    tags: ["knowledge editing"],
    summary: "Send a draft to the review queue",
    security,
    middleware: [withRoles("editor")] as const,
    request: { params: VersionParamSchema },
    responses: { 200: jsonResponse(ScriptViewSchema, "Submitted"), ...errorResponses(401, 403, 404, 409) },
  }),
  async (c) =>
    c.json(
      await submitVersion({ deps: c.get("deps"), input: c.req.valid("param"), actor: callerOf(c) }),
      200,
    ),
);

knowledgeScriptRoutes.openapi(
  createRoute({
    method: "post",
    path: "/scripts/{id}/versions/{version}/review",
    operationId: "reviewVersion",
    tags: ["knowledge editing"],
    summary: "Approve (and by default publish) or reject a version; never your own",
    security,
    middleware: [withRoles("reviewer")] as const,
    request: { params: VersionParamSchema, ...jsonBody(ReviewSchema) },
    responses: {
      200: jsonResponse(ScriptViewSchema, "Reviewed"),
      ...errorResponses(400, 401, 403, 404, 409, 422),
    },
  }),
  async (c) =>
    c.json(
      await reviewVersion({
        deps: c.get("deps"),
        input: { ...c.req.valid("param"), ...c.req.valid("json") },
        actor: callerOf(c),
      }),
      200,
    ),
);

knowledgeScriptRoutes.openapi(
  createRoute({
    method: "post",
    path: "/scripts/{id}/versions/{version}/publish",
    operationId: "publishVersion",
    tags: ["knowledge editing"],
    summary: "Publish an approved version",
    security,
    middleware: [withRoles("reviewer")] as const,
    request: { params: VersionParamSchema },
    responses: { 200: jsonResponse(ScriptViewSchema, "Published"), ...errorResponses(401, 403, 404, 409) },
  }),
  async (c) =>
    c.json(
      await publishVersion({ deps: c.get("deps"), input: c.req.valid("param"), actor: callerOf(c) }),
      200,
    ),
);

knowledgeScriptRoutes.openapi(
  createRoute({
    method: "post",
    path: "/scripts/{id}/rollback",
    operationId: "rollbackScript",
    tags: ["knowledge editing"],
    summary: "Restore an earlier version as a new published version",
    security,
    middleware: [withRoles("reviewer")] as const,
    request: { params: ScriptIdParamSchema, ...jsonBody(RollbackSchema) },
    responses: {
      200: jsonResponse(ScriptViewSchema, "Rolled back"),
      ...errorResponses(400, 401, 403, 404, 409),
    },
  }),
  async (c) =>
    c.json(
      await rollbackScript({
        deps: c.get("deps"),
        input: { ...c.req.valid("param"), ...c.req.valid("json") },
        actor: callerOf(c),
      }),
      200,
    ),
);

knowledgeScriptRoutes.openapi(
  createRoute({
    method: "post",
    path: "/scripts/{id}/retire",
    operationId: "retireScript",
    tags: ["knowledge editing"],
    summary: "Take a script out of service (history stays)",
    security,
    middleware: [withRoles("reviewer")] as const,
    request: { params: ScriptIdParamSchema, ...jsonBody(ReasonSchema) },
    responses: { 200: jsonResponse(ScriptViewSchema, "Retired"), ...errorResponses(400, 401, 403, 404, 409) },
  }),
  async (c) =>
    c.json(
      await retireScript({
        deps: c.get("deps"),
        input: { ...c.req.valid("param"), ...c.req.valid("json") },
        actor: callerOf(c),
      }),
      200,
    ),
);

knowledgeScriptRoutes.openapi(
  createRoute({
    method: "get",
    path: "/scripts/{id}/versions",
    operationId: "scriptHistory",
    tags: ["knowledge editing"],
    summary: "Every version of a script, oldest first",
    security,
    middleware: [readers] as const,
    request: { params: ScriptIdParamSchema },
    responses: {
      200: jsonResponse(z.object({ versions: z.array(ScriptVersionSchema) }), "History"),
      ...errorResponses(401, 403, 404),
    },
  }),
  async (c) =>
    c.json({ versions: await scriptHistory({ deps: c.get("deps"), input: c.req.valid("param") }) }, 200),
);

knowledgeScriptRoutes.openapi(
  createRoute({
    method: "get",
    path: "/scripts/{id}/diff",
    operationId: "diffVersions",
    tags: ["knowledge editing"],
    summary: "Field-by-field difference between two versions",
    security,
    middleware: [readers] as const,
    request: {
      params: ScriptIdParamSchema,
      query: z.object({ from: IdParamSchema, to: IdParamSchema }),
    },
    responses: {
      200: jsonResponse(
        z.object({ from: z.number(), to: z.number(), changes: z.array(FieldChangeSchema) }),
        "Diff",
      ),
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) =>
    c.json(
      await diffVersions({
        deps: c.get("deps"),
        input: { ...c.req.valid("param"), ...c.req.valid("query") },
      }),
      200,
    ),
);

knowledgeScriptRoutes.openapi(
  createRoute({
    method: "get",
    path: "/scripts/{id}/audit",
    operationId: "scriptAudit",
    tags: ["knowledge editing"],
    summary: "Who changed this script, when and why",
    security,
    middleware: [readers] as const,
    request: { params: ScriptIdParamSchema },
    responses: {
      200: jsonResponse(z.object({ entries: z.array(AuditEntrySchema) }), "Audit trail"),
      ...errorResponses(401, 403),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const entries = await listAudit({
      deps: c.get("deps"),
      input: { entityType: "script", entityId: id, limit: 500 },
    });
    return c.json({ entries }, 200);
  },
);

knowledgeScriptRoutes.openapi(
  createRoute({
    method: "get",
    path: "/review-queue",
    operationId: "reviewQueue",
    tags: ["knowledge editing"],
    summary: "Versions waiting for review, oldest first",
    security,
    middleware: [readers] as const,
    responses: {
      200: jsonResponse(z.object({ versions: z.array(ScriptVersionSchema) }), "Queue"),
      ...errorResponses(401, 403),
    },
  }),
  async (c) => c.json({ versions: await reviewQueue({ deps: c.get("deps") }) }, 200),
);

knowledgeScriptRoutes.openapi(
  createRoute({
    method: "get",
    path: "/expiring",
    operationId: "expiringScripts",
    tags: ["knowledge editing"],
    summary: "Published scripts whose validity ends within `days` days",
    security,
    middleware: [readers] as const,
    request: { query: z.object({ days: z.coerce.number().int().min(0).max(3650).default(30) }) },
    responses: {
      200: jsonResponse(z.object({ days: z.number(), scripts: z.array(ScriptVersionSchema) }), "Expiring"),
      ...errorResponses(400, 401, 403),
    },
  }),
  async (c) => {
    const { days } = c.req.valid("query");
    return c.json({ days, scripts: await expiringScripts({ deps: c.get("deps"), input: { days } }) }, 200);
  },
);

knowledgeScriptRoutes.openapi(
  createRoute({
    method: "get",
    path: "/export",
    operationId: "exportKnowledge",
    tags: ["knowledge editing"],
    summary: "Live scripts in the knowledge/ file format (npm run knowledge:export writes them to the files)",
    security,
    middleware: [readers] as const,
    responses: {
      200: jsonResponse(
        z.object({
          scripts: z.array(ScriptContentSchema.extend({ id: z.string() })),
          retired: z.array(z.string()),
        }),
        "Export",
      ),
      ...errorResponses(401, 403),
    },
  }),
  async (c) => c.json(await exportKnowledge({ deps: c.get("deps") }), 200),
);

knowledgeScriptRoutes.openapi(
  createRoute({
    method: "get",
    path: "/basis-review",
    operationId: "basisReviewList",
    tags: ["knowledge editing"],
    summary: "待核实: published scripts whose policy basis is incomplete (missing parts listed)",
    security,
    middleware: [readers] as const,
    responses: {
      200: jsonResponse(
        z.object({
          scripts: z.array(
            z.object({
              id: z.string(),
              title: z.string(),
              version: z.number().int(),
              basis: PolicyBasisViewSchema,
              missing: z
                .array(z.enum(["document", "number", "clause", "issuer", "checkedAt"]))
                .openapi({ description: "Required parts still empty" }),
            }),
          ),
        }),
        "Scripts to verify",
      ),
      ...errorResponses(401, 403),
    },
  }),
  async (c) => c.json({ scripts: await basisReviewList({ deps: c.get("deps") }) }, 200),
);

knowledgeScriptRoutes.openapi(
  createRoute({
    method: "get",
    path: "/script-marks",
    operationId: "scriptMarks",
    tags: ["knowledge editing"],
    summary: "Agents' 不适用 / 采用 marks per script, from suggestion feedback",
    security,
    middleware: [readers] as const,
    responses: {
      200: jsonResponse(
        z.object({
          marks: z.array(
            z.object({
              scriptId: z.string(),
              dismissed: z.number().int().openapi({ description: "Times marked 不适用" }),
              accepted: z.number().int().openapi({ description: "Times marked used" }),
              lastAt: z.string().nullable(),
            }),
          ),
        }),
        "Marks per script, most dismissed first",
      ),
      ...errorResponses(401, 403),
    },
  }),
  async (c) => c.json({ marks: await scriptMarks({ deps: c.get("deps") }) }, 200),
);
