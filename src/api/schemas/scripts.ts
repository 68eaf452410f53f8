import { z } from "@hono/zod-openapi";
import { SCRIPT_LIST_STATUSES } from "#domain/knowledge/repository";
import {
  SCRIPT_ID_PATTERN,
  SCRIPT_LIMITS,
  ScriptFieldsSchema,
  withScriptRules,
} from "#domain/knowledge/schema";
import { INT4_MAX, VERSION_STATES } from "#domain/values";

const text = (description: string, example?: string) =>
  z.string().openapi(example ? { description, example } : { description });

/**
 * The script body, derived from the one domain schema (`ScriptFieldsSchema`, review #20) so the
 * files, the API and the service accept exactly the same scripts; only the documentation is added
 * here. Department codes and category paths are checked against the catalogue by the service.
 */
// Field schemas built in the domain may predate zod-openapi's extension (import order), so they
// are documented with zod's own .meta(), which the OpenAPI generator reads too.
const { id: _id, ...fields } = ScriptFieldsSchema.shape;
export const ScriptContentSchema = withScriptRules(
  z.strictObject({
    ...fields,
    title: fields.title.meta({
      description: `≤ ${SCRIPT_LIMITS.titleChars} characters`,
      example: "社保卡挂失补办",
    }),
    question: fields.question.meta({ example: "社会保障卡丢失了如何挂失和补办？" }),
    variants: fields.variants.meta({
      description: `${SCRIPT_LIMITS.minVariants}–${SCRIPT_LIMITS.maxVariants} colloquial ways citizens say it`,
      example: ["医保卡唔见咗点算", "社保卡丢了去哪补", "医保卡被偷了"],
    }),
    answer: fields.answer.meta({ description: "The verbatim approved wording" }),
    departments: fields.departments.meta({
      description: `1–${SCRIPT_LIMITS.maxDepartments} distinct department codes of the dispatch catalogue (first = lead)`,
      example: ["rsj"],
    }),
    category: fields.category.meta({
      description: "A leaf of the taxonomy: [level 1, level 2, level 3]",
      example: ["劳动和社会保障", "城镇职工社会保险", "社保卡"],
    }),
    tags: fields.tags.meta({
      description: `≤ ${SCRIPT_LIMITS.maxTags} tags of ≤ ${SCRIPT_LIMITS.tagChars} characters`,
    }),
    validFrom: fields.validFrom.meta({ description: "YYYY-MM-DD", example: "2026-01-01" }),
    validTo: fields.validTo.meta({ description: "YYYY-MM-DD, not before validFrom; null = open-ended" }),
    owner: fields.owner.meta({ example: "市人社局知识专员" }),
  }),
).openapi("ScriptContent");

export const PolicyBasisViewSchema = z
  .object({
    document: z.string().openapi({
      description: "Document title without 《》; empty = not known",
      example: "住房公积金管理条例",
    }),
    number: z.string().openapi({ description: "发文字号; empty = not verified", example: "国务院令第262号" }),
    clause: z
      .string()
      .openapi({ description: "Article/paragraph; empty = not verified", example: "第二十四条" }),
    issuer: z.string().openapi({ description: "Issuing body; empty = not verified", example: "国务院" }),
    url: z.string().openapi({ description: "Where the text is published; empty = none" }),
    checkedAt: z.string().nullable().openapi({
      description: "When a person last checked it (YYYY-MM-DD); null = never",
      example: "2026-11-30",
    }),
  })
  .openapi("PolicyBasis");

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
    basis: PolicyBasisViewSchema,
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
    authorPerson: z
      .string()
      .openapi({ description: "Who wrote it (person identity): the two-person rule compares this" }),
    baseVersion: z.number().int().nullable(),
    changeNote: z.string(),
    reviewer: z.string().nullable(),
    reviewerPerson: z.string().nullable(),
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
    .regex(SCRIPT_ID_PATTERN)
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
  id: z.string().regex(SCRIPT_ID_PATTERN).openapi({ example: "shebao-card-lost" }),
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

/** A reason that says something: whitespace alone is refused (review #20). */
const ReasonTextSchema = z.string().trim().min(1).max(500);
export const ReasonSchema = z.object({ reason: ReasonTextSchema }).strict().openapi("Reason");
export const RollbackSchema = z
  .object({ toVersion: z.number().int().min(1).max(INT4_MAX), reason: ReasonTextSchema })
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
