import { z } from "@hono/zod-openapi";

export const SearchRequestSchema = z
  .object({
    query: z.string().max(10_000).openapi({
      description: "What the citizen said, as typed by the agent",
      example: "我医保卡唔见咗点补办",
    }),
    limit: z.number().int().min(1).max(50).optional().openapi({ description: "Results wanted", example: 5 }),
    filters: z
      .object({
        departments: z
          .array(z.string().max(20))
          .max(50)
          .optional()
          .openapi({
            description: "Only scripts handled by one of these department codes",
            example: ["rsj"],
          }),
        category: z
          .array(z.string().max(50))
          .min(1)
          .max(3)
          .optional()
          .openapi({ description: "Category path prefix (1–3 levels)", example: ["劳动和社会保障"] }),
        region: z
          .string()
          .max(10)
          .optional()
          .openapi({ description: "District code; scripts for 全市 always match", example: "jcq" }),
      })
      .strict()
      .optional(),
  })
  .strict()
  .openapi("SearchRequest");

export const SearchResultSchema = z
  .object({
    id: z.string().openapi({ example: "shebao-card-replace" }),
    title: z.string().openapi({ example: "社保卡挂失补办" }),
    question: z.string(),
    matchedText: z.string().openapi({ description: "The title, question or variant that matched best" }),
    answer: z.string().openapi({ description: "The approved wording, verbatim" }),
    departments: z.array(z.string()),
    category: z.array(z.string()),
    region: z.string(),
    validTo: z.string().nullable(),
    version: z.number().int(),
    score: z.number().openapi({ description: "Fused score (weighted reciprocal rank)" }),
    signals: z
      .object({
        vector: z.number().nullable().openapi({ description: "Cosine similarity of the best passage" }),
        fulltext: z.number().nullable().openapi({ description: "ts_rank of the best passage" }),
        fused: z.number(),
      })
      .openapi({
        description: "Why it matched: each signal's score (null when that signal did not find it)",
      }),
  })
  .openapi("SearchResult");

export const SearchResponseSchema = z
  .object({
    results: z.array(SearchResultSchema),
    terms: z
      .array(z.string())
      .openapi({ description: "Full-text terms after segmentation and synonym expansion" }),
    timings: z.object({ embedMs: z.number(), searchMs: z.number() }),
  })
  .openapi("SearchResponse");
