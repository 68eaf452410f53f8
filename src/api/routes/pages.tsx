import type { Context } from "hono";
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import type { Child } from "hono/jsx";
import { secureHeaders } from "hono/secure-headers";
import { type Principal, type Role, roleAllowed } from "#domain/access";
import { centreDay } from "#domain/analytics/reports";
import { DomainError } from "#domain/errors";
import {
  CONSOLE_SESSION_HOURS,
  csrfTokenMatches,
  endConsoleSession,
  startConsoleSession,
} from "#services/console-sessions";
import { agentBoardOf, dailyReport, departmentBoardOf, topicReport } from "#services/reports";
import type { AppEnv } from "../env";
import { identify, SESSION_COOKIE } from "../middleware/auth";
import { AgentConsolePage } from "../pages/console";
import { EditorPage } from "../pages/editor";
import { EvalPage } from "../pages/eval";
import { CONSOLE_PAGES, pagesFor } from "../pages/layout";
import { LoginPage, MessagePage } from "../pages/login";
import { DailyReportPage, TopicReportPage } from "../pages/reports";

/** Server-rendered pages of the web consoles; their scripts call the JSON API with the session. */
export const pageRoutes = new Hono<AppEnv>();

const pageHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", "data:"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    objectSrc: ["'none'"],
  },
  referrerPolicy: "same-origin",
});
// Per path, not "*": mounted at "/", a "*" middleware would also wrap the JSON API and /docs.
for (const path of [
  "/",
  "/login",
  "/logout",
  "/console",
  "/editor",
  "/eval",
  "/reports/daily",
  "/reports/topics/*",
  "/assets/*",
]) {
  pageRoutes.use(path, pageHeaders);
}
// Forms post only from our own pages (Origin check); the session cookie is SameSite=Strict too.
pageRoutes.use("/login", csrf());
pageRoutes.use("/logout", csrf());

/** A local path to return to after login; anything else (other hosts, "//x") falls back. */
function safeNext(value: unknown): string | null {
  return typeof value === "string" && /^\/(?![/\\])[\w\-/.?=&%]*$/.test(value) ? value : null;
}

function landingFor(role: Role): string {
  return pagesFor(role)[0]?.path ?? "/login";
}

const isHttps = (c: Context<AppEnv>) =>
  new URL(c.req.url).protocol === "https:" || c.req.header("x-forwarded-proto") === "https";

pageRoutes.get("/", async (c) => {
  const principal = await identify(c);
  return c.redirect(principal ? landingFor(principal.role) : "/login", 303);
});

pageRoutes.get("/login", (c) => c.html(<LoginPage next={safeNext(c.req.query("next")) ?? ""} />));

pageRoutes.post("/login", async (c) => {
  const form = await c.req.parseBody();
  const key = typeof form.key === "string" ? form.key : "";
  const next = safeNext(form.next);
  const session = key ? await startConsoleSession({ deps: c.get("deps"), input: { key } }) : null;
  if (!session) {
    c.get("logger").info("console login refused");
    return c.html(<LoginPage next={next ?? ""} error="密钥无效、已吊销或已过期。" />, 401);
  }
  setCookie(c, SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: "Strict",
    secure: isHttps(c),
    path: "/",
    maxAge: CONSOLE_SESSION_HOURS * 3600,
  });
  const allowed = pagesFor(session.principal.role).map((page) => page.path);
  const target =
    next && allowed.some((path) => next.startsWith(path)) ? next : landingFor(session.principal.role);
  return c.redirect(target, 303);
});

pageRoutes.post("/logout", async (c) => {
  const token = getCookie(c, SESSION_COOKIE);
  const form = await c.req.parseBody();
  if (token) {
    if (!csrfTokenMatches(token, typeof form.csrf === "string" ? form.csrf : undefined)) {
      return c.html(<MessagePage title="无法退出" message="页面已过期，请刷新后再试。" />, 403);
    }
    await endConsoleSession({ deps: c.get("deps"), input: { token } });
  }
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: isHttps(c) });
  return c.redirect("/login", 303);
});

