import { z } from "@hono/zod-openapi";
import { OUTCOME_HEADS } from "#domain/outcomes";
import { CalendarDateSchema, CONFIDENCE_BANDS, CountParamSchema, TextSchema } from "#domain/values";
import { MAX_EVENTS_PER_BATCH } from "#domain/work-orders";
import { documented } from "../openapi";
import { SpikeAlertSchema } from "./reports";

const EVENT_DOC = [
  "One platform event. Every event has `eventId` (idempotency key), `orderId`, `kind` and `at` (when it",
  "happened; `created` may leave it out: then receivedAt). By kind:",
  "`created` {receivedAt, channel: phone|web|wechat|app, text, callerType: person|business, district?, suggestionId?};",
  "`dispatched` {departments: [{code, role: 主办|协办}]}; `returned` (退单) {department, reason};",
  "`reassigned` (改派) {from, to, reason}; `closed` {category: [l1,l2?,l3?], type, urgent, marketEntity,",
  "departments: [{code, role}], result}; `rated` {satisfaction: 满意|基本满意|不满意}.",
  "Each event is checked on its own: a bad one is listed in `results`, the others still apply.",
].join(" ");

export const WorkOrderEventsRequestSchema = z
  .strictObject({
    events: z
      .array(
        z.record(z.string(), z.unknown()).openapi({
          description: EVENT_DOC,
          example: {
            eventId: "evt-000001",
            orderId: "YJ2026030200001",
            kind: "created",
            receivedAt: "2026-03-02T09:15:00+08:00",
            channel: "phone",
            text: "小区门口路灯坏了一个星期",
            callerType: "person",
            suggestionId: "0b7f6c1e-3a55-4b8e-9d2a-6c1f2e3d4a5b",
          },
        }),
      )
      .min(1)
      .max(MAX_EVENTS_PER_BATCH)
      .openapi({ description: `1–${MAX_EVENTS_PER_BATCH} events, in any order` }),
  })
  .openapi("WorkOrderEvents");

export const WorkOrderBatchReportSchema = z
  .object({
    stored: z.number().int(),
    duplicates: z.number().int().openapi({ description: "Replays of stored events (nothing changed)" }),
    rejected: z.number().int(),
    results: z.array(
      z.object({
        index: z.number().int().openapi({ description: "Position in the batch, from 0" }),
        eventId: z.string().nullable(),
        orderId: z.string().nullable(),
        status: z.enum(["stored", "duplicate", "rejected"]),
        orderStatus: z
          .enum(["awaiting-created", "open", "dispatched", "returned", "closed"])
          .optional()
          .openapi({ description: "The order's status after the event" }),
        error: z
          .object({ code: z.enum(["BAD_REQUEST", "UNPROCESSABLE", "CONFLICT"]), message: z.string() })
          .optional()
          .openapi({ description: "Why the event was not stored (nothing of it was)" }),
      }),
    ),
  })
  .openapi("WorkOrderBatchReport");

export const OrderIdParamSchema = documented(TextSchema({ max: 100 }), {
  param: { name: "orderId", in: "path" },
  example: "YJ2026030200001",
});

const Labelled = <T extends z.ZodType>(value: T) =>
  z.object({ value, source: z.enum(["closed", "feedback", "dispatch"]) }).nullable();

export const WorkOrderSchema = z
  .object({
    order: z.record(z.string(), z.unknown()).openapi({
      description:
        "The order derived from all its events in event-time order: status, created, departments (now), returns (退单), reassignments (改派), closed, satisfaction",
    }),
    labels: z.object({
      category: Labelled(z.array(z.string())),
      type: Labelled(z.string()),
      urgent: Labelled(z.boolean()),
      marketEntity: Labelled(z.boolean()),
      departments: Labelled(z.array(z.string())),
      rejectedDepartments: z.array(z.string()).openapi({
        description: "Returned by or reassigned away from: never a label of this order",
      }),
    }),
    events: z
      .array(z.record(z.string(), z.unknown()))
      .openapi({ description: "Stored events (texts masked)" }),
    feedback: z.unknown().openapi({ description: "The console feedback on the order's suggestion, if any" }),
  })
  .openapi("WorkOrder");

