import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigSchema, loadConfig } from "#config/env";

/** `KEY=value` lines of .env.example; a commented `# KEY=value` documents a variable left unset. */
function readEnvExample(): { set: Map<string, string>; documented: Set<string> } {
  const set = new Map<string, string>();
  const documented = new Set<string>();
  for (const line of readFileSync(".env.example", "utf8").split("\n")) {
    const active = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (active?.[1] !== undefined) {
      set.set(active[1], active[2] ?? "");
      documented.add(active[1]);
      continue;
    }
    const commented = /^#\s*([A-Z][A-Z0-9_]*)=/.exec(line);
    if (commented?.[1] !== undefined) documented.add(commented[1]);
  }
  return { set, documented };
}

/** Variables that configure compose.yaml, not the server. */
const COMPOSE_ONLY = new Set(["POSTGRES_PASSWORD"]);

describe(".env.example", () => {
  const { set, documented } = readEnvExample();

  it("documents every configuration variable and nothing the server does not read", () => {
    const schemaKeys = Object.keys(ConfigSchema.shape).sort();
    const exampleKeys = [...documented].filter((key) => !COMPOSE_ONLY.has(key)).sort();
    expect(exampleKeys).toEqual(schemaKeys);
  });

  it("shows the real defaults: loading its values gives the same configuration as loading nothing", () => {
    const values = Object.fromEntries([...set].filter(([key]) => !COMPOSE_ONLY.has(key)));
    expect(loadConfig(values)).toEqual(loadConfig({}));
  });
});
