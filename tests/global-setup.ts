import { execFileSync } from "node:child_process";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

/**
 * Integration tests run against both databases. PGlite is in-process; the real PostgreSQL 15 +
 * pgvector server comes from TEST_DATABASE_URL or is installed and started by the project's script.
 */
export default function setup(project: TestProject) {
  let url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const output = execFileSync("bash", ["scripts/postgres-test-server.sh"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    url = output.trim().split("\n").at(-1);
  }
  if (!url?.startsWith("postgres"))
    throw new Error(`no PostgreSQL URL for the integration tests (got ${url})`);
  project.provide("postgresUrl", url);
}
