import { z } from "@hono/zod-openapi";
import { REFERENCE_KINDS } from "#domain/reference";

export const ReferenceKindParamSchema = z.object({
  kind: z.enum(REFERENCE_KINDS).openapi({
    param: { name: "kind", in: "path" },
    description:
      "departments (派单目录, departments.yaml), duties (权责清单, duties.yaml), emergencies (紧急项, emergencies.yaml), market-entity (市场主体 rules, market-entity.yaml), synonyms (synonyms.yaml)",
    example: "emergencies",
  }),
});

const ReferenceVersionMetaSchema = z
  .object({
    id: z.number().int().openapi({ description: "Row id (what replicas compare)" }),
    kind: z.enum(REFERENCE_KINDS),
    version: z.number().int().openapi({ description: "1, 2, … per kind", example: 3 }),
    contentHash: z.string(),
    source: z.enum(["files", "api"]).openapi({ description: "files: the knowledge sync; api: an admin" }),
    effectiveFrom: z.string().openapi({ description: "In force from (ISO time)" }),
    createdAt: z.string(),
    createdBy: z.string().openapi({ example: "ops-zhang" }),
    note: z.string().nullable(),
  })
  .openapi("ReferenceVersionMeta");

export const ReferenceVersionSchema = ReferenceVersionMetaSchema.extend({
  content: z.unknown().openapi({ description: "The kind's content, shaped like its knowledge file" }),
}).openapi("ReferenceVersion");

export const ReferenceViewSchema = z
  .object({
    kind: z.enum(REFERENCE_KINDS),
    file: z.string().openapi({
      description: "The knowledge file that is the reviewed source",
      example: "emergencies.yaml",
    }),
    current: ReferenceVersionSchema.nullable().openapi({
      description: "The version in force (null: none stored; the files' content is served)",
    }),
    served: z
      .object({
        versionId: z.number().int().nullable(),
        content: z.unknown(),
      })
      .openapi({ description: "What the replica answering serves now (others follow within seconds)" }),
    scheduled: z
      .array(ReferenceVersionMetaSchema)
      .openapi({ description: "Versions with a future effectiveFrom" }),
    history: z.array(ReferenceVersionMetaSchema).openapi({ description: "Every version, newest first" }),
  })
  .openapi("ReferenceView");

export const ReferencePutRequestSchema = z
  .object({
    content: z.unknown().openapi({
      description:
        "The whole new content of the kind, shaped like its knowledge file (a list for departments, emergencies and synonyms, a mapping for duties and market-entity); checked like `knowledge:check`",
    }),
    effectiveFrom: z.iso.datetime({ offset: true }).optional().openapi({
      description: "In force from (default: now); not in the past",
      example: "2027-01-01T00:00:00+08:00",
    }),
    note: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .optional()
      .openapi({ description: "Why (kept in the audit log)" }),
  })
  .openapi("ReferencePutRequest");
