/**
 * API keys:
 *   npm run keys:create -- --role agent|editor|reviewer|evaluator|admin|integration --name <name> [--person <login>] [--expires 2027-01-01]
 *   npm run keys:list
 *   npm run keys:revoke -- --id <id>
 *   npm run keys:expire -- --id <id> [--at <ISO time>]
 * `create` prints the new key alone on its last line; it is shown only once.
 *
 * With the embedded database and a server running on the same DATA_DIR, the command goes through
 * that server's local admin socket (the same API an admin key would use, audited as cli:<user>)
 * instead of opening the database files a second time, which would lose the key (review #4).
 */
import { parseArgs } from "node:util";
import { loadConfig } from "#config/env";
import type { ApiKeyRecord } from "#domain/access";
import { changeApiKey, createApiKey, listApiKeys } from "#services/access";
import { cliActor, openCliRuntime, runningServer, viaServer } from "./runtime";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    role: { type: "string" },
    name: { type: "string" },
    person: { type: "string" },
    expires: { type: "string" },
    id: { type: "string" },
    at: { type: "string" },
  },
});
const command = positionals[0];
const config = loadConfig({ ...process.env, KNOWLEDGE_SYNC_ON_START: "false" });
const actor = `cli:${cliActor()}`;

/** The four operations, done either in this process or by the running server. */
interface KeyOperations {
  create(input: { name: string; role: string; person?: string; expiresAt: Date | null }): Promise<{
    key: string;
    record: ApiKeyRecord;
  }>;
  list(): Promise<ApiKeyRecord[]>;
  change(id: number, action: "revoke" | "expire", at?: Date): Promise<ApiKeyRecord>;
  close(): Promise<void>;
}

async function operations(): Promise<KeyOperations> {
  const server = runningServer(config);
  if (server) {
    console.error(
      `(through the server on port ${server.port}, pid ${server.pid}, which holds ${config.DATA_DIR})`,
    );
    return {
      create: (input) =>
        viaServer(config, {
          method: "POST",
          path: "/v1/keys",
          body: {
            name: input.name,
            role: input.role,
            ...(input.person === undefined ? {} : { person: input.person }),
            ...(input.expiresAt ? { expiresAt: input.expiresAt.toISOString() } : {}),
          },
        }),
      list: async () =>
        (await viaServer<{ keys: ApiKeyRecord[] }>(config, { method: "GET", path: "/v1/keys" })).keys,
      change: (id, action, at) =>
        viaServer(config, {
          method: "POST",
          path: `/v1/keys/${id}/${action}`,
          ...(action === "expire" ? { body: at ? { at: at.toISOString() } : {} } : {}),
        }),
      close: async () => {},
    };
  }
  const runtime = await openCliRuntime(
    config,
    "Run it again once that process has finished (a server on this DATA_DIR takes key commands itself).",
  );
  return {
    create: (input) => createApiKey({ deps: runtime.deps, input: input as never, actor }),
    list: () => listApiKeys({ deps: runtime.deps }),
    change: (id, action, at) =>
      changeApiKey({ deps: runtime.deps, input: { id, action, ...(at ? { at } : {}) }, actor }),
    close: () => runtime.close(),
  };
}

function parseDate(value: string | undefined, flag: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`${flag}: not a date: ${value}`);
  return date;
}

let ops: KeyOperations | undefined;
try {
  if (!["create", "list", "revoke", "expire"].includes(command ?? ""))
    throw new Error("usage: keys <create|list|revoke|expire>");
  if (command === "create" && (!values.role || !values.name))
    throw new Error(
      "usage: keys:create -- --role <role> --name <name> [--person <login>] [--expires <date>]",
    );
  if ((command === "revoke" || command === "expire") && !values.id)
    throw new Error(`usage: keys:${command} -- --id <id>`);
  ops = await operations();
  switch (command) {
    case "create": {
      const { key, record } = await ops.create({
        name: values.name ?? "",
        role: values.role ?? "",
        ...(values.person === undefined ? {} : { person: values.person }),
        expiresAt: parseDate(values.expires, "--expires") ?? null,
      });
      console.log(
        `created key #${record.id} "${record.name}" with role ${record.role}${record.expiresAt ? `, expires ${record.expiresAt}` : ""}`,
      );
      console.log("store it now: it is not shown again");
      console.log(key);
      break;
    }
    case "list": {
      for (const key of await ops.list()) {
        const state = key.revokedAt
          ? `revoked ${key.revokedAt}`
          : key.expiresAt
            ? `expires ${key.expiresAt}`
            : "active";
        console.log(
          `#${key.id}\t${key.prefix}…\t${key.role}\t${key.name}\t${state}\tlast used ${key.lastUsedAt ?? "never"}`,
        );
      }
      break;
    }
    case "revoke":
    case "expire": {
      const key = await ops.change(Number(values.id), command, parseDate(values.at, "--at"));
      console.log(
        `key #${key.id} "${key.name}": ${command === "revoke" ? `revoked ${key.revokedAt}` : `expires ${key.expiresAt}`}`,
      );
      break;
    }
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await ops?.close();
}
