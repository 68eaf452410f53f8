import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * The layer fence (`api → services → domain ← infra`) is Biome's `noRestrictedImports` in
 * biome.json. The fixtures under tests/lint-fixtures/src must FAIL it: every line marked
 * `// fence` is reported, and nothing else is. They are copied into a scratch project whose
 * biome.json extends the real one, so the real overrides (by `src/<layer>/**`) apply to them.
 */
const ROOT = resolve(import.meta.dirname, "../../..");
const FIXTURES = join(ROOT, "tests/lint-fixtures/src");
const BIOME = join(ROOT, "node_modules/.bin/biome");

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

interface Diagnostic {
  category: string;
  message: string;
  location: { path: string; start: { line: number } };
}

describe("the Biome import fence", () => {
  const project = mkdtempSync(join(tmpdir(), "fence-"));
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it("refuses every import across the layers in the fixtures, and only those", () => {
    cpSync(FIXTURES, join(project, "src"), { recursive: true });
    writeFileSync(
      join(project, "biome.json"),
      JSON.stringify({ extends: [join(ROOT, "biome.json")], vcs: { enabled: false } }),
    );
    const run = spawnSync(BIOME, ["lint", "--reporter=json", "--max-diagnostics=none", "src"], {
      cwd: project,
      encoding: "utf8",
    });
    expect(run.status, run.stderr).not.toBe(0);
    const diagnostics = (JSON.parse(run.stdout) as { diagnostics: Diagnostic[] }).diagnostics.filter(
      (diagnostic) => diagnostic.category === "lint/style/noRestrictedImports",
    );

    const expected: string[] = [];
    for (const file of filesUnder(FIXTURES)) {
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, index) => {
          if (/\/\/ fence$/.test(line)) expected.push(`${relative(FIXTURES, file)}:${index + 1}`);
        });
    }
    const reported = diagnostics.map(
      (diagnostic) => `${diagnostic.location.path.replace(/^src\//, "")}:${diagnostic.location.start.line}`,
    );
    expect(expected.length).toBeGreaterThan(20);
    expect(reported.sort()).toEqual(expected.sort());
    for (const diagnostic of diagnostics)
      expect(diagnostic.message).toContain("api → services → domain ← infra");
  });
});
