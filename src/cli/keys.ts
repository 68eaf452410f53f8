/**
 * API keys:
 *   npm run keys:create -- --role agent|editor|reviewer|evaluator|admin --name <name> [--person <login>] [--expires 2027-01-01]
 * --person says who holds the key (the two-person rule compares persons); it defaults to the name.
 *   npm run keys:list
 *   npm run keys:revoke -- --id <id>
 *   npm run keys:expire -- --id <id> [--at <ISO time>]
 * `create` prints the new key alone on its last line; it is shown only once.
 */
import { parseArgs } from "node:util";
import pino from "pino";
import { loadConfig } from "#config/env";
import { changeApiKey, createApiKey, listApiKeys } from "#services/access";
import { buildRuntime } from "../bootstrap";

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
const runtime = await buildRuntime(config, { logger: pino({ level: "warn" }) });
const actor = `cli:${process.env.USER ?? "operator"}`;
try {
  switch (command) {
    case "create": {
      if (!values.role || !values.name)
        throw new Error(
          "usage: keys:create -- --role <role> --name <name> [--person <login>] [--expires <date>]",
        );
      const { key, record } = await createApiKey({
        deps: runtime.deps,
        input: {
          name: values.name,
          role: values.role as never,
          expiresAt: values.expires ?? null,
          ...(values.person === undefined ? {} : { person: values.person }),
        },
        actor,
      });
      console.log(
        `created key #${record.id} "${record.name}" (person ${record.person}) with role ${record.role}${record.expiresAt ? `, expires ${record.expiresAt}` : ""}`,
      );
      console.log("store it now: it is not shown again");
      console.log(key);
      break;
    }
    case "list": {
      const keys = await listApiKeys({ deps: runtime.deps });
      for (const key of keys) {
        const state = key.revokedAt
          ? `revoked ${key.revokedAt}`
          : key.expiresAt
            ? `expires ${key.expiresAt}`
            : "active";
        console.log(
          `#${key.id}\t${key.prefix}…\t${key.role}\t${key.name}\t${key.person}\t${state}\tlast used ${key.lastUsedAt ?? "never"}`,
        );
      }
      break;
    }
    case "revoke":
    case "expire": {
      if (!values.id) throw new Error(`usage: keys:${command} -- --id <id>`);
      const key = await changeApiKey({
        deps: runtime.deps,
        input: { id: Number(values.id), action: command, ...(values.at ? { at: new Date(values.at) } : {}) },
        actor,
      });
      console.log(
        `key #${key.id} "${key.name}": ${command === "revoke" ? `revoked ${key.revokedAt}` : `expires ${key.expiresAt}`}`,
      );
      break;
    }
    default:
      throw new Error("usage: keys <create|list|revoke|expire>");
  }
} catch (error) {
  // A refused input (e.g. a blank --person) is a list of issues, not a stack or a JSON dump.
  const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
  console.error(
    issues
      ? issues.map((issue) => `${issue.path.map(String).join(".")}: ${issue.message}`).join("; ")
      : error instanceof Error
        ? error.message
        : error,
  );
  process.exitCode = 1;
} finally {
  await runtime.close();
}
