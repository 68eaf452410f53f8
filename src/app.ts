import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import type { AppDeps, AppEnv } from "./api/env";
import { ApiError, defaultHook, errorResponse, handleError } from "./api/errors";
import { withJsonBodyChecks } from "./api/middleware/json-depth";
import { withAddressLimit, withPageBodyLimit, withRequestDeadline } from "./api/middleware/limits";
import { withRequestContext, withRequestLogging } from "./api/middleware/request-context";
import { adminRoutes } from "./api/routes/admin";
import { analyticsRoutes } from "./api/routes/analytics";
import { calendarRoutes } from "./api/routes/calendar";
import { catalogueRoutes } from "./api/routes/catalogue";
import { crisisRoutes } from "./api/routes/crisis";
import { apiDocsHandler } from "./api/routes/docs";
import { evalRunRoutes } from "./api/routes/eval-runs";
import { healthRoutes } from "./api/routes/health";
import { hitTestRoutes } from "./api/routes/hit-tests";
import { knowledgeGapRoutes } from "./api/routes/knowledge-gaps";
import { knowledgeScriptRoutes } from "./api/routes/knowledge-scripts";
import { knowledgeSearchRoutes } from "./api/routes/knowledge-search";
import { modelRoutes } from "./api/routes/models";
import { outcomeRoutes } from "./api/routes/outcomes";
import { pageRoutes } from "./api/routes/pages";
import { referenceRoutes } from "./api/routes/reference";
import { reportRoutes } from "./api/routes/reports";
import { suggestRoutes } from "./api/routes/suggest";

export type { AppDeps, AppEnv } from "./api/env";

const DEFAULT_MAX_BODY_BYTES = 256 * 1024;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Builds the whole HTTP application from its dependencies, without binding a port.
 *
 * @example
 * const app = createApp(deps);
 * const response = await app.request("/healthz");
 */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook });

  app.use("*", withRequestContext(deps), withRequestLogging(), withPageBodyLimit());
  // Before anything that costs work: an address spending failed authentications gets 429 (review #16).
  app.use("/v1/*", withAddressLimit());
  app.use("/login", withAddressLimit());
  app.use(
    "/v1/*",
    bodyLimit({
      maxSize: deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError("PAYLOAD_TOO_LARGE", "request body is too large");
      },
    }),
    withJsonBodyChecks(),
    // A stuck dependency must not hold an agent's request (and a connection) forever; long work
    // (hit tests) is cancelled with it rather than finished unseen.
    withRequestDeadline(deps.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS),
  );

  app.route("/", healthRoutes);
  app.route("/v1/knowledge", knowledgeSearchRoutes);
  app.route("/v1/knowledge", knowledgeScriptRoutes);
  app.route("/v1/knowledge", hitTestRoutes);
  app.route("/v1/knowledge", knowledgeGapRoutes); // 缺口 (#18)
  app.route("/v1", adminRoutes);
  app.route("/v1", suggestRoutes);
  app.route("/v1", catalogueRoutes);
  app.route("/v1", crisisRoutes);
  app.route("/v1", referenceRoutes); // /v1/admin/reference/{kind} (issue #16)
  app.route("/v1", analyticsRoutes);
  app.route("/v1", calendarRoutes);
  app.route("/v1", outcomeRoutes); // work-order events in, accuracy against final values out (#15)
  app.route("/v1", reportRoutes); // the daily report, 专报 drafts, boards, alert → crisis (#18)
  app.route("/v1", modelRoutes); // /v1/models… and /v1/jobs…
  app.route("/", evalRunRoutes); // /v1/eval/* and the HTML reports at /eval/runs/{id}/report
  // The web consoles (pages + their scripts); they call the /v1 API with a session cookie.
  app.route("/", pageRoutes);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An API key from `npm run keys:create` (shown once).",
  });

  const documentConfig = {
    openapi: "3.1.0",
    info: {
      title: "热线知识库与智能分类服务 API",
      version: "0.1.0",
      description: "Knowledge base and auto-classification for the 12345 government service hotline.",
    },
  };
  app.doc31("/openapi.json", documentConfig);
  // Rendered here, without Swagger UI's CDN script (review #20).
  app.get(
    "/docs",
    apiDocsHandler(() => app.getOpenAPI31Document(documentConfig)),
  );

  app.notFound((c) => errorResponse(c, "NOT_FOUND", `no route for ${c.req.method} ${c.req.path}`));
  app.onError(handleError);
  return app;
}

export type App = ReturnType<typeof createApp>;
