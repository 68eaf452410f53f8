import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, selectRows } from "#infra/db/client";
import { createThrowawayDatabase } from "#infra/db/throwaway";

const serverUrl = process.env.TEST_DATABASE_URL;

/** The value a fresh pooled connection searches with. */
async function efSearchOf(url: string): Promise<number> {
  const handle = await openDatabase({ url, dataDir: "unused", poolSize: 1 });
  try {
    const rows = await selectRows<{ ef: string }>(
      handle.db,
      sql`select current_setting('hnsw.ef_search') as ef`,
    );
    return Number(rows[0]?.ef);
  } finally {
    await handle.close();
  }
}

describe.skipIf(!serverUrl)("hnsw.ef_search on PostgreSQL", () => {
  let database: Awaited<ReturnType<typeof createThrowawayDatabase>>;
  let url: string;

  beforeAll(async () => {
    database = await createThrowawayDatabase(serverUrl as string, "efsearch");
    await database.migrate();
    const rows = await selectRows<{ name: string }>(database.db, sql`select current_database() as name`);
    const parsed = new URL(serverUrl as string);
    parsed.pathname = `/${rows[0]?.name}`;
    url = parsed.toString();
  });
  afterAll(async () => {
    await database.drop();
  });

  async function alterDatabase(statement: string): Promise<void> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(statement);
    await client.end();
  }

  it("is raised to the search's 100 candidates when the database sets nothing", async () => {
    expect(await efSearchOf(url)).toBe(100);
  });

  it("keeps a larger value an operator set with ALTER DATABASE … SET", async () => {
    const name = new URL(url).pathname.slice(1);
    await alterDatabase(`alter database ${name} set hnsw.ef_search = 250`);
    expect(await efSearchOf(url)).toBe(250);
    await alterDatabase(`alter database ${name} set hnsw.ef_search = 20`);
    expect(await efSearchOf(url)).toBe(100);
  });
});
