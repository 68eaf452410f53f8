import { randomBytes } from "node:crypto";
import pg from "pg";
import { type DatabaseHandle, openDatabase } from "./client";

/**
 * A new, empty database on a PostgreSQL server (for tests and benchmarks), dropped by `drop`.
 *
 * @example
 * const database = await createThrowawayDatabase(serverUrl, "bench");
 * await database.drop();
 */
export async function createThrowawayDatabase(
  serverUrl: string,
  prefix: string,
  options: { poolSize?: number; queryTimeoutMs?: number } = {},
): Promise<DatabaseHandle & { drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({
    url: url.toString(),
    dataDir: "unused",
    poolSize: options.poolSize ?? 4,
    ...(options.queryTimeoutMs ? { queryTimeoutMs: options.queryTimeoutMs } : {}),
  });
  return {
    ...handle,
    drop: async () => {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
