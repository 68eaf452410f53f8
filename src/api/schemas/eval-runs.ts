import { z } from "@hono/zod-openapi";
import { EVAL_RUN_ID_PATTERN, EVAL_RUN_STATUSES } from "#domain/evaluation";

export const EvalRunIdSchema = z
  .string()
  .max(128)
  .regex(EVAL_RUN_ID_PATTERN, "a run id: letters, digits, '.', '_' or '-' (the run's folder name)")
  .openapi({ description: "The run's folder under eval/reports", example: "20261127T140451Z-ci" });

const DirectionSchema = z
  .enum(["higher", "lower"])
  .openapi({ description: "Which direction is better (ECE, cost-weighted error, no-answer rate: lower)" });
const FormatSchema = z
  .enum(["percent", "score"])
  .openapi({ description: "percent: a share, shown as %; score: a plain number" });

export const HeadlineMetricSchema = z
  .object({
    key: z.string().openapi({ example: "macroF1" }),
    label: z.string().openapi({ example: "macro-F1" }),
    value: z.number().nullable().openapi({ description: "null when the report lacks it", example: 0.8681 }),
    better: DirectionSchema,
    format: FormatSchema,
  })
  .openapi("EvalHeadlineMetric");

export const EvalTaskSummarySchema = z
  .object({
    key: z.string().openapi({
      description: "Task within the run, matched across runs: the task, then the head when different",
      example: "category:category1",
    }),
    task: z.string().openapi({ example: "department" }),
    head: z
      .string()
      .nullable()
      .openapi({ description: "What was predicted (null for retrieval)", example: "department" }),
    n: z.number().int().openapi({ description: "Test items", example: 444 }),
    folds: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "k of k-fold cross-validation", example: null }),
    primary: HeadlineMetricSchema.openapi({ description: "The CI gate's metric (macro-F1 or recall@3)" }),
    metrics: z.array(HeadlineMetricSchema),
  })
  .openapi("EvalTaskSummary");

export const EvalRunSummarySchema = z
  .object({
    id: EvalRunIdSchema,
    name: z.string().openapi({ example: "ci" }),
    createdAt: z.string().openapi({ example: "2026-11-27T14:04:51.243Z" }),
    modelVersion: z
      .string()
      .nullable()
      .openapi({ description: "Classifier version evaluated", example: "20261127T140315Z-67d20558" }),
    embeddingModel: z.string().nullable().openapi({ example: "bge-small-zh-v1.5" }),
    status: z
      .enum(EVAL_RUN_STATUSES)
      .openapi({ description: "running (no figures yet), completed or failed", example: "completed" }),
    finishedAt: z.string().nullable().openapi({ example: "2026-11-27T14:09:12.001Z" }),
    createdBy: z.string().nullable().openapi({ description: "Who ran it", example: "cli:zhangwei" }),
    tasks: z.array(EvalTaskSummarySchema),
  })
  .openapi("EvalRunSummary");

export const EvalRunDetailSchema = EvalRunSummarySchema.extend({
  inputs: z
    .record(z.string(), z.unknown())
    .openapi({ description: "Parameters of the run (suite, datasets, folds…)" }),
}).openapi("EvalRunDetail");

export const EvalRunListSchema = z.object({ runs: z.array(EvalRunSummarySchema) }).openapi("EvalRunList");

const MetricComparisonSchema = z
  .object({
    key: z.string().openapi({ example: "ece" }),
    label: z.string().openapi({ example: "ECE（校准误差）" }),
    better: DirectionSchema,
    format: FormatSchema,
    a: z.number().nullable().openapi({ example: 0.1775 }),
    b: z.number().nullable().openapi({ example: 0.1502 }),
    delta: z.number().nullable().openapi({ description: "b − a", example: -0.0273 }),
    change: z
      .enum(["better", "worse", "same", "unknown"])
      .openapi({ description: "B relative to A, in the metric's good direction", example: "better" }),
  })
  .openapi("EvalMetricComparison");

export const EvalComparisonSchema = z
  .object({
    a: EvalRunSummarySchema,
    b: EvalRunSummarySchema,
    tasks: z.array(
      z
        .object({
          key: z.string().openapi({ example: "department" }),
          task: z.string(),
          head: z.string().nullable(),
          nA: z.number().int(),
          nB: z.number().int(),
          metrics: z.array(MetricComparisonSchema),
        })
        .openapi("EvalTaskComparison"),
    ),
    onlyInA: z.array(z.string()).openapi({ description: "Task keys only run A has", example: [] }),
    onlyInB: z.array(z.string()).openapi({ description: "Task keys only run B has", example: ["retrieval"] }),
  })
  .openapi("EvalComparison");
