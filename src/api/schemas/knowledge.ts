import { z } from "@hono/zod-openapi";
import { SearchInputSchema } from "#domain/requests";
import { documented } from "../openapi";
import { PolicyBasisViewSchema } from "./scripts";

// Fields come from the service schema (one source for trim, bounds, NUL and lone surrogates).
const searchField = SearchInputSchema.shape;
const filterField = SearchInputSchema.shape.filters.unwrap().shape;

export const SearchRequestSchema = z
  .object({
    query: documented(searchField.query, {
      description: "What the citizen said, as typed by the agent",
      example: "我医保卡唔见咗点补办",
    }),
    limit: documented(searchField.limit.unwrap().optional(), { description: "Results wanted", example: 5 }),
    filters: z
      .object({
        departments: documented(filterField.departments, {
          description: "Only scripts handled by one of these department codes",
          example: ["rsj"],
        }),
        category: documented(filterField.category, {
          description: "Category path prefix (1–3 levels)",
          example: ["劳动和社会保障"],
        }),
        region: documented(filterField.region, {
          description: "District code; scripts for 全市 always match",
          example: "jcq",
        }),
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
    basis: PolicyBasisViewSchema,
    departments: z.array(z.string()),
    category: z.array(z.string()),
    region: z.string(),
    validTo: z.string().nullable(),
    version: z.number().int(),
    score: z.number().openapi({ description: "Fused score (weighted reciprocal rank)" }),
    onTopic: z.number().min(0).max(1).openapi({
      description: "Calibrated probability that the script is on topic (knowledge/retrieval-confidence.yaml)",
      example: 0.93,
    }),
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
    confident: z.boolean().openapi({
      description:
        "Whether the best script reaches the calibrated on-topic threshold; false: no reliable script (未找到可靠口径)",
    }),
    terms: z
      .array(z.string())
      .openapi({ description: "Full-text terms after segmentation and synonym expansion" }),
    timings: z.object({ embedMs: z.number(), searchMs: z.number() }),
  })
  .openapi("SearchResponse");
