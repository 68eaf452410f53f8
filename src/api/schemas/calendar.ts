import { z } from "@hono/zod-openapi";

const CalendarDaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .openapi({ example: "2027-10-01" });

export const CalendarYearRequestSchema = z
  .object({
    notice: z.string().min(1).max(200).openapi({
      description: "The State Council notice it was typed from",
      example: "国务院办公厅关于2027年部分节假日安排的通知",
    }),
    holidays: z
      .array(
        z
          .object({
            name: z.string().min(1).max(30).openapi({ example: "国庆节" }),
            from: CalendarDaySchema,
            to: CalendarDaySchema,
          })
          .strict(),
      )
      .min(1)
      .max(20)
      .openapi({
        description: "Every holiday period (all seven statutory holidays), first and last day off",
      }),
    workdays: z
      .array(CalendarDaySchema)
      .max(20)
      .default([])
      .openapi({ description: "调休: weekend days that are working days" }),
  })
  .strict()
  .openapi("CalendarYear");

export const StoredCalendarYearSchema = CalendarYearRequestSchema.extend({
  year: z.number().int().openapi({ example: 2027 }),
  source: z.enum(["file", "api"]),
}).openapi("StoredCalendarYear");

export const CalendarStatusSchema = z
  .object({
    coveredThrough: z.string().openapi({ example: "2026-12-31" }),
    ok: z.boolean().openapi({ description: "false within 45 days of coveredThrough" }),
    message: z
      .string()
      .nullable()
      .openapi({ description: "Chinese warning for the consoles; null while ok" }),
    years: z.array(
      z.object({
        year: z.number().int(),
        notice: z.string(),
        source: z.enum(["file", "api"]),
        updatedBy: z.string(),
        updatedAt: z.string(),
      }),
    ),
  })
  .openapi("CalendarStatus");
