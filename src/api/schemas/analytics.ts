import { z } from "@hono/zod-openapi";
import { CalendarDateSchema, CountParamSchema, InstantSchema } from "#domain/values";

/** A day (Beijing time; `to` includes the whole day) or an instant with its offset. */
const RangeBoundSchema = z.union([CalendarDateSchema, InstantSchema]).openapi({ example: "2026-11-25" });

export const HotTopicsQuerySchema = z.object({
  from: RangeBoundSchema.optional().openapi({ description: "Default: 7 days before `to`" }),
  to: RangeBoundSchema.optional().openapi({ description: "Default: now" }),
  limit: CountParamSchema({ min: 1, max: 100 }).default(10),
});

export const HotTopicSchema = z
  .object({
    id: z.string(),
    label: z.string().openapi({ example: "江城区 魅力之城小区 油烟、餐饮、扰民" }),
    keywords: z.array(z.string()),
    count: z.number().int(),
    firstAt: z.string(),
    lastAt: z.string(),
    heat: z.number().openapi({ description: "count × (1 + share in its last week) + log2(1 + likes)" }),
    memberIds: z.array(z.string()).openapi({ description: "`suggestion:<id>` / `order:<id>`" }),
    district: z.string().nullable(),
    places: z.array(z.string()),
  })
  .openapi("HotTopic");

export const HotTopicsSchema = z.object({ topics: z.array(HotTopicSchema) }).openapi("HotTopics");

export const HotTopicUpdateSchema = z
  .object({ placed: z.number().int(), topicsChanged: z.number().int() })
  .openapi("HotTopicUpdate");

export const SpikeSchema = z
  .object({
    key: z.string().openapi({ example: "department:zjj" }),
    count: z.number().int(),
    usual: z.number().openapi({ description: "Mean of the same window in the previous weeks" }),
    previous: z.array(z.number().int()).openapi({ description: "Those weeks' counts, oldest first" }),
    ratio: z.number(),
    windowStart: z.string(),
    windowEnd: z.string(),
  })
  .openapi("Spike");

export const SpikesSchema = z.object({ spikes: z.array(SpikeSchema) }).openapi("Spikes");

export const PossibleDuplicateSchema = z
  .object({
    id: z.string(),
    similarity: z.number(),
    sharedPlaces: z.array(z.string()),
    at: z.string(),
    summary: z.string(),
    why: z.string(),
  })
  .openapi("PossibleDuplicate");

/** `YYYY-MM-DD` is a Beijing day; as an upper bound it includes that whole day. */
export function rangeBound(value: string, end: boolean): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(value);
  const start = new Date(`${value}T00:00:00+08:00`);
  return end ? new Date(start.getTime() + 86_400_000) : start;
}
