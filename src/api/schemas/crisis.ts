import { z } from "@hono/zod-openapi";

export const CrisisSchema = z
  .object({
    name: z.string().openapi({ example: "台风「海燕」" }),
    keywords: z.array(z.string()).openapi({ example: ["台风", "海燕", "水浸"] }),
    categories: z.array(z.string()).openapi({ description: "Category path prefixes 一级/二级[/三级]" }),
    emergencies: z.array(z.string()).openapi({ description: "Emergency-list item ids (紧急项)" }),
    reason: z.string(),
    declaredBy: z.string(),
    declaredAt: z.string(),
  })
  .openapi("Crisis");

export const CrisisStateSchema = z
  .object({
    active: z.boolean(),
    crisis: CrisisSchema.nullable().openapi({ description: "null when no crisis is declared" }),
  })
  .openapi("CrisisState");

const Term = z.string().min(1).max(30);
const Reason = z.string().min(1).max(500).openapi({ description: "Why (kept in the audit log)" });

export const CrisisDeclarationRequestSchema = z
  .union([
    z
      .object({
        active: z.literal(true),
        name: z.string().min(1).max(50).openapi({ example: "台风「海燕」" }),
        keywords: z
          .array(Term)
          .max(50)
          .optional()
          .openapi({
            description: "Words in the request text that relate it to the crisis",
            example: ["台风", "海燕"],
          }),
        categories: z
          .array(z.string().min(1).max(100))
          .max(50)
          .optional()
          .openapi({
            description: "Category path prefixes (一级/二级[/三级]) of the suggested category",
            example: ["城乡建设/市政设施"],
          }),
        emergencies: z
          .array(z.string().min(1).max(64))
          .max(50)
          .optional()
          .openapi({ description: "Emergency-list item ids whose match relates a request" }),
        reason: Reason,
      })
      .strict(),
    z.object({ active: z.literal(false), reason: Reason }).strict(),
  ])
  .openapi("CrisisDeclaration");
