import type { Context } from "hono";
import type { AppEnv } from "../env";

/** The parts of an OpenAPI 3.1 document this page shows. */
interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; schema?: unknown; description?: string }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
}
interface OpenApiDocument {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

/**
 * Served by the page itself and nothing else: no script at all, only the consoles' own style
 * sheet, so it works offline and under the strictest policy (review #20: Swagger UI came from a
 * CDN, unpinned, with no SRI).
 */
const DOCS_CSP =
  "default-src 'none'; style-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

/** `#/components/schemas/Error` → a link to that schema further down the page. */
function SchemaRef(props: { schema: unknown }) {
  const ref = (props.schema as { $ref?: unknown } | undefined)?.$ref;
  if (typeof ref === "string" && ref.startsWith("#/components/schemas/")) {
    const name = ref.slice("#/components/schemas/".length);
    return <a href={`#schema-${name}`}>{name}</a>;
  }
  return <pre>{pretty(props.schema)}</pre>;
}

function OperationView(props: { method: string; path: string; operation: Operation }) {
  const { method, path, operation } = props;
  const body = operation.requestBody?.content?.["application/json"]?.schema;
  return (
    <details id={operation.operationId}>
      <summary>
        <code>{method.toUpperCase()}</code> <code>{path}</code> — {operation.summary ?? ""}
        {operation.security && operation.security.length > 0 ? " 🔑" : ""}
      </summary>
      {operation.description ? <p>{operation.description}</p> : null}
      {operation.parameters && operation.parameters.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>parameter</th>
              <th>in</th>
              <th>required</th>
              <th>schema</th>
            </tr>
          </thead>
          <tbody>
            {operation.parameters.map((parameter) => (
              <tr>
                <td>
                  <code>{parameter.name}</code>
                </td>
                <td>{parameter.in}</td>
                <td>{parameter.required ? "yes" : "no"}</td>
                <td>
                  <code>{JSON.stringify(parameter.schema ?? {})}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {body ? (
        <>
          <h4>Request body (application/json)</h4>
          <SchemaRef schema={body} />
        </>
      ) : null}
      <h4>Responses</h4>
      <ul>
        {Object.entries(operation.responses ?? {}).map(([status, response]) => {
          const schema = response.content?.["application/json"]?.schema;
          return (
            <li>
              <strong>{status}</strong> {response.description ?? ""}
              {schema ? (
                <>
                  {" "}
                  <SchemaRef schema={schema} />
                </>
              ) : null}
            </li>
          );
        })}
      </ul>
    </details>
  );
}

function DocsPage(props: { document: OpenApiDocument }) {
  const { document } = props;
  const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({
      method,
      path,
      operation: item[method] as Operation,
    })),
  );
  const tags = [...new Set(operations.map(({ operation }) => operation.tags?.[0] ?? "other"))];
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${document.info.title} ${document.info.version}`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/assets/app.css" />
      </head>
      <body>
        <main class="docs">
          <h1>{document.info.title}</h1>
          <p>
            {document.info.description ?? ""} Version {document.info.version}. Machine-readable:{" "}
            <a href="/openapi.json">/openapi.json</a> (load it into any OpenAPI tool). 🔑 = needs{" "}
            <code>authorization: Bearer hk_…</code>.
          </p>
          {tags.map((tag) => (
            <section>
              <h2>{tag}</h2>
              {operations
                .filter(({ operation }) => (operation.tags?.[0] ?? "other") === tag)
                .map((entry) => (
                  <OperationView {...entry} />
                ))}
            </section>
          ))}
          <section>
            <h2>Schemas</h2>
            {Object.entries(document.components?.schemas ?? {}).map(([name, schema]) => (
              <details id={`schema-${name}`}>
                <summary>
                  <code>{name}</code>
                </summary>
                <pre>{pretty(schema)}</pre>
              </details>
            ))}
          </section>
        </main>
      </body>
    </html>
  );
}

/**
 * `/docs`: the OpenAPI document rendered on the server as plain HTML (no third-party script).
 *
 * @example
 * app.get("/docs", apiDocsHandler(() => app.getOpenAPI31Document(info)));
 */
export function apiDocsHandler(document: () => unknown) {
  return function apiDocs(c: Context<AppEnv>) {
    c.header("Content-Security-Policy", DOCS_CSP);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "same-origin");
    return c.html(<DocsPage document={document() as OpenApiDocument} />);
  };
}
