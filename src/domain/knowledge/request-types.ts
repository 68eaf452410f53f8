import { z } from "zod";
import { REQUEST_TYPES } from "../classifier/rules";
import type { KnowledgeIssue } from "./check";

/** Editors write short phrases; YAML may hand us a number for a digit-only phrase. */
const PhraseSchema = z.preprocess(
  (value) => (typeof value === "number" ? String(value) : value),
  z.string().trim().min(1),
);

export const TypeBoundarySchema = z.strictObject({
  /** The neighbouring type this rule separates from. */
  against: z.enum(REQUEST_TYPES),
  /** How an agent decides between the two, in one sentence. */
  rule: PhraseSchema,
  /** Phrases that count for this type only when the two types compete in a call. */
  cues: z.array(PhraseSchema).default([]),
});

export const RequestTypeDefinitionSchema = z.strictObject({
  type: z.enum(REQUEST_TYPES),
  definition: PhraseSchema,
  /** Phrases that nearly settle the type on their own. */
  strong: z.array(PhraseSchema).default([]),
  /** Phrases that point to the type but depend on context. */
  cues: z.array(PhraseSchema).default([]),
  boundaries: z.array(TypeBoundarySchema).default([]),
});
export type RequestTypeDefinition = z.infer<typeof RequestTypeDefinitionSchema>;

/** knowledge/types.yaml: the six request types by definition, with the cue phrases of each. */
export const RequestTypesSchema = z.strictObject({
  /** Words that, just before a cue, cancel it ("唔系投诉"). */
  negation: z.array(PhraseSchema).default([]),
  /** Words that make a sentence a question for information. */
  asking: z.array(PhraseSchema).default([]),
  /** Words that make a sentence a request for someone to act. */
  action: z.array(PhraseSchema).default([]),
  types: z.array(RequestTypeDefinitionSchema).min(1),
});
export type RequestTypes = z.infer<typeof RequestTypesSchema>;

function repeated(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const again = new Set<string>();
  for (const value of values) (seen.has(value) ? again : seen).add(value);
  return [...again];
}

/**
 * Checks the type definitions beyond their schema: every request type defined exactly once, no
 * phrase listed twice for a type, no phrase claimed by two types (it could not point to both),
 * boundaries only against another type and at most once per neighbour.
 *
 * @example
 * checkRequestTypes(RequestTypesSchema.parse(yaml)); // [] when consistent
 */
export function checkRequestTypes(definitions: RequestTypes, file = "types.yaml"): KnowledgeIssue[] {
  const issues: KnowledgeIssue[] = [];
  const defined = definitions.types.map((entry) => entry.type);
  for (const type of repeated(defined)) issues.push({ file, message: `type ${type} is defined twice` });
  for (const type of REQUEST_TYPES) {
    if (!defined.includes(type)) issues.push({ file, message: `type ${type} has no definition` });
  }
  const owner = new Map<string, string>();
  for (const entry of definitions.types) {
    const phrases = [...entry.strong, ...entry.cues];
    for (const phrase of repeated(phrases))
      issues.push({ file, message: `${entry.type}: phrase "${phrase}" is listed twice` });
    for (const phrase of new Set(phrases)) {
      const other = owner.get(phrase);
      if (other && other !== entry.type)
        issues.push({ file, message: `phrase "${phrase}" is a cue of both ${other} and ${entry.type}` });
      else owner.set(phrase, entry.type);
    }
    for (const neighbour of repeated(entry.boundaries.map((boundary) => boundary.against)))
      issues.push({ file, message: `${entry.type}: two boundaries against ${neighbour}` });
    for (const boundary of entry.boundaries) {
      if (boundary.against === entry.type)
        issues.push({ file, message: `${entry.type}: a boundary against itself` });
      for (const phrase of repeated(boundary.cues))
        issues.push({
          file,
          message: `${entry.type} vs ${boundary.against}: phrase "${phrase}" is listed twice`,
        });
    }
  }
  for (const [name, list] of [
    ["negation", definitions.negation],
    ["asking", definitions.asking],
    ["action", definitions.action],
  ] as const) {
    for (const phrase of repeated(list))
      issues.push({ file, message: `${name}: phrase "${phrase}" is listed twice` });
  }
  return issues;
}
