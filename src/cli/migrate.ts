/** `npm run db:migrate`: applies migrations/ to DATABASE_URL, or to the embedded database. */
import { join } from "node:path";
import { loadConfig } from "#config/env";
import { openDatabase } from "#infra/db/client";

const config = loadConfig(process.env);
const database = await openDatabase({ url: config.DATABASE_URL, dataDir: join(config.DATA_DIR, "pglite") });
try {
  await database.migrate();
  console.log(`${database.kind}: ${await database.appliedMigrations()} migrations applied`);
} finally {
  await database.close();
}