/**
 * The signed-in person for a page, or the response to send instead: the login page (not signed
 * in) or a 403 page (role may not open it).
 */
async function pageSession(
  c: Context<AppEnv>,
  roles: readonly Role[],
): Promise<{ principal: Principal; csrfToken: string } | Response> {
  const principal = await identify(c);
  const csrfToken = c.get("csrfToken");
  if (!principal || !csrfToken) {
    return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303);
  }
  if (!roleAllowed(principal.role, roles)) {
    return c.html(
      <MessagePage title="无权访问" message="你的角色不能打开此页面；请用相应角色的密钥登录。" />,
      403,
    );
  }
  return { principal, csrfToken };
}

/** Each console's page frame; which roles may open it is declared once, in CONSOLE_PAGES. */
const PAGE_VIEWS: Partial<
  Record<
    (typeof CONSOLE_PAGES)[number]["path"],
    (props: { principal: Principal; csrfToken: string }) => Child
  >
> = { "/console": AgentConsolePage, "/editor": EditorPage, "/eval": EvalPage };

for (const page of CONSOLE_PAGES) {
  const View = PAGE_VIEWS[page.path];
  // Pages that read data for the server to render (the reports) have their own handlers below.
  if (!View) continue;
  pageRoutes.get(page.path, async (c) => {
    const session = await pageSession(c, page.roles);
    if (session instanceof Response) return session;
    return c.html(<View {...session} />);
  });
}

/** The roles of a console page, as declared in CONSOLE_PAGES. */
const rolesOf = (path: string): readonly Role[] =>
  CONSOLE_PAGES.find((page) => page.path === path)?.roles ?? [];

/** A service's refusal shown as a page (bad date, unknown topic); anything else is a real error. */
async function reportError(c: Context<AppEnv>, error: unknown): Promise<Response> {
  if (error instanceof DomainError && (error.code === "BAD_REQUEST" || error.code === "NOT_FOUND")) {
    return await c.html(
      <MessagePage title="无法生成报告" message={error.message} />,
      error.code === "NOT_FOUND" ? 404 : 400,
    );
  }
  throw error;
}

pageRoutes.get("/reports/daily", async (c) => {
  const session = await pageSession(c, rolesOf("/reports/daily"));
  if (session instanceof Response) return session;
  const deps = c.get("deps");
  const date = c.req.query("date") || centreDay(deps.clock.now());
  try {
    const report = await dailyReport({ deps, input: { date } });
    const month = date.slice(0, 7);
    const departments = await departmentBoardOf({ deps, input: { month } });
    // The agent board ranks people (红黑榜): admins only.
    const agents = session.principal.role === "admin" ? await agentBoardOf({ deps, input: { month } }) : null;
    return c.html(<DailyReportPage {...session} report={report} departments={departments} agents={agents} />);
  } catch (error) {
    return reportError(c, error);
  }
});

pageRoutes.get("/reports/topics/:topicId", async (c) => {
  const session = await pageSession(c, rolesOf("/reports/daily"));
  if (session instanceof Response) return session;
  try {
    const report = await topicReport({ deps: c.get("deps"), input: { topicId: c.req.param("topicId") } });
    return c.html(<TopicReportPage {...session} report={report} />);
  } catch (error) {
    return reportError(c, error);
  }
});

pageRoutes.get("/assets/:name{[\\w.-]+}", async (c) => {
  const asset = await c.get("deps").webAssets.get(c.req.param("name"));
  if (!asset) return c.text("not found", 404);
  const etag = `"${asset.hash}"`;
  if (c.req.header("if-none-match") === etag) return c.body(null, 304);
  return c.body(asset.body, 200, {
    "content-type": asset.contentType,
    etag,
    "cache-control": "no-cache",
  });
});
