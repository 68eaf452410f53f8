import { z } from "@hono/zod-openapi";
import { AUTOMATION_LEVELS } from "#domain/classifier/automation";
import { REQUEST_TYPES } from "#domain/classifier/rules";
import { DispatchEventSchema, FeedbackInputSchema, SuggestInputSchema } from "#domain/requests";
import { CONFIDENCE_BANDS, DEPARTMENT_ROLES } from "#domain/values";
import { documented } from "../openapi";
import { PossibleDuplicateSchema } from "./analytics";
import { PolicyBasisViewSchema } from "./scripts";

// Request bodies take their fields from the service schemas (one source: trim, bounds, NUL and
// lone-surrogate rules in #domain/values), adding only the OpenAPI documentation and strictness.
const suggestField = SuggestInputSchema.shape;
const feedbackField = FeedbackInputSchema.shape;
const dispatchField = DispatchEventSchema.shape;

const Band = z
  .enum(CONFIDENCE_BANDS)
  .openapi({ description: "Per-label band from the calibrated confidence" });
const Confidence = z.number().min(0).max(1).openapi({ description: "Calibrated probability" });
const Automation = z.enum(AUTOMATION_LEVELS).openapi({
  description:
    "What the console may do with this answer: suggest = show only, the agent chooses (not sure); preselect = select it for the agent to confirm; auto-fill = fill it in. From the precision targets in knowledge/rules.yaml (automation) on the model's held-out precision–coverage curve",
});

export const SuggestRequestSchema = z
  .object({
    text: documented(suggestField.text, {
      description: "What the citizen says, as typed by the agent (trimmed; 1–5000 characters)",
      example: "我哋公司喺高新区，想问下企业开办补贴点样申请",
    }),
    channel: suggestField.channel,
    callerType: documented(suggestField.callerType, { description: "business = 市场主体 (2135 rule)" }),
    district: documented(suggestField.district, { example: "gxq" }),
    receivedAt: documented(suggestField.receivedAt, {
      description: "When the call came in (years 2000–2100)",
      example: "2026-03-02T10:15:00+08:00",
    }),
  })
  .strict()
  .openapi("SuggestRequest");

