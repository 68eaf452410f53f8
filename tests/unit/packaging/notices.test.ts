import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("THIRD-PARTY-NOTICES.md", () => {
  it("is regenerated whenever the shipped dependencies change (npm run notices)", () => {
    // Exits non-zero, failing the test, when package-lock.json gained a package the file lacks.
    const output = execFileSync(process.execPath, ["scripts/third-party-notices.mjs", "--check"], {
      encoding: "utf8",
    });
    expect(output).toContain("up to date");
  });

  it("names the model and the dictionaries, which are not npm packages' own code", () => {
    const notices = readFileSync("THIRD-PARTY-NOTICES.md", "utf8");
    const manifest = JSON.parse(readFileSync("models/manifest.json", "utf8")) as {
      id: string;
      upstream: string;
    };
    expect(notices).toContain(manifest.upstream);
    expect(notices).toMatch(/jieba dictionaries[\s\S]*MIT/);
    for (const name of ["nodejieba", "hono", "drizzle-orm", "pg-boss"])
      expect(notices).toMatch(new RegExp(`^- ${name} `, "m"));
  });
});
