import { z } from "zod";
import { compileCue } from "../urgency/cues";
import type { KnowledgeIssue } from "./check";

const PhraseSchema = z.preprocess(
  (value) => (typeof value === "number" ? String(value) : value),
  z.string().trim().min(1),
);

export const MARKET_ENTITY_BOUNDARY_KINDS = ["consumer", "employee", "neighbour"] as const;

/** knowledge/market-entity.yaml: what a 市场主体 (business) request is, with its boundaries. */
export const MarketEntityDefinitionSchema = z.strictObject({
  definition: PhraseSchema,
  /** Cue patterns: the caller speaks as (or for) an enterprise or 个体工商户. */
  subjects: z.array(PhraseSchema).min(1),
  topics: z.strictObject({
    /** Matters only a business has (count on their own). */
    strong: z.array(PhraseSchema).min(1),
    /** Matters that count only with a business subject. */
    weak: z.array(PhraseSchema).default([]),
  }),
  /** Situations that are not business requests (a consumer, an employee, a neighbour). */
  boundaries: z.array(
    z.strictObject({
      kind: z.enum(MARKET_ENTITY_BOUNDARY_KINDS),
      rule: PhraseSchema,
      cues: z.array(PhraseSchema).min(1),
    }),
  ),
  examples: z.strictObject({
    business: z.array(PhraseSchema).min(1),
    notBusiness: z.array(PhraseSchema).min(1),
  }),
});
export type MarketEntityDefinition = z.infer<typeof MarketEntityDefinitionSchema>;

/**
 * Cue patterns that compile to nothing and repeated patterns.
 *
 * @example
 * checkMarketEntity(MarketEntityDefinitionSchema.parse(yaml)); // []
 */
export function checkMarketEntity(
  definition: MarketEntityDefinition,
  file = "market-entity.yaml",
): KnowledgeIssue[] {
  const issues: KnowledgeIssue[] = [];
  const all = [
    ...definition.subjects,
    ...definition.topics.strong,
    ...definition.topics.weak,
    ...definition.boundaries.flatMap((boundary) => boundary.cues),
  ];
  const seen = new Set<string>();
  for (const cue of all) {
    if (seen.has(cue)) issues.push({ file, message: `cue "${cue}" is listed twice` });
    seen.add(cue);
    if (compileCue(cue).groups.length === 0) issues.push({ file, message: `cue "${cue}" matches nothing` });
  }
  return issues;
}
