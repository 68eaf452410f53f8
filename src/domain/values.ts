import { z } from "zod";

/**
 * Boundary primitives: the value types every request schema (API and service) is built from, so a
 * value the API accepts is never refused later by a service schema or the database (review #8).
 * Each refuses with a message instead of repairing the value: a NUL or a lone surrogate is not
 * silently dropped or replaced, because the caller would then get back something they did not send.
 */

/** Largest id a PostgreSQL `integer`/`serial` column holds; larger ids cannot exist. */
export const INT4_MAX = 2_147_483_647;

/** Instants (`receivedAt`, key expiry) outside these years are typing mistakes, not requests. */
export const INSTANT_RANGE = { fromYear: 2000, toYear: 2100 } as const;
/** Calendar dates (validity of scripts) may reach further back and ahead, but stay 4-digit. */
export const DATE_RANGE = { fromYear: 1900, toYear: 2999 } as const;

// With the u flag a surrogate class only matches code units that are not part of a pair.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Whether a string holds an unpaired UTF-16 surrogate (it cannot be encoded as UTF-8, so
 * PostgreSQL and every JSON consumer would get U+FFFD instead of what was hashed or checked).
 *
 * @example
 * hasLoneSurrogate("a\ud800"); // true
 * hasLoneSurrogate("😀"); // false
 */
export function hasLoneSurrogate(value: string): boolean {
  return LONE_SURROGATE.test(value);
}

/**
 * Why a string cannot cross the boundary (NUL or lone surrogate), or null when it can.
 *
 * @example
 * unstorableText("a\u0000b"); // "contains a NUL character"
 */
export function unstorableText(value: string): string | null {
  if (value.includes("\u0000")) return "contains a NUL character";
  if (hasLoneSurrogate(value)) return "contains an unpaired surrogate (invalid Unicode)";
  return null;
}

/**
 * The first string (or object key) inside a parsed JSON value that cannot be stored, with its
 * path, or null. Used once for every JSON body, before any route sees it.
 *
 * @example
 * findUnstorableString({ a: ["ok", "x\u0000"] }); // { path: "a.1", problem: "contains a NUL character" }
 */
export function findUnstorableString(
  value: unknown,
  path: string[] = [],
): { path: string; problem: string } | null {
  if (typeof value === "string") {
    const problem = unstorableText(value);
    return problem ? { path: path.join(".") || "body", problem } : null;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findUnstorableString(item, [...path, String(index)]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = unstorableText(key);
      if (keyProblem) return { path: [...path, "(key)"].join("."), problem: keyProblem };
      const found = findUnstorableString(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

function storable(schema: z.ZodString): z.ZodString {
  return schema
    .refine((value) => !value.includes("\u0000"), "must not contain a NUL character")
    .refine((value) => !hasLoneSurrogate(value), "must not contain an unpaired surrogate (invalid Unicode)");
}

/**
 * Free text from a person: trimmed, then 1..max characters (min 0 for optional notes), no NUL,
 * no lone surrogate. Whitespace-only is empty, so it is refused where text is required.
 *
 * @example
 * TextSchema({ max: 100 }).parse("  路灯坏了 "); // "路灯坏了"
 * TextSchema({ max: 100 }).safeParse("   ").success; // false
 */
export function TextSchema({ max, min = 1 }: { max: number; min?: number }): z.ZodString {
  return storable(z.string().trim().min(min).max(max));
}

/**
 * A database id in a JSON body: an integer 1..2³¹−1 (PostgreSQL `integer`).
 *
 * @example
 * IdSchema.safeParse(2 ** 31).success; // false
 */
export const IdSchema = z.number().int().min(1).max(INT4_MAX);

/**
 * A database id in a path or query string: decimal digits only (no "1e3", " 7", "0x10" or
 * full-width digits), 1..2³¹−1.
 *
 * @example
 * IdParamSchema.parse("42"); // 42
 * IdParamSchema.safeParse("2147483648").success; // false
 */
export const IdParamSchema = z
  .string()
  .regex(/^[0-9]{1,10}$/, "must be a decimal number")
  .transform(Number)
  .pipe(z.number().int().min(1).max(INT4_MAX));

/**
 * A small non-negative count in a query string (limits, offsets, days), bounded by `max`.
 *
 * @example
 * CountParamSchema({ min: 1, max: 200 }).parse("50"); // 50
 */
export function CountParamSchema({ min, max }: { min: number; max: number }) {
  return z
    .string()
    .regex(/^[0-9]{1,10}$/, "must be a decimal number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

/** Whether y-m-d names a day that exists (no 2026-02-30, no month 13). */
function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // setUTCFullYear: no two-digit-year quirk
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * A calendar day `YYYY-MM-DD` that exists, in DATE_RANGE.
 *
 * @example
 * CalendarDateSchema.safeParse("2026-13-45").success; // false
 * CalendarDateSchema.safeParse("2028-02-29").success; // true
 */
export const CalendarDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
  .refine((value) => {
    const [year, month, day] = value.split("-").map(Number) as [number, number, number];
    return year >= DATE_RANGE.fromYear && year <= DATE_RANGE.toYear && isRealDate(year, month, day);
  }, `must be a real calendar date between ${DATE_RANGE.fromYear} and ${DATE_RANGE.toYear}`);

/**
 * An ISO 8601 instant with an offset (`2026-03-02T10:15:00+08:00`), between INSTANT_RANGE's years.
 *
 * @example
 * InstantSchema.safeParse("9999-12-31T23:59:59Z").success; // false
 */
export const InstantSchema = z.iso.datetime({ offset: true }).refine((value) => {
  const time = Date.parse(value);
  if (Number.isNaN(time)) return false;
  const year = new Date(time).getUTCFullYear();
  return year >= INSTANT_RANGE.fromYear && year <= INSTANT_RANGE.toYear;
}, `must be a time between ${INSTANT_RANGE.fromYear} and ${INSTANT_RANGE.toYear}`);

/** How a request reached the centre. */
export const CHANNELS = ["phone", "web", "wechat", "app"] as const;
export type Channel = (typeof CHANNELS)[number];

/** person = a citizen; business = 市场主体 (the 2135 rule applies). */
export const CALLER_TYPES = ["person", "business"] as const;
export type CallerType = (typeof CALLER_TYPES)[number];

/** returned = 退单, reassigned = 改派. */
export const DISPATCH_KINDS = ["returned", "reassigned"] as const;
export type DispatchKind = (typeof DISPATCH_KINDS)[number];

/** Confidence band of a suggested label. */
export const CONFIDENCE_BANDS = ["high", "medium", "low"] as const;
export type ConfidenceBand = (typeof CONFIDENCE_BANDS)[number];

/**
 * A department's part in handling a request: lead (主办), assist (协办, only when the request needs
 * it), candidate (another department the agent may choose as lead).
 */
export const DEPARTMENT_ROLES = ["lead", "assist", "candidate"] as const;

/** Every state a script version can be in. */
export const VERSION_STATES = [
  "draft",
  "pending_review",
  "approved",
  "rejected",
  "published",
  "superseded",
] as const;
export type VersionState = (typeof VERSION_STATES)[number];
