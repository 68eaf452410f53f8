import { z } from "@hono/zod-openapi";

const Band = z
  .enum(["high", "medium", "low"])
  .openapi({ description: "Per-label band from the calibrated confidence" });
const Confidence = z.number().min(0).max(1).openapi({ description: "Calibrated probability" });

export const SuggestRequestSchema = z
  .object({
    text: z.string().min(1).max(5000).openapi({
      description: "What the citizen says, as typed by the agent",
      example: "我哋公司喺高新区，想问下企业开办补贴点样申请",
    }),
    channel: z.enum(["phone", "web", "wechat", "app"]).optional(),
    callerType: z
      .enum(["person", "business"])
      .optional()
      .openapi({ description: "business = 市场主体 (2135 rule)" }),
    district: z.string().max(20).optional().openapi({ example: "gxq" }),
    receivedAt: z.iso.datetime({ offset: true }).optional().openapi({ example: "2026-03-02T10:15:00+08:00" }),
  })
  .strict()
  .openapi("SuggestRequest");

export const SuggestResponseSchema = z
  .object({
    id: z.string().uuid(),
    modelVersion: z.string().openapi({ description: "Classifier artifact version, or 'untrained'" }),
    category: z
      .array(z.object({ path: z.array(z.string()).min(1).max(3), confidence: Confidence, band: Band }))
      .max(3)
      .openapi({ description: "Top 3 category paths [l1, l2, l3]" }),
    type: z.array(
      z.object({
        label: z.enum(["咨询", "求助", "投诉", "举报", "建议", "表扬"]),
        confidence: Confidence,
        band: Band,
      }),
    ),
    departments: z
      .array(
        z.object({
          code: z.string().openapi({ example: "rsj" }),
          name: z.string(),
          role: z.enum(["lead", "assist"]),
          confidence: Confidence,
          band: Band,
          reasons: z
            .array(z.string())
            .openapi({ description: "Catalogue duty, emergency rule, similar cases, script, model score" }),
        }),
      )
      .max(3),
    urgent: z.object({
      flag: z.boolean(),
      confidence: Confidence,
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
    marketEntity: z.object({ flag: z.boolean(), confidence: Confidence, reasons: z.array(z.string()) }),
    deadlines: z.object({
      respondBy: z.string().openapi({ description: "ISO time" }),
      completeBy: z.string(),
      rule: z.enum(["2135", "emergency", "standard"]),
      warnings: z.array(z.string()).openapi({
        description:
          "calendar-not-covered:YYYY when the count crossed a year without holiday data (only weekends counted as days off there)",
        example: ["calendar-not-covered:2027"],
      }),
    }),
    scripts: z
      .array(
        z.object({
          id: z.string(),
          title: z.string(),
          answer: z.string().openapi({ description: "Approved wording, verbatim" }),
          score: z.number(),
          matchedText: z.string(),
          departments: z.array(z.string()),
          category: z.array(z.string()),
        }),
      )
      .max(5),
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
    finalCategory: z.array(z.string().min(1)).min(1).max(3).optional(),
    finalDepartments: z
      .array(z.string().min(1))
      .min(1)
      .max(5)
      .optional()
      .openapi({ description: "Lead first" }),
    finalType: z.enum(["咨询", "求助", "投诉", "举报", "建议", "表扬"]).optional(),
    acceptedScriptIds: z.array(z.string()).max(20).optional(),
    dismissedScriptIds: z.array(z.string()).max(20).optional(),
    agentId: z.string().min(1).max(100),
  })
  .strict()
  .openapi("Feedback");

export const DispatchEventRequestSchema = z
  .object({
    suggestionId: z.string().uuid().optional(),
    caseId: z.string().max(100).optional(),
    kind: z.enum(["returned", "reassigned"]).openapi({ description: "returned = 退单, reassigned = 改派" }),
    fromDepartment: z.string().min(1).max(20),
    toDepartment: z.string().min(1).max(20).optional(),
    reason: z.string().min(1).max(1000),
  })
  .strict()
  .openapi("DispatchEvent");
