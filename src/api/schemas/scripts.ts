import { z } from "@hono/zod-openapi";
import { SCRIPT_LIST_STATUSES } from "#domain/knowledge/repository";
import { DISTRICT_CODES } from "#domain/knowledge/schema";
import { INT4_MAX, VERSION_STATES } from "#domain/values";

const text = (description: string, example?: string) =>
  z.string().openapi(example ? { description, example } : { description });

export const ScriptContentSchema = z
  .object({
    title: z.string().min(1).max(80).openapi({ example: "社保卡挂失补办" }),
    question: z.string().min(1).max(200).openapi({ example: "社会保障卡丢失了如何挂失和补办？" }),
    variants: z
      .array(z.string().min(1).max(200))
      .min(3)
      .max(30)
      .openapi({
        description: "≥ 3 colloquial ways citizens say it",
        example: ["医保卡唔见咗点算", "社保卡丢了去哪补", "医保卡被偷了"],
      }),
    answer: z.string().min(1).max(4000).openapi({ description: "The verbatim approved wording" }),
    basis: z.string().max(500).default(""),
    departments: z
      .array(z.string().regex(/^[a-z]{2,10}$/))
      .min(1)
      .openapi({ example: ["rsj"] }),
    category: z
      .tuple([z.string(), z.string(), z.string()])
      .openapi({ example: ["劳动和社会保障", "城镇职工社会保险", "社保卡"] }),
    region: z.enum(["全市", ...DISTRICT_CODES]).default("全市"),
    audience: z
      .array(z.enum(["个人", "企业"]))
      .min(1)
      .default(["个人"]),
    tags: z.array(z.string()).default([]),
    validFrom: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .openapi({ example: "2026-01-01" }),
    validTo: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .nullable()
      .default(null),
    owner: z.string().min(1).openapi({ example: "市人社局知识专员" }),
  })
  .strict()
  .openapi("ScriptContent");

export const ScriptVersionSchema = z
  .object({
    versionId: z.number().int(),
    itemId: z.string(),
    version: z.number().int(),
    state: z.enum(VERSION_STATES),
    title: z.string(),
    question: z.string(),
    variants: z.array(z.string()),
    answer: z.string(),
    basis: z.string(),
    departments: z.array(z.string()),
    category: z.array(z.string()),
    region: z.string(),
    audience: z.array(z.string()),
    tags: z.array(z.string()),
    validFrom: z.string(),
    validTo: z.string().nullable(),
    owner: z.string(),
    contentHash: z.string(),
    source: z.enum(["file", "api"]),
    author: z.string(),
    baseVersion: z.number().int().nullable(),
    changeNote: z.string(),
    reviewer: z.string().nullable(),
    reviewComment: z.string().nullable(),
    reviewedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("ScriptVersion");

export const ScriptViewSchema = z
  .object({
    item: z.object({
      id: z.string(),
      status: z.enum(["draft", "published", "retired"]),
      publishedVersion: z.number().int().nullable(),
      latestVersion: z.number().int(),
      updatedAt: z.string(),
    }),
    published: ScriptVersionSchema.nullable().openapi({ description: "What agents see now" }),
    latest: ScriptVersionSchema.openapi({ description: "The newest version (may be waiting for review)" }),
    etag: text("Send back as If-Match (or baseVersion) when editing", '"shebao-card-lost-v3"'),
  })
  .openapi("ScriptView");

export const ScriptIdParamSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z][a-z0-9-]{2,63}$/)
    .openapi({ param: { name: "id", in: "path" }, example: "shebao-card-lost" }),
});
export const VersionParamSchema = ScriptIdParamSchema.extend({
  version: z.coerce
    .number()
    .int()
    .min(1)
    .max(INT4_MAX)
    .openapi({ param: { name: "version", in: "path" }, example: 2 }),
});

export const CreateScriptSchema = ScriptContentSchema.extend({
  id: z
    .string()
    .regex(/^[a-z][a-z0-9-]{2,63}$/)
    .openapi({ example: "shebao-card-lost" }),
  changeNote: z.string().max(500).default(""),
  submit: z.boolean().default(true).openapi({ description: "false keeps it as a draft" }),
})
  .strict()
  .openapi("CreateScript");

export const EditScriptSchema = z
  .object({
    baseVersion: z
      .number()
      .int()
      .min(1)
      .max(INT4_MAX)
      .optional()
      .openapi({ description: "The version this edit started from (or send If-Match: <etag>)" }),
    content: ScriptContentSchema,
    changeNote: z.string().max(500).default(""),
    submit: z.boolean().default(true),
  })
  .strict()
  .openapi("EditScript");

export const ReviewSchema = z
  .object({
    decision: z.enum(["approve", "reject"]),
    comment: z.string().max(1000).default(""),
    publish: z.boolean().default(true).openapi({ description: "Publish right after approving" }),
  })
  .strict()
  .openapi("Review");

export const ReasonSchema = z
  .object({ reason: z.string().min(1).max(500) })
  .strict()
  .openapi("Reason");
export const RollbackSchema = z
  .object({ toVersion: z.number().int().min(1).max(INT4_MAX), reason: z.string().min(1).max(500) })
  .strict()
  .openapi("Rollback");

export const FieldChangeSchema = z
  .object({
    field: z.string(),
    before: z.unknown(),
    after: z.unknown(),
    parts: z.array(z.object({ value: z.string(), added: z.boolean(), removed: z.boolean() })),
  })
  .openapi("FieldChange");

export const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string(),
    before: z.unknown(),
    after: z.unknown(),
    reason: z.string(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .openapi("AuditEntry");

export const ScriptListQuerySchema = z.object({
  q: z.string().max(100).optional().openapi({
    description: "Part of the id, title, standard question, a variant or the answer",
    example: "社保卡",
  }),
  department: z
    .string()
    .regex(/^[a-z]{2,10}$/)
    .optional()
    .openapi({ description: "Only scripts handled by this department code", example: "rsj" }),
  category: z
    .string()
    .max(160)
    .regex(/^[^/]+(\/[^/]+){0,2}$/)
    .optional()
    .openapi({
      description: "Category path prefix, 1–3 levels joined by /",
      example: "劳动和社会保障/城镇职工社会保险",
    }),
  status: z.enum(SCRIPT_LIST_STATUSES).optional().openapi({
    description:
      "published / retired: the script's status; pending_review / draft / rejected: its newest version's state",
  }),
  expiringWithinDays: z.coerce.number().int().min(0).max(3650).optional().openapi({
    description: "Only published scripts whose validity ends within this many days (soonest first)",
    example: 30,
  }),
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ example: 50 }),
  offset: z.coerce.number().int().min(0).default(0).openapi({ example: 0 }),
});

export const ScriptSummarySchema = z
  .object({
    id: z.string().openapi({ example: "shebao-card-lost" }),
    status: z.enum(["draft", "published", "retired"]),
    publishedVersion: z.number().int().nullable(),
    latestVersion: z.number().int(),
    latestState: ScriptVersionSchema.shape.state,
    latestAuthor: z.string(),
    title: z.string().openapi({ description: "Of the newest version", example: "社保卡挂失补办" }),
    question: z.string(),
    departments: z.array(z.string()),
    category: z.array(z.string()),
    region: z.string(),
    validTo: z.string().nullable().openapi({
      description: "The published version's end of validity (the newest one's if never published)",
    }),
    updatedAt: z.string(),
  })
  .openapi("ScriptSummary");

export const ScriptListSchema = z
  .object({
    total: z.number().int().openapi({ description: "Matching scripts before paging" }),
    scripts: z.array(ScriptSummarySchema),
  })
  .openapi("ScriptList");
