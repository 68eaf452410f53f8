import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { checkReadiness } from "#services/check-readiness";
import type { AppEnv } from "../env";
import { defaultHook } from "../errors";
import { jsonResponse } from "../openapi";

const LivenessSchema = z.object({ status: z.literal("ok") }).openapi("Liveness");

const ReadinessSchema = z
  .object({
    ready: z.boolean(),
    checks: z.array(
      z.object({
        name: z.string().openapi({ example: "database" }),
        ok: z.boolean(),
        advisory: z.boolean().optional().openapi({
          description: "reported only: a failed advisory check does not make the service unready",
        }),
        detail: z.string().optional().openapi({ example: "pglite, 3 of 3 migrations applied" }),
        coveredThrough: z.string().optional().openapi({
          description:
            "calendar check only: last day whose 放假/调休 are known (ok turns false 45 days before it)",
          example: "2026-12-31",
        }),
      }),
    ),
  })
  .openapi("Readiness");

export const healthRoutes = new OpenAPIHono<AppEnv>({ defaultHook });

healthRoutes.openapi(
  createRoute({
    method: "get",
    path: "/healthz",
    operationId: "liveness",
    tags: ["health"],
    summary: "The process is up",
    responses: { 200: jsonResponse(LivenessSchema, "Up") },
  }),
  (c) => c.json({ status: "ok" as const }, 200),
);

healthRoutes.openapi(
  createRoute({
    method: "get",
    path: "/readyz",
    operationId: "readiness",
    tags: ["health"],
    summary: "Migrations applied, model loaded, database reachable",
    responses: {
      200: jsonResponse(ReadinessSchema, "Ready"),
      503: jsonResponse(ReadinessSchema, "Not ready"),
    },
  }),
  async (c) => {
    const report = await checkReadiness({ deps: c.get("deps") });
    return c.json(report, report.ready ? 200 : 503);
  },
);

healthRoutes.get("/metrics", async (c) => {
  // Public like /healthz, for the Prometheus scraper on the internal network.
  const { contentType, body } = await c.get("deps").telemetry.render();
  return c.body(body, 200, { "content-type": contentType });
});