export const SuggestResponseSchema = z
  .object({
    id: z.string().uuid(),
    modelVersion: z.string().openapi({ description: "Classifier artifact version, or 'untrained'" }),
    category: z
      .array(
        z.object({
          path: z.array(z.string()).min(1).max(3),
          confidence: Confidence,
          band: Band,
          automation: Automation,
        }),
      )
      .max(3)
      .openapi({ description: "Top 3 category paths [l1, l2, l3]" }),
    type: z.array(
      z.object({
        label: z.enum(REQUEST_TYPES),
        confidence: Confidence,
        band: Band,
        automation: Automation,
        reasons: z.array(z.string()).openapi({
          description: "For the first type: the type cues that counted and the clause each was found in",
          example: ["用语「投诉」见于「我要投诉呢间铺」"],
        }),
      }),
    ),
    departments: z
      .array(
        z.object({
          code: z.string().openapi({ example: "rsj" }),
          name: z.string(),
          role: z.enum(DEPARTMENT_ROLES).openapi({
            description:
              "lead = 主办; assist = 协办, proposed only when the request needs it (a duty that names its partner, a second issue, a joint emergency item); candidate = another department the agent may choose as lead",
          }),
          confidence: Confidence,
          band: Band,
          automation: Automation,
          reasons: z.array(z.string()).openapi({
            description:
              "权责清单 matter and boundary, 区政府兜底, catalogue duty, emergency rule, similar cases, script, model score",
          }),
        }),
      )
      .max(5),
    urgent: z.object({
      flag: z.boolean(),
      confidence: Confidence,
      band: Band,
      automation: Automation,
      matched: z.array(z.string()).openapi({
        description: "Emergency item ids (紧急项清单), most pressing first",
        example: ["gas-leak"],
      }),
      evidence: z
        .array(
          z.object({
            itemId: z.string().openapi({ description: "Emergency item id", example: "gas-leak" }),
            name: z.string().openapi({ description: "Emergency item name", example: "燃气泄漏" }),
            clause: z.string().openapi({
              description: "The clause (or adjacent clauses) of the call that matched, as said",
              example: "楼道内有很浓的燃气味",
            }),
            by: z.enum(["cue", "similarity", "both"]).openapi({
              description:
                "cue: the item's cue patterns in everyday words; similarity: the clause's embedding is close to one of the item's phrasings; both",
            }),
            score: z
              .number()
              .openapi({ description: "1 for a cue match, else the cosine similarity", example: 1 }),
          }),
        )
        .openapi({ description: "Why each item matched: the clause and the kind of evidence" }),
      dispatchWithin: z
        .number()
        .int()
        .nullable()
        .openapi({ description: "Minutes: the shortest dispatch limit of the matched items (60 if none)" }),
    }),
    marketEntity: z.object({
      flag: z.boolean(),
      confidence: Confidence,
      band: Band,
      automation: Automation,
      reasons: z.array(z.string()).openapi({
        description:
          "Business subject and matter found, or the boundary (consumer, employee, neighbour) that ruled it out",
      }),
    }),
    deadlines: z.object({
      respondBy: z.string().openapi({ description: "ISO time" }),
      completeBy: z.string(),
      rule: z.enum(["2135", "emergency", "standard", "crisis"]).openapi({
        description:
          "crisis: related to the declared crisis (natural days); the others as in knowledge/rules.yaml",
      }),
      basis: z.string().openapi({
        description: "Why these limits, in Chinese",
        example: "市场主体·咨询：1个工作日（2135）",
      }),
      warnings: z.array(z.string()).openapi({
        description:
          "calendar-not-covered:YYYY when the count crossed a year without holiday data (only weekends counted as days off there)",
        example: ["calendar-not-covered:2027"],
      }),
      warningDetails: z
        .array(z.object({ code: z.string(), message: z.string() }))
        .openapi({ description: "The same warnings, each with a Chinese message for the agent" }),
    }),
    crisis: z
      .object({
        name: z.string().openapi({ example: "台风「海燕」" }),
        related: z.boolean().openapi({ description: "true: this request gets the crisis time limits" }),
        reasons: z.array(z.string()).openapi({ example: ["关键词「台风」"] }),
      })
      .nullable()
      .openapi({
        description: "The declared crisis and this request's relation to it; null when no crisis is declared",
      }),
    scripts: z
      .array(
        z.object({
          id: z.string(),
          title: z.string(),
          answer: z.string().openapi({ description: "Approved wording, verbatim" }),
          score: z.number(),
          onTopic: z
            .number()
            .min(0)
            .max(1)
            .openapi({ description: "Calibrated probability that the script is on topic", example: 0.93 }),
          basis: PolicyBasisViewSchema.openapi({
            description: "The policy basis the script rests on; unknown parts are empty (never invented)",
          }),
          matchedText: z.string(),
          departments: z.array(z.string()),
          category: z.array(z.string()),
        }),
      )
      .max(5),
    scriptsConfident: z.boolean().openapi({
      description:
        "Whether the best script is on topic with the calibrated confidence; false: no reliable script (未找到可靠口径), search instead of reading one",
    }),
    similarCases: z
      .array(
        z.object({
          id: z.string(),
          text: z.string(),
          department: z.string().nullable(),
          category: z.array(z.string()),
          similarity: z.number(),
        }),
      )
      .max(5),
    possibleDuplicates: z.array(PossibleDuplicateSchema).max(5).openapi({
      description:
        "并单 hints: open requests of the last 14 days about the same problem at the same place, with why",
    }),
    timings: z.object({
      totalMs: z.number(),
      embedMs: z.number(),
      searchMs: z.number(),
      neighboursMs: z.number(),
      scoringMs: z.number(),
    }),
  })
  .openapi("Suggestion");

export const FeedbackRequestSchema = z
  .object({
    finalCategory: documented(feedbackField.finalCategory, {
      description: "A category path of 1–3 levels that exists in the taxonomy (422 otherwise)",
    }),
    finalDepartments: documented(feedbackField.finalDepartments, {
      description: "Known department codes, lead first (422 otherwise)",
    }),
    finalType: feedbackField.finalType,
    acceptedScriptIds: feedbackField.acceptedScriptIds.unwrap().optional(),
    dismissedScriptIds: feedbackField.dismissedScriptIds.unwrap().optional(),
    agentId: documented(feedbackField.agentId, {
      description:
        "Deprecated: the agent is the authenticated key. If sent, it must equal the key's name (403 otherwise)",
    }),
    confirmed: documented(feedbackField.confirmed, {
      description:
        "Fields the agent touched or explicitly confirmed (category, departments, type). When sent, only these fields' final values become labels; untouched preselections do not count. When left out, the final values sent are the labels",
    }),
    mergedWith: documented(feedbackField.mergedWith, {
      description:
        "并单: ids of this suggestion's possibleDuplicates the agent merged the request with (422 for any other id). Stored with the feedback and audited; the merged request is no longer offered as a 并单 candidate itself",
    }),
  })
  .strict()
  .openapi("Feedback");

export const DispatchEventRequestSchema = z
  .object({
    suggestionId: documented(dispatchField.suggestionId, {
      description:
        "Only the agent key that asked for the suggestion, or a reviewer/admin, may refer to it (404 otherwise)",
    }),
    caseId: dispatchField.caseId,
    kind: documented(dispatchField.kind, { description: "returned = 退单, reassigned = 改派" }),
    fromDepartment: dispatchField.fromDepartment,
    toDepartment: dispatchField.toDepartment,
    reason: dispatchField.reason,
  })
  .strict()
  .openapi("DispatchEvent");
