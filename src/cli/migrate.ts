/** `npm run db:migrate`: applies migrations/ to DATABASE_URL, or to the embedded database. */
import { join } from "node:path";
import { loadConfig } from "#config/env";
import { acquireDataDirLock, DataDirLockedError } from "#infra/data-dir-lock";
import { openDatabase } from "#infra/db/client";

const config = loadConfig(process.env);
const embedded = !config.DATABASE_URL && config.DATA_DIR !== "memory://";
let lock: ReturnType<typeof acquireDataDirLock> | null = null;
try {
  // A second process on the PGlite files loses writes (review #4): migrate only while nobody else has them.
  lock = embedded ? acquireDataDirLock(config.DATA_DIR, { command: "db:migrate" }) : null;
} catch (error) {
  if (!(error instanceof DataDirLockedError)) throw error;
  console.error(
    `${error.message}.\nThe server applies migrations itself at start-up; stop it to migrate alone.`,
  );
  process.exit(1);
}
try {
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: join(config.DATA_DIR, "pglite") });
  try {
    await database.migrate();
    console.log(`${database.kind}: ${await database.appliedMigrations()} migrations applied`);
  } finally {
    await database.close();
  }
} finally {
  lock?.release();
}
