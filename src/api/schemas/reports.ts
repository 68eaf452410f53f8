import { z } from "@hono/zod-openapi";
import { CalendarDateSchema, TextSchema } from "#domain/values";
import { documented } from "../openapi";

const Counted = z.object({ key: z.string(), label: z.string(), count: z.number().int() });

export const SpikeAlertSchema = z
  .object({
    kind: z.literal("spike"),
    id: z.string().openapi({ example: "spike-20261130-1a2b3c4d", description: "Stable through the day" }),
    dimension: z.enum(["category", "department", "district", "topic"]),
    value: z.string().openapi({ description: "Department code, category path, district or topic id" }),
    label: z.string().openapi({ description: "Department name, topic label, or the value itself" }),
    key: z.string().openapi({ example: "department:zjj" }),
    count: z.number().int().openapi({ description: "Requests in the window" }),
    usual: z.number().openapi({ description: "Mean of the same weekday and hours in the previous weeks" }),
    previous: z.array(z.number().int()).openapi({ description: "Those weeks' counts, oldest first" }),
    ratio: z.number(),
    windowStart: z.string(),
    windowEnd: z.string(),
    basis: z.string().openapi({ description: "How the usual level was taken, in Chinese" }),
    crisis: z
      .object({ name: z.string(), linkedBy: z.string(), linkedAt: z.string() })
      .nullable()
      .openapi({ description: "The crisis an admin linked the alert to" }),
  })
  .openapi("SpikeAlert");

export const AlertIdParamSchema = documented(TextSchema({ max: 100 }), {
  param: { name: "alertId", in: "path" },
  example: "spike-20261130-1a2b3c4d",
});

export const AlertCrisisRequestSchema = z
  .strictObject({
    reason: z.string().trim().min(1).max(500).openapi({ example: "台风过境，燃气报修激增" }),
    declare: z
      .strictObject({
        name: z.string().trim().min(1).max(50),
        keywords: z.array(z.string().trim().min(1).max(30)).max(50).optional(),
        categories: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
      })
      .optional()
      .openapi({
        description:
          "Declare a new crisis from the alert (audited like PUT /v1/admin/crisis). Left out: link to the crisis in force. Without keywords and categories a category alert declares its category, a topic alert its three main keywords",
      }),
  })
  .openapi("AlertCrisisRequest");

export const AlertCrisisLinkSchema = z
  .object({
    alert: SpikeAlertSchema,
    crisis: z
      .record(z.string(), z.unknown())
      .openapi({ description: "The crisis in force (GET /v1/crisis)" }),
  })
  .openapi("AlertCrisisLink");

export const DailyReportQuerySchema = z.object({
  date: documented(CalendarDateSchema, {
    param: { name: "date", in: "query" },
    description: "The centre's day (Asia/Shanghai)",
    example: "2026-11-30",
  }),
});

const DueItemSchema = z.object({
  orderId: z.string(),
  receivedAt: z.string().nullable(),
  completeBy: z.string(),
  department: z.string().nullable(),
  departmentName: z.string().nullable(),
  hours: z.number().openapi({ description: "Hours past the deadline (overdue) or left (near due)" }),
  summary: z.string().openapi({ description: "Masked text" }),
});

