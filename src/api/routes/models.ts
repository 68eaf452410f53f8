import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { getJob, listJobs, requestJob } from "#services/jobs";
import { listModels, promoteModel, rollbackModel } from "#services/models";
import type { AppEnv } from "../env";
import { defaultHook, errorResponses } from "../errors";
import { callerOf, withRoles } from "../middleware/auth";
import { jsonBody, jsonResponse } from "../openapi";
import {
  JobIdParamSchema,
  JobListQuerySchema,
  JobListSchema,
  JobSchema,
  ModelListQuerySchema,
  ModelListSchema,
  ModelSchema,
  ModelVersionParamSchema,
  QueuedJobSchema,
  ReasonRequestSchema,
  RollbackResponseSchema,
} from "../schemas/models";

/** Stored classifiers and their promotion (admins act, evaluators read), and background jobs. */
export const modelRoutes = new OpenAPIHono<AppEnv>({ defaultHook });
const security = [{ bearerAuth: [] }];

modelRoutes.openapi(
  createRoute({
    method: "get",
    path: "/models",
    operationId: "listModels",
    tags: ["models"],
    summary:
      "Stored classifier versions with status (candidate/promoted/refused/retired), metrics and reasons",
    security,
    middleware: [withRoles("admin", "evaluator")] as const,
    request: { query: ModelListQuerySchema },
    responses: {
      200: jsonResponse(ModelListSchema, "Models, newest first"),
      ...errorResponses(400, 401, 403),
    },
  }),
  async (c) => {
    const { limit } = c.req.valid("query");
    return c.json(await listModels({ deps: c.get("deps"), input: { limit: limit ?? 50 } }), 200);
  },
);

modelRoutes.openapi(
  createRoute({
    method: "post",
    path: "/models/train",
    operationId: "trainModel",
    tags: ["models"],
    summary:
      "Queue a training: a candidate is trained without the most recent labelled cases, scored with the promoted model on them and on the CI suite, and promoted only if no headline metric drops beyond the tolerance; audited",
    security,
    middleware: [withRoles("admin")] as const,
    request: { ...jsonBody(ReasonRequestSchema) },
    responses: { 202: jsonResponse(QueuedJobSchema, "The training job"), ...errorResponses(400, 401, 403) },
  }),
  async (c) => {
    const { reason } = c.req.valid("json");
    const result = await requestJob({
      deps: c.get("deps"),
      input: { name: "train", reason },
      actor: callerOf(c).name,
    });
    return c.json(result, 202);
  },
);

modelRoutes.openapi(
  createRoute({
    method: "post",
    path: "/models/{version}/promote",
    operationId: "promoteModel",
    tags: ["models"],
    summary: "Promote a stored version by hand (every replica serves it within about a second); audited",
    security,
    middleware: [withRoles("admin")] as const,
    request: { params: ModelVersionParamSchema, ...jsonBody(ReasonRequestSchema) },
    responses: {
      200: jsonResponse(ModelSchema, "The promoted model"),
      ...errorResponses(400, 401, 403, 404, 409),
    },
  }),
  async (c) => {
    const { version } = c.req.valid("param");
    const { reason } = c.req.valid("json");
    const model = await promoteModel({
      deps: c.get("deps"),
      input: { version, reason },
      actor: callerOf(c).name,
    });
    return c.json(model, 200);
  },
);

modelRoutes.openapi(
  createRoute({
    method: "post",
    path: "/models/rollback",
    operationId: "rollbackModel",
    tags: ["models"],
    summary:
      "Retire the promoted version and serve the one promoted before it again, on every replica; audited",
    security,
    middleware: [withRoles("admin")] as const,
    request: { ...jsonBody(ReasonRequestSchema) },
    responses: {
      200: jsonResponse(RollbackResponseSchema, "Rolled back"),
      ...errorResponses(400, 401, 403, 409),
    },
  }),
  async (c) => {
    const { reason } = c.req.valid("json");
    return c.json(
      await rollbackModel({ deps: c.get("deps"), input: { reason }, actor: callerOf(c).name }),
      200,
    );
  },
);

modelRoutes.openapi(
  createRoute({
    method: "post",
    path: "/jobs/reembed",
    operationId: "reembed",
    tags: ["jobs"],
    summary:
      "Queue re-embedding of the knowledge base and the labelled cases (after a model or dictionary change); audited",
    security,
    middleware: [withRoles("admin")] as const,
    request: { ...jsonBody(ReasonRequestSchema) },
    responses: { 202: jsonResponse(QueuedJobSchema, "The job"), ...errorResponses(400, 401, 403) },
  }),
  async (c) => {
    const { reason } = c.req.valid("json");
    return c.json(
      await requestJob({ deps: c.get("deps"), input: { name: "reembed", reason }, actor: callerOf(c).name }),
      202,
    );
  },
);

modelRoutes.openapi(
  createRoute({
    method: "get",
    path: "/jobs",
    operationId: "listJobs",
    tags: ["jobs"],
    summary:
      "Background jobs (training, re-embedding, retention, scheduled retraining) with state, retries and progress",
    security,
    middleware: [withRoles("admin", "evaluator")] as const,
    request: { query: JobListQuerySchema },
    responses: { 200: jsonResponse(JobListSchema, "Jobs, newest first"), ...errorResponses(400, 401, 403) },
  }),
  async (c) => {
    const { limit, name } = c.req.valid("query");
    return c.json(await listJobs({ deps: c.get("deps"), input: { limit: limit ?? 50, name } }), 200);
  },
);

modelRoutes.openapi(
  createRoute({
    method: "get",
    path: "/jobs/{id}",
    operationId: "getJob",
    tags: ["jobs"],
    summary: "One background job",
    security,
    middleware: [withRoles("admin", "evaluator")] as const,
    request: { params: JobIdParamSchema },
    responses: { 200: jsonResponse(JobSchema, "The job"), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    return c.json(await getJob({ deps: c.get("deps"), input: { id } }), 200);
  },
);
