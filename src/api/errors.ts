import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ZodError } from "zod";
import type { ErrorCode } from "#domain/errors";
import { DomainError, ERROR_CODES } from "#domain/errors";
import { maskPersonalData } from "#domain/text/pii";
import type { AppEnv } from "./env";

export const ErrorCodeSchema = z.enum(ERROR_CODES);

export const ErrorSchema = z
  .object({
    error: z.object({
      code: ErrorCodeSchema.openapi({ example: "BAD_REQUEST" }),
      message: z.string().openapi({ example: "text: Too small: expected string to have >=1 characters" }),
      requestId: z.string().openapi({ example: "req_6f1c2b7e9a4d" }),
      details: z.unknown().optional(),
    }),
  })
  .openapi("Error");

export type ErrorBody = z.infer<typeof ErrorSchema>;

export function statusOf(code: ErrorCode): ContentfulStatusCode {
  switch (code) {
    case "BAD_REQUEST":
      return 400;
    case "UNAUTHORIZED":
      return 401;
    case "FORBIDDEN":
      return 403;
    case "NOT_FOUND":
      return 404;
    case "CONFLICT":
      return 409;
    case "PAYLOAD_TOO_LARGE":
      return 413;
    case "UNPROCESSABLE":
      return 422;
    case "RATE_LIMITED":
      return 429;
    case "SERVICE_UNAVAILABLE":
    case "MODEL_UNAVAILABLE":
      return 503;
    case "INTERNAL":
      return 500;
  }
}

function codeOfStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return "BAD_REQUEST";
    case 401:
      return "UNAUTHORIZED";
    case 403:
      return "FORBIDDEN";
    case 404:
      return "NOT_FOUND";
    case 409:
      return "CONFLICT";
    case 413:
      return "PAYLOAD_TOO_LARGE";
    case 422:
      return "UNPROCESSABLE";
    case 429:
      return "RATE_LIMITED";
    case 503:
      return "SERVICE_UNAVAILABLE";
    default:
      return status >= 500 ? "INTERNAL" : "BAD_REQUEST";
  }
}

/** An error the HTTP layer raises itself (auth, limits). */
export class ApiError extends HTTPException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(statusOf(code), { message });
  }
}

export function errorResponse(c: Context<AppEnv>, code: ErrorCode, message: string, details?: unknown) {
  const body: ErrorBody = {
    error: { code, message, requestId: c.get("requestId") ?? "unknown", ...(details ? { details } : {}) },
  };
  return c.json(body, statusOf(code));
}

const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "57P01",
  "57P03",
  "08006",
  "08001",
]);
const UNAVAILABLE_MESSAGE = /connect|connection terminated|timeout|did not answer|terminating connection/i;

/** PostgreSQL SQLSTATEs that mean "this input cannot be stored", not "the server broke". */
const INVALID_INPUT_CODES = new Set([
  "22P05", // untranslatable character (\u0000 in text or jsonb)
  "22021", // invalid byte sequence
  "22003", // numeric value out of range (ids ≥ 2³¹)
  "22007", // invalid datetime format
  "22008", // datetime field overflow (2026-13-45)
  "22P02", // invalid text representation
  "54000", // program limit exceeded (e.g. a value too large for an index)
]);
/** Disk full: the service cannot write now, but nothing is wrong with the request. */
const NO_SPACE_CODES = new Set(["53100", "ENOSPC"]);
const NO_SPACE_MESSAGE = /no space left|could not extend file/i;

/** Whether the error or one of its causes carries one of `codes` or a message matching `message`. */
function causedBy(error: unknown, codes: Set<string>, message?: RegExp, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 4) return false;
  const record = error as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof record.code === "string" && codes.has(record.code)) return true;
  if (message && typeof record.message === "string" && message.test(record.message)) return true;
  return causedBy(record.cause, codes, message, depth + 1);
}