export const AccuracyQuerySchema = z.object({
  from: documented(CalendarDateSchema, {
    param: { name: "from", in: "query" },
    description: "First day (China time), by when orders were received",
    example: "2026-03-01",
  }),
  to: documented(CalendarDateSchema, {
    param: { name: "to", in: "query" },
    description: "Last day, inclusive",
    example: "2026-03-31",
  }),
  interval: z
    .enum(["day", "week"])
    .default("week")
    .openapi({ param: { name: "interval", in: "query" }, description: "Buckets (weeks start on Monday)" }),
});

export const KnownFailsQuerySchema = z.object({
  from: AccuracyQuerySchema.shape.from,
  to: AccuracyQuerySchema.shape.to,
  minCount: CountParamSchema({ min: 1, max: 1000 })
    .optional()
    .openapi({ param: { name: "minCount", in: "query" }, description: "Least occurrences (default 2)" }),
});

const BandSchema = z.object({
  count: z.number().int(),
  coverage: z
    .number()
    .openapi({ description: "Share of the bucket's orders whose top suggestion had this band" }),
  top1: z.number().nullable(),
});

const HeadSchema = z.object({
  count: z.number().int(),
  correctTop1: z.number().int(),
  correctTop3: z.number().int(),
  top1: z.number().nullable(),
  top3: z.number().nullable(),
  bands: z
    .object(
      Object.fromEntries(CONFIDENCE_BANDS.map((band) => [band, BandSchema])) as Record<
        (typeof CONFIDENCE_BANDS)[number],
        typeof BandSchema
      >,
    )
    .nullable()
    .openapi({
      description: "Per band of the top suggestion; null for heads without bands (urgent, marketEntity)",
    }),
});

const HeadsSchema = z.object(
  Object.fromEntries(OUTCOME_HEADS.map((head) => [head, HeadSchema])) as Record<
    (typeof OUTCOME_HEADS)[number],
    typeof HeadSchema
  >,
);

export const AccuracyReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    interval: z.enum(["day", "week"]),
    heads: z.array(z.enum(OUTCOME_HEADS)),
    linkedOrders: z.number().int().openapi({
      description:
        "Closed orders in the range that name a suggestion (total.orders of them still had it stored)",
    }),
    total: z.object({ orders: z.number().int(), heads: HeadsSchema }),
    buckets: z.array(z.object({ start: z.string(), orders: z.number().int(), heads: HeadsSchema })),
  })
  .openapi("AccuracyReport");

export const AccuracyAlertsSchema = z
  .object({
    settings: z.object({ margin: z.number(), baselineWeeks: z.number().int(), minOrders: z.number().int() }),
    weeks: z.array(z.string()).openapi({ description: "The weeks looked at (Mondays)" }),
    alerts: z.array(
      z.object({
        kind: z.literal("accuracy"),
        head: z.enum(OUTCOME_HEADS),
        week: z.string(),
        top1: z.number(),
        baseline: z.number(),
        drop: z.number(),
        orders: z.number().int(),
        baselineWeeks: z.array(z.string()),
      }),
    ),
    spikeAlerts: z.array(SpikeAlertSchema).openapi({
      description:
        "Categories, departments, districts and topics far above their usual level for this weekday and hour (kind `spike`)",
    }),
  })
  .openapi("AccuracyAlerts");

export const KnownFailsSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    orders: z.number().int(),
    fails: z.array(
      z.object({
        head: z.enum(OUTCOME_HEADS),
        suggested: z.string(),
        final: z.string(),
        count: z.number().int(),
        examples: z.array(z.string()).openapi({ description: "Order ids, newest first" }),
      }),
    ),
  })
  .openapi("KnownFails");
