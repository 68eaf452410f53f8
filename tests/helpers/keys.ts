import type { AppDeps } from "#api/env";
import type { Role } from "#domain/access";
import { createApiKey } from "#services/access";

export type TestKeys = Record<
  "agent" | "editor" | "editor2" | "reviewer" | "reviewer2" | "evaluator" | "admin",
  string
>;

/** One key per role (and a second editor and reviewer, for the two-person rule). */
export async function createTestKeys(deps: AppDeps): Promise<TestKeys> {
  const specs: [keyof TestKeys, Role][] = [
    ["agent", "agent"],
    ["editor", "editor"],
    ["editor2", "editor"],
    ["reviewer", "reviewer"],
    ["reviewer2", "reviewer"],
    ["evaluator", "evaluator"],
    ["admin", "admin"],
  ];
  const keys = {} as TestKeys;
  for (const [name, role] of specs) {
    keys[name] = (await createApiKey({ deps, input: { name: `test-${name}`, role }, actor: "test" })).key;
  }
  return keys;
}

/** A JSON request helper bound to an app. */
export function client(app: { request: (path: string, init?: RequestInit) => Response | Promise<Response> }) {
  return async (
    method: string,
    path: string,
    key: string | null,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const response = await app.request(path, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return {
      status: response.status,
      body: json as Record<string, unknown> & { error?: { code: string; message: string } },
      headers: response.headers,
      text,
    };
  };
}