/** "path: message; …" for zod issues, the same text for route and service validation. */
function zodMessage(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "body"}: ${issue.message}`)
    .join("; ");
}

/**
 * What may be logged of an error: name, code and message, with drizzle's `params:` (the request's
 * values, citizens' text among them) and the query cut off; the cause likewise (review #9).
 */
export function loggableError(error: unknown, depth = 0): Record<string, unknown> | undefined {
  if (!error || typeof error !== "object" || depth > 4) return undefined;
  const record = error as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    stack?: unknown;
    cause?: unknown;
  };
  // Masked too: a database message may quote the offending value, a citizen's number among them.
  const message =
    typeof record.message === "string" ? maskPersonalData(redactQuery(record.message)) : undefined;
  const stackFrames =
    typeof record.stack === "string"
      ? record.stack.split("\n").filter((line) => line.trimStart().startsWith("at "))
      : [];
  return {
    name: typeof record.name === "string" ? record.name : undefined,
    code: typeof record.code === "string" ? record.code : undefined,
    message,
    stack: stackFrames.slice(0, 12).join("\n"),
    cause: loggableError(record.cause, depth + 1),
  };
}

function redactQuery(message: string): string {
  const cut = message.search(/\bparams:|Failed query:/);
  return cut === -1 ? message : `${message.slice(0, cut)}[query and parameters not logged]`;
}

/** Maps every thrown error to the one error shape; unknown errors are logged and hidden. */
export function handleError(error: Error, c: Context<AppEnv>) {
  if (error instanceof ApiError) {
    const response = errorResponse(c, error.code, error.message, error.details);
    for (const [name, value] of Object.entries(error.headers)) response.headers.set(name, value);
    return response;
  }
  if (error instanceof DomainError) return errorResponse(c, error.code, error.message, error.details);
  if (error instanceof HTTPException) {
    return errorResponse(c, codeOfStatus(error.status), error.message || "request failed");
  }
  if (error instanceof ZodError) {
    // A service-level schema refused what the route's schema let through (review #8): still the caller's
    // input, but the two schemas disagree, which the boundary primitives exist to prevent: say so.
    c.get("logger")?.warn({ err: loggableError(error) }, "input refused past the route's schema");
    return errorResponse(c, "BAD_REQUEST", zodMessage(error));
  }
  if (error instanceof RangeError && /invalid time value/i.test(error.message)) {
    c.get("logger")?.warn({ err: loggableError(error) }, "a time out of range got past the route's schema");
    return errorResponse(c, "BAD_REQUEST", "a date or time is out of range");
  }
  if (causedBy(error, INVALID_INPUT_CODES)) {
    c.get("logger")?.warn({ err: loggableError(error) }, "input refused by the database");
    return errorResponse(
      c,
      "BAD_REQUEST",
      "a value cannot be stored (NUL character, impossible date or number out of range)",
    );
  }
  if (causedBy(error, NO_SPACE_CODES, NO_SPACE_MESSAGE)) {
    c.get("logger")?.error({ err: loggableError(error) }, "disk full");
    return errorResponse(
      c,
      "SERVICE_UNAVAILABLE",
      "the service cannot store data right now (disk full); try again later",
    );
  }
  // A database (or other dependency) that is down or not answering: fail fast with 503.
  if (causedBy(error, UNAVAILABLE_CODES, UNAVAILABLE_MESSAGE)) {
    c.get("logger")?.warn({ err: loggableError(error) }, "dependency unavailable");
    return errorResponse(c, "SERVICE_UNAVAILABLE", "the database is not reachable; try again shortly");
  }
  c.get("logger")?.error({ err: loggableError(error) }, "unhandled error");
  return errorResponse(c, "INTERNAL", "internal error");
}

/** zod-openapi validation failures become BAD_REQUEST with "path: message". */
export const defaultHook = (
  result: { success: true } | { success: false; error: z.ZodError },
  c: Context<AppEnv>,
) => {
  if (!result.success) return errorResponse(c, "BAD_REQUEST", zodMessage(result.error));
  return undefined;
};

/** Spread into every route's `responses` so OpenAPI documents the error shape. */
export function errorResponses(...statuses: ContentfulStatusCode[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: `Error (${status})`, content: { "application/json": { schema: ErrorSchema } } },
    ]),
  );
}
