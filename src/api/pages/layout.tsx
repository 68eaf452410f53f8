import type { Child } from "hono/jsx";
import { type Principal, type Role, roleAllowed } from "#domain/access";

const ROLE_NAMES: Record<Role, string> = {
  agent: "话务员",
  editor: "知识编辑",
  reviewer: "审核员",
  evaluator: "评估人员",
  admin: "管理员",
  integration: "工单平台对接",
};

/** The consoles and which roles may open them (admins open all). */
export const CONSOLE_PAGES = [
  { path: "/console", title: "坐席工作台", roles: ["agent"] },
  { path: "/editor", title: "知识库编辑", roles: ["editor", "reviewer"] },
  { path: "/eval", title: "评估", roles: ["evaluator"] },
  // Evaluators already read the analytics (hot topics, spikes); the agent board on it is admins' only.
  { path: "/reports/daily", title: "日报", roles: ["evaluator"] },
] as const satisfies readonly { path: string; title: string; roles: readonly Role[] }[];

export function pagesFor(role: Role) {
  return CONSOLE_PAGES.filter((page) => roleAllowed(role, page.roles));
}

export interface LayoutProps {
  title: string;
  principal?: Principal | undefined;
  csrfToken?: string | undefined;
  /** A page's own style sheet under /assets (e.g. "editor.css"), after app.css. */
  style?: string | undefined;
  /** Bundled client script under /assets (e.g. "console.js"). */
  script?: string | undefined;
  /** Data the client script starts from, as JSON in a non-executable script element. */
  bootstrap?: unknown;
  children?: Child;
}

/** Escapes what could end the JSON script element early. */
const safeJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

/** Every console page: header with the signed-in person and the pages their role may open. */
export function Layout(props: LayoutProps) {
  const { principal } = props;
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · 12345 热线知识库`}</title>
        {/* No favicon request (it would only 404). */}
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/assets/app.css" />
        {props.style ? <link rel="stylesheet" href={`/assets/${props.style}`} /> : null}
        {props.csrfToken ? <meta name="csrf-token" content={props.csrfToken} /> : null}
        {props.script ? <script type="module" src={`/assets/${props.script}`} /> : null}
      </head>
      <body>
        <header class="topbar">
          <span class="brand">12345 热线知识库</span>
          {principal ? (
            <nav aria-label="页面">
              {pagesFor(principal.role).map((page) => (
                <a href={page.path}>{page.title}</a>
              ))}
            </nav>
          ) : null}
          {principal ? (
            <form method="post" action="/logout" class="who">
              <span data-testid="who">
                {principal.name}（{ROLE_NAMES[principal.role]}）
              </span>
              <input type="hidden" name="csrf" value={props.csrfToken ?? ""} />
              <button type="submit" class="link">
                退出
              </button>
            </form>
          ) : null}
        </header>
        <main id="main">{props.children}</main>
        {props.bootstrap === undefined ? null : (
          <script
            type="application/json"
            id="bootstrap"
            dangerouslySetInnerHTML={{ __html: safeJson(props.bootstrap) }}
          />
        )}
      </body>
    </html>
  );
}
