import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SearchRequestSchema } from "#api/schemas/knowledge";
import {
  DispatchEventRequestSchema,
  FeedbackRequestSchema,
  SuggestRequestSchema,
} from "#api/schemas/suggest";
import {
  DispatchEventSchema,
  FeedbackInputSchema,
  SearchInputSchema,
  SuggestInputSchema,
} from "#domain/requests";
import {
  CalendarDateSchema,
  findUnstorableString,
  IdParamSchema,
  IdSchema,
  InstantSchema,
  TextSchema,
} from "#domain/values";

describe("boundary primitives (review #8)", () => {
  const text = TextSchema({ max: 10 });

  it.each([
    ["  路灯坏了 ", true],
    ["   ", false],
    ["\t\n\u3000", false],
    ["", false],
    ["路灯\u0000坏了", false],
    ["a\ud800", false],
    ["\udc00", false],
    ["😀", true],
    ["长".repeat(11), false],
  ])("TextSchema(%j) accepts: %s", (value, ok) => {
    expect(text.safeParse(value).success).toBe(ok);
  });

  it("trims what it accepts", () => {
    expect(text.parse("  路灯坏了 ")).toBe("路灯坏了");
  });

  it.each([
    ["1", true],
    ["2147483647", true],
    ["2147483648", false],
    ["0", false],
    ["-1", false],
    ["１２", false],
    ["1e3", false],
    ["0x10", false],
    [" 7", false],
    ["", false],
    ["NaN", false],
  ])("IdParamSchema(%j) accepts: %s", (value, ok) => {
    expect(IdParamSchema.safeParse(value).success).toBe(ok);
  });

  it.each([
    [1, true],
    [2 ** 31 - 1, true],
    [2 ** 31, false],
    [0, false],
    [1.5, false],
  ])("IdSchema(%j) accepts: %s", (value, ok) => {
    expect(IdSchema.safeParse(value).success).toBe(ok);
  });

  it.each([
    ["2026-03-02", true],
    ["2028-02-29", true],
    ["2026-02-29", false],
    ["2026-02-30", false],
    ["2026-13-45", false],
    ["0000-00-00", false],
    ["0100-06-01", false],
    ["9999-12-31", false],
    ["2026-3-2", false],
  ])("CalendarDateSchema(%j) accepts: %s", (value, ok) => {
    expect(CalendarDateSchema.safeParse(value).success).toBe(ok);
  });

  it.each([
    ["2026-03-02T10:15:00+08:00", true],
    ["2000-01-01T00:00:00Z", true],
    ["0100-06-01T00:00:00Z", false],
    ["0500-01-01T00:00:00Z", false],
    ["9999-12-31T23:59:59Z", false],
    ["2026-13-45T00:00:00Z", false],
    ["2026-03-02", false],
  ])("InstantSchema(%j) accepts: %s", (value, ok) => {
    expect(InstantSchema.safeParse(value).success).toBe(ok);
  });

  it("finds a NUL or lone surrogate anywhere in a parsed body, keys included", () => {
    expect(findUnstorableString({ a: ["ok", { b: "x\u0000" }] })).toEqual({
      path: "a.1.b",
      problem: "contains a NUL character",
    });
    expect(findUnstorableString({ "k\ud800": 1 })?.path).toBe("(key)");
    expect(findUnstorableString({ a: ["😀", "社保卡"] })).toBeNull();
  });
});

/**
 * Whatever an API request schema accepts, the service's schema accepts too: otherwise the service
 * refuses it with a bare ZodError past the boundary (the review's #8 500s).
 */
describe("API and service schemas agree", () => {
  const hostileText = fc.oneof(
    fc.string({ unit: "binary", maxLength: 20 }),
    fc.constantFrom("   ", "\t\n\u3000", "\u0000", "a\ud800", "１２", " rsj ", "", "长".repeat(6000)),
  );
  const pairs = [
    [
      "suggest",
      SuggestRequestSchema,
      SuggestInputSchema,
      {
        text: hostileText,
        district: hostileText,
        receivedAt: fc.constantFrom(
          "2026-03-02T10:15:00+08:00",
          "9999-12-31T23:59:59Z",
          "0100-06-01T00:00:00Z",
        ),
      },
    ],
    [
      "feedback",
      FeedbackRequestSchema,
      FeedbackInputSchema,
      {
        agentId: hostileText,
        finalDepartments: fc.array(hostileText, { maxLength: 3 }),
        finalCategory: fc.array(hostileText, { maxLength: 3 }),
        acceptedScriptIds: fc.array(hostileText, { maxLength: 3 }),
      },
    ],
    [
      "dispatch",
      DispatchEventRequestSchema,
      DispatchEventSchema,
      {
        kind: fc.constantFrom("returned", "reassigned"),
        fromDepartment: hostileText,
        toDepartment: hostileText,
        reason: hostileText,
        caseId: hostileText,
      },
    ],
    [
      "search",
      SearchRequestSchema,
      SearchInputSchema,
      {
        query: hostileText,
        filters: fc.record(
          { region: hostileText, departments: fc.array(hostileText, { maxLength: 2 }) },
          { requiredKeys: [] },
        ),
      },
    ],
  ] as const;

  it.each(pairs)("%s: every body the API accepts, the service accepts", (_name, api, service, fields) => {
    fc.assert(
      fc.property(
        fc.record(fields as Record<string, fc.Arbitrary<unknown>>, { requiredKeys: [] }),
        (body) => {
          if (api.safeParse(body).success) expect(service.safeParse(body).success).toBe(true);
        },
      ),
      { numRuns: 300, seed: 42 },
    );
  });
});
