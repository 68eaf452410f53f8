import { defineConfig } from "drizzle-kit";

// drizzle-kit only generates SQL from the schema here; migrations are applied by src/cli/migrate.ts
// (and at start-up), the same way on PGlite and on PostgreSQL.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/infra/db/schema/index.ts",
  out: "./migrations",
  casing: "snake_case",
});