export const DailyReportSchema = z
  .object({
    date: z.string(),
    timeZone: z.literal("Asia/Shanghai"),
    from: z.string(),
    to: z.string(),
    asOf: z.string().openapi({ description: "When open orders and spikes are taken: the day's end, or now" }),
    generatedAt: z.string(),
    volume: z.object({
      orders: z.number().int().openapi({ description: "Work orders received that day" }),
      suggestions: z.number().int().openapi({ description: "Suggestions served that day" }),
      byChannel: z.array(Counted),
      byCategory: z
        .array(Counted)
        .openapi({ description: "First level: the closed one, else the suggested" }),
      byDepartment: z.array(Counted).openapi({ description: "Lead department" }),
      byDistrict: z.array(Counted),
    }),
    hotTopics: z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        count: z.number().int(),
        heat: z.number(),
        keywords: z.array(z.string()),
        district: z.string().nullable(),
      }),
    ),
    spikes: z.array(SpikeAlertSchema),
    business2135: z.object({
      overdue: z.array(DueItemSchema),
      nearDue: z.array(DueItemSchema),
      unknownDue: z
        .number()
        .int()
        .openapi({ description: "Open 2135 orders without a linked suggestion's deadline" }),
      nearDueHours: z.number(),
    }),
    urgent: z.array(
      z.object({
        source: z.enum(["order", "suggestion"]),
        id: z.string(),
        at: z.string(),
        department: z.string().nullable(),
        departmentName: z.string().nullable(),
        summary: z.string(),
      }),
    ),
    disputes: z.array(
      z.object({
        department: z.string(),
        name: z.string(),
        returned: z.number().int(),
        reassignedAway: z.number().int(),
        reassignedTo: z.number().int(),
        pairs: z.array(
          z.object({ from: z.string(), to: z.string(), toName: z.string(), count: z.number().int() }),
        ),
      }),
    ),
  })
  .openapi("DailyReport");

export const TopicIdParamSchema = documented(TextSchema({ max: 100 }), {
  param: { name: "topicId", in: "path" },
  example: "topic-0b7f6c1e-3a55-4b8e-9d2a-6c1f2e3d4a5b",
});

export const TopicReportSchema = z
  .object({
    id: z.string(),
    label: z.string(),
    keywords: z.array(z.string()),
    places: z.array(z.string()),
    district: z.string().nullable(),
    count: z.number().int(),
    heat: z.number(),
    firstAt: z.string(),
    lastAt: z.string(),
    perDay: z.array(z.object({ key: z.string(), count: z.number().int() })),
    examples: z
      .array(z.object({ id: z.string(), at: z.string(), summary: z.string() }))
      .openapi({ description: "Latest requests, masked text" }),
    departments: z.array(z.object({ code: z.string(), name: z.string(), count: z.number().int() })),
    orders: z.object({
      linked: z.number().int(),
      open: z.number().int(),
      overdue: z.number().int(),
      business2135: z.number().int(),
    }),
    draft: z
      .object({
        title: z.string(),
        sections: z.array(z.object({ heading: z.string(), text: z.string() })),
      })
      .openapi({ description: "专报 draft; 【待填写：…】 marks what a person must write" }),
    generatedAt: z.string(),
  })
  .openapi("TopicReport");

export const MonthQuerySchema = z.object({
  month: z
    .string()
    .regex(/^(19|20)\d{2}-(0[1-9]|1[0-2])$/)
    .openapi({
      param: { name: "month", in: "query" },
      example: "2026-11",
      description: "The centre's month",
    }),
});

export const AgentBoardSchema = z
  .object({
    month: z.string(),
    agents: z.array(
      z.object({
        agent: z.string(),
        suggestions: z.number().int(),
        withFeedback: z.number().int(),
        accepted: z
          .number()
          .int()
          .openapi({ description: "Feedback correcting no field the agent set or confirmed" }),
        acceptance: z.number().nullable(),
        corrections: z.object({
          category: z.number().int(),
          departments: z.number().int(),
          type: z.number().int(),
        }),
        scriptsUsed: z.number().int(),
        distinctScripts: z.number().int(),
        avgHandlingSeconds: z
          .number()
          .nullable()
          .openapi({ description: "Mean seconds from the suggestion to the agent's feedback" }),
      }),
    ),
  })
  .openapi("AgentBoard");

export const DepartmentBoardSchema = z
  .object({
    month: z.string(),
    departments: z.array(
      z.object({
        department: z.string(),
        name: z.string(),
        received: z.number().int(),
        returned: z.number().int(),
        returnRate: z.number().nullable(),
        reassignedAway: z.number().int(),
        pairs: z.array(
          z.object({ from: z.string(), to: z.string(), toName: z.string(), count: z.number().int() }),
        ),
        closedWithDeadline: z.number().int(),
        closedOverdue: z.number().int(),
        overdueRate: z.number().nullable(),
      }),
    ),
  })
  .openapi("DepartmentBoard");
