import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#infra/db/client";
import { expectedMigrations, selectRows } from "#infra/db/client";
import { DATABASE_KINDS, openTestDatabase } from "../../helpers/databases";

describe.each(DATABASE_KINDS)("migrations on %s", (kind) => {
  let database: DatabaseHandle & { drop(): Promise<void> };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database.drop();
  });

  it("applies every migration in migrations/ and is idempotent", async () => {
    const expected = await expectedMigrations();
    expect(await database.appliedMigrations()).toBe(expected);
    await database.migrate();
    expect(await database.appliedMigrations()).toBe(expected);
  });

  it("enables pgvector", async () => {
    const rows = await selectRows<{ extversion: string }>(
      database.db,
      sql`select extversion from pg_extension where extname = 'vector'`,
    );
    expect(rows[0]?.extversion).toMatch(/^0\.\d+\.\d+$/);
  });

  it("stores embeddings inline (STORAGE PLAIN) behind an HNSW cosine index", async () => {
    const storage = await selectRows<{ attstorage: string }>(
      database.db,
      sql`select attstorage from pg_attribute
          where attrelid = 'knowledge_passages'::regclass and attname = 'embedding'`,
    );
    expect(storage[0]?.attstorage).toBe("p");
    const indexes = await selectRows<{ indexdef: string }>(
      database.db,
      sql`select indexdef from pg_indexes where tablename = 'knowledge_passages'`,
    );
    const definitions = indexes.map((row) => row.indexdef).join("\n");
    expect(definitions).toMatch(/USING hnsw \(embedding vector_cosine_ops\)/);
    // Without a pending list: a sync's inserts would otherwise slow every full-text search.
    expect(definitions).toMatch(/USING gin \(tokens\) WITH \(fastupdate='?false'?\)/);
  });

  it("answers ping", async () => {
    await expect(database.ping()).resolves.toBeUndefined();
  });
});

describe.each(DATABASE_KINDS)("session settings on %s", (kind) => {
  it("lets HNSW return the 100 candidates searches ask for", async () => {
    const database = await openTestDatabase(kind);
    try {
      const rows = await selectRows<{ value: string }>(
        database.db,
        sql`select current_setting('hnsw.ef_search') as value`,
      );
      expect(rows[0]?.value).toBe("100");
    } finally {
      await database.drop();
    }
  });
});
