import { z } from "@hono/zod-openapi";
import { MODEL_STATUSES } from "#domain/classifier/registry";
import { JOB_NAMES, JOB_STATES } from "#domain/jobs";
import { TextSchema } from "#domain/values";

export const ModelVersionParamSchema = z.object({
  version: z
    .string()
    .regex(/^[0-9A-Za-z-]{1,80}$/, "must be a model version")
    .openapi({ param: { name: "version", in: "path" }, example: "20261202T210000Z-1a2b3c4d" }),
});

const GateMetricSchema = z
  .object({
    key: z.string().openapi({
      description: "`heldOut:<head>` (recent labelled cases) or `suite:<run>` (CI suite gold set)",
      example: "heldOut:department",
    }),
    metric: z.string().openapi({ example: "accuracy" }),
    n: z.number().int(),
    candidate: z.number(),
    promoted: z.number().nullable().openapi({ description: "The promoted model on the same rows" }),
  })
  .openapi("GateMetric");

export const ModelSchema = z
  .object({
    version: z.string().openapi({ example: "20261202T210000Z-1a2b3c4d" }),
    createdAt: z.string(),
    status: z.enum(MODEL_STATUSES),
    embeddingModel: z.string(),
    trainedOn: z.record(z.string(), z.unknown()).openapi({ description: "cases, bySource, heldOut" }),
    metrics: z
      .record(z.string(), z.unknown())
      .openapi({ description: "Internal cross-validation metrics per head, from training" }),
    evaluation: z
      .object({
        comparedWith: z.string().nullable(),
        tolerance: z.number(),
        heldOut: z.object({
          cases: z.number().int(),
          from: z.string().nullable(),
          to: z.string().nullable(),
        }),
        metrics: z.array(GateMetricSchema),
        promote: z.boolean(),
      })
      .nullable()
      .openapi({ description: "What the promotion gate measured (null before it ran)" }),
    reasons: z
      .array(z.string())
      .openapi({ description: "Why it was promoted, refused, retired or rolled back" }),
    promotedAt: z.string().nullable(),
    promotedBy: z.string().nullable(),
    retiredAt: z.string().nullable(),
    rolledBackAt: z.string().nullable(),
  })
  .openapi("Model");

export const ModelListSchema = z
  .object({
    promoted: z.string().nullable().openapi({ description: "The version every replica serves" }),
    models: z.array(ModelSchema),
  })
  .openapi("ModelList");

export const ModelListQuerySchema = z.object({
  limit: z
    .string()
    .regex(/^[0-9]{1,3}$/, "must be a decimal number")
    .transform(Number)
    .pipe(z.number().int().min(1).max(200))
    .optional()
    .openapi({ param: { name: "limit", in: "query" }, example: "20" }),
});

export const ReasonRequestSchema = z
  .object({ reason: TextSchema({ max: 500 }).optional().openapi({ description: "Kept in the audit log" }) })
  .strict()
  .openapi("ReasonRequest");

export const RollbackResponseSchema = z
  .object({
    version: z.string().openapi({ description: "The version served again" }),
    rolledBack: z.string().openapi({ description: "The version that was retired" }),
  })
  .openapi("ModelRollback");

export const JobSchema = z
  .object({
    id: z.string(),
    name: z.enum(JOB_NAMES),
    state: z.enum(JOB_STATES),
    data: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    retryCount: z.number().int(),
    retryLimit: z.number().int(),
    output: z.unknown().openapi({ description: "The result (completed) or the error (retry, failed)" }),
    progress: z
      .object({
        stage: z.string(),
        done: z.number(),
        total: z.number(),
        worker: z.string().openapi({ description: "host:pid of the replica running it" }),
        updatedAt: z.string(),
      })
      .nullable(),
  })
  .openapi("Job");

export const JobListSchema = z
  .object({
    queue: z.enum(["pg-boss", "in-process"]).openapi({
      description: "pg-boss on PostgreSQL (shared by replicas); in-process on the embedded database",
    }),
    jobs: z.array(JobSchema),
  })
  .openapi("JobList");

export const JobListQuerySchema = z.object({
  limit: ModelListQuerySchema.shape.limit,
  name: z
    .enum(JOB_NAMES)
    .optional()
    .openapi({ param: { name: "name", in: "query" } }),
});

export const JobIdParamSchema = z.object({
  id: z
    .string()
    .regex(/^[0-9a-f-]{36}$/, "must be a job id")
    .openapi({ param: { name: "id", in: "path" } }),
});

export const QueuedJobSchema = z
  .object({
    job: JobSchema,
    queued: z.boolean().openapi({ description: "false: an equal job was already waiting; this is it" }),
  })
  .openapi("QueuedJob");
