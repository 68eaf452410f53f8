import { z } from "zod";
import { REQUEST_TYPES } from "./classifier/rules";
import { CALLER_TYPES, CHANNELS, DISPATCH_KINDS, InstantSchema, TextSchema } from "./values";
import { FEEDBACK_FIELDS } from "./work-orders";

/*
 * The request bodies of the agents' and search API, defined once: the services parse their input
 * with these, and the API's OpenAPI schemas take their fields from them (adding documentation and
 * strictness only), so a value the API accepts is never refused by a service (review #8).
 */

/** POST /v1/suggest. */
export const SuggestInputSchema = z.object({
  text: TextSchema({ max: 5000 }),
  channel: z.enum(CHANNELS).optional(),
  callerType: z.enum(CALLER_TYPES).optional(),
  district: TextSchema({ max: 20 }).optional(),
  receivedAt: InstantSchema.optional(),
});
export type SuggestInput = z.input<typeof SuggestInputSchema>;

/** POST /v1/suggestions/{id}/feedback (the suggestion id comes from the path). */
export const FeedbackInputSchema = z.object({
  finalCategory: z
    .array(TextSchema({ max: 50 }))
    .min(1)
    .max(3)
    .optional(),
  finalDepartments: z
    .array(TextSchema({ max: 20 }))
    .min(1)
    .max(5)
    .optional(),
  finalType: z.enum(REQUEST_TYPES).optional(),
  acceptedScriptIds: z
    .array(TextSchema({ max: 64 }))
    .max(20)
    .default([]),
  dismissedScriptIds: z
    .array(TextSchema({ max: 64 }))
    .max(20)
    .default([]),
  /** Deprecated: the agent is the authenticated caller; a different value is refused (review #11). */
  agentId: TextSchema({ max: 100 }).optional(),
  /**
   * The fields the agent touched or explicitly confirmed (the console sends it). When present, only
   * these fields' final values are labels: an untouched preselection is not a confirmation. When
   * absent, the final values sent are the labels and fields left out are not.
   */
  confirmed: z.array(z.enum(FEEDBACK_FIELDS)).max(3).optional(),
  /** 并单: the earlier open requests (ids from the suggestion's possibleDuplicates) this one merges with. */
  mergedWith: z
    .array(TextSchema({ max: 100 }))
    .max(10)
    .optional(),
});
export type FeedbackInput = z.input<typeof FeedbackInputSchema>;

/** POST /v1/dispatch-events. */
export const DispatchEventSchema = z.object({
  suggestionId: z.uuid().optional(),
  caseId: TextSchema({ max: 100 }).optional(),
  kind: z.enum(DISPATCH_KINDS),
  fromDepartment: TextSchema({ max: 20 }),
  toDepartment: TextSchema({ max: 20 }).optional(),
  reason: TextSchema({ max: 1000 }),
});
export type DispatchEventInput = z.input<typeof DispatchEventSchema>;

/** POST /v1/knowledge/search (and each hit-test question). */
export const SearchInputSchema = z.object({
  // An empty query is allowed (it finds nothing); the text rules still apply.
  query: TextSchema({ min: 0, max: 10_000 }),
  limit: z.number().int().min(1).max(50).default(10),
  filters: z
    .object({
      departments: z
        .array(TextSchema({ max: 20 }))
        .max(50)
        .optional(),
      category: z
        .array(TextSchema({ max: 50 }))
        .min(1)
        .max(3)
        .optional(),
      region: TextSchema({ max: 10 }).optional(),
    })
    .default({}),
});
export type SearchInput = z.input<typeof SearchInputSchema>;
