import { z } from "@hono/zod-openapi";
import { CalendarDateSchema, CountParamSchema, InstantSchema } from "#domain/values";

const RangeBoundSchema = z.union([CalendarDateSchema, InstantSchema]).openapi({ example: "2026-11-25" });

export const KnowledgeGapsQuerySchema = z.object({
  from: RangeBoundSchema.optional().openapi({ description: "Default: 30 days before `to`" }),
  to: RangeBoundSchema.optional().openapi({ description: "Default: now (a day includes all of it)" }),
  limit: CountParamSchema({ min: 1, max: 100 }).default(20),
});

export const KnowledgeGapSchema = z
  .object({
    id: z
      .string()
      .openapi({ description: "The group's oldest question (`search:<uuid>` / `suggestion:<id>`)" }),
    count: z.number().int().openapi({ description: "Unanswered questions in the group within the range" }),
    firstAt: z.string(),
    lastAt: z.string(),
    examples: z.array(z.string()).openapi({
      description: "Distinct masked questions, most typical first",
      example: ["灵活就业人员怎么交医保"],
    }),
    keywords: z.array(z.string()),
  })
  .openapi("KnowledgeGap");

export const KnowledgeGapsSchema = z
  .object({
    gaps: z.array(KnowledgeGapSchema),
    covered: z.array(z.object({ id: z.string(), scriptId: z.string(), count: z.number().int() })).openapi({
      description: "Groups found answered by a published script during this listing, now marked covered",
    }),
  })
  .openapi("KnowledgeGaps");
