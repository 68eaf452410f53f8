import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { ROLES } from "#domain/access";
import { describeCalendar, putCalendarYear } from "#services/calendar";
import type { AppEnv } from "../env";
import { defaultHook, errorResponses } from "../errors";
import { callerOf, withRoles } from "../middleware/auth";
import { jsonBody, jsonResponse } from "../openapi";
import {
  CalendarStatusSchema,
  CalendarYearRequestSchema,
  StoredCalendarYearSchema,
} from "../schemas/calendar";

/** The working-day calendar: coverage for everyone, entering a year's notice for admins. */
export const calendarRoutes = new OpenAPIHono<AppEnv>({ defaultHook });
const security = [{ bearerAuth: [] }];

calendarRoutes.openapi(
  createRoute({
    method: "get",
    path: "/calendar",
    operationId: "calendarStatus",
    tags: ["calendar"],
    summary: "How far holidays and 调休 are known, and the entered years",
    security,
    middleware: [withRoles(...ROLES)] as const,
    responses: {
      200: jsonResponse(CalendarStatusSchema, "Calendar coverage"),
      ...errorResponses(401),
    },
  }),
  async (c) => c.json(await describeCalendar({ deps: c.get("deps") }), 200),
);

calendarRoutes.openapi(
  createRoute({
    method: "put",
    path: "/admin/calendar/{year}",
    operationId: "putCalendarYear",
    tags: ["calendar"],
    summary:
      "Enter one year's 放假/调休 notice (validated: real dates in the year, no day both off and working, all seven holidays); audited",
    security,
    middleware: [withRoles("admin")] as const,
    request: {
      params: z.object({
        year: z.coerce
          .number()
          .int()
          .min(1000)
          .max(9999)
          .openapi({ param: { name: "year", in: "path" }, example: 2027 }),
      }),
      ...jsonBody(CalendarYearRequestSchema),
    },
    responses: {
      200: jsonResponse(StoredCalendarYearSchema, "The year as stored"),
      ...errorResponses(400, 401, 403),
    },
  }),
  async (c) =>
    c.json(
      await putCalendarYear({
        deps: c.get("deps"),
        input: { year: c.req.valid("param").year, entry: c.req.valid("json") },
        actor: callerOf(c).name,
      }),
      200,
    ),
);
