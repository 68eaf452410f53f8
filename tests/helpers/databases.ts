import { inject } from "vitest";
import { type DatabaseHandle, openDatabase } from "#infra/db/client";
import { createThrowawayDatabase } from "#infra/db/throwaway";

export type DatabaseKind = "pglite" | "postgres";
export const DATABASE_KINDS: DatabaseKind[] = ["pglite", "postgres"];

/**
 * A fresh, migrated database of the given kind: PGlite in memory, or a new database on the test
 * PostgreSQL server (dropped again by `drop`). Files stay isolated without transactions tricks.
 */
export async function openTestDatabase(
  kind: DatabaseKind,
): Promise<DatabaseHandle & { drop(): Promise<void> }> {
  if (kind === "pglite") {
    const handle = await openDatabase({ dataDir: "memory://" });
    await handle.migrate();
    return { ...handle, drop: () => handle.close() };
  }
  const database = await createThrowawayDatabase(inject("postgresUrl"), "test");
  await database.migrate();
  return database;
}
