import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { type SQL, sql } from "drizzle-orm";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import * as schema from "./schema/index";

export type Schema = typeof schema;
/** The query surface shared by the PGlite and node-postgres drivers: repositories use only this. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/**
 * HNSW returns at most ef_search rows; searches take 100 candidates before filtering, so the
 * index must look at least that far (on PostgreSQL: at least that far, more when the database says so).
 */
const SESSION_SETTINGS = "set hnsw.ef_search = 100";
const EF_SEARCH_AT_LEAST_CANDIDATES = `select set_config('hnsw.ef_search',
  greatest(coalesce(nullif(current_setting('hnsw.ef_search', true), '')::int, 0), 100)::text, false)`;

export const MIGRATIONS_DIR = resolve(import.meta.dirname, "../../../migrations");

export interface DatabaseHandle {
  readonly db: Db;
  readonly kind: "pglite" | "postgres";
  /** Applies every migration in migrations/ not yet applied (idempotent). */
  migrate(): Promise<void>;
  /** Number of migrations recorded as applied. */
  appliedMigrations(): Promise<number>;
  /** Fails if the database does not answer within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<void>;
  /**
   * Runs `work` holding the PostgreSQL advisory lock `name` (session level, on a connection of its
   * own): a second replica doing the same waits for the first instead of racing it. PGlite has one
   * process (DATA_DIR's lock), so it just runs `work`.
   */
  withLock<T>(name: string, work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A postgres:// URL; unset selects the embedded PGlite database. */
  url?: string | undefined;
  /** PGlite data directory; "memory://" keeps it in memory (tests). */
  dataDir: string;
  poolSize?: number;
  /** A query still running after this long fails (PostgreSQL only); long jobs raise it. */
  queryTimeoutMs?: number;
}

/**
 * Opens the embedded PGlite database (with pgvector) or a PostgreSQL server, behind one interface.
 *
 * @example
 * const handle = await openDatabase({ url: config.DATABASE_URL, dataDir: "data/pglite" });
 * await handle.migrate();
 */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  return options.url
    ? openPostgres(options.url, options.poolSize ?? 10, options.queryTimeoutMs ?? 30_000)
    : openPglite(options.dataDir);
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs raw SQL and returns its rows on either driver (both return `{ rows }`; drizzle's shared
 * base type does not say so).
 */
export async function selectRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

async function countApplied(db: Db): Promise<number> {
  try {
    const rows = await selectRows<{ count: number }>(
      db,
      sql`select count(*)::int as count from drizzle.__drizzle_migrations`,
    );
    return Number(rows[0]?.count ?? 0);
  } catch {
    return 0;
  }
}

/**
 * Named mutual exclusion within this process (PGlite has one process by construction: the data
 * directory lock): a caller waits for the previous holder of the name, whatever its outcome.
 */
export function createProcessLocks(): <T>(name: string, work: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const previous = tails.get(name) ?? Promise.resolve();
    const current = previous.catch(() => {}).then(work);
    const tail = current.catch(() => {});
    tails.set(name, tail);
    void tail.then(() => {
      if (tails.get(name) === tail) tails.delete(name);
    });
    return current;
  };
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  const inMemory = dataDir.startsWith("memory://");
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(inMemory ? undefined : dataDir, { extensions: { vector } });
  await client.exec(SESSION_SETTINGS);
  const db = drizzlePglite({ client, schema, casing: "snake_case" }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    migrate: async () => {
      await migratePglite(drizzlePglite({ client, schema, casing: "snake_case" }), {
        migrationsFolder: MIGRATIONS_DIR,
      });
    },
    appliedMigrations: () => countApplied(db),
    ping: async (timeoutMs = 2000) => {
      await withTimeout(client.query("select 1"), timeoutMs, "PGlite");
    },
    withLock: createProcessLocks(),
    close: () => client.close(),
  };
}

async function openPostgres(url: string, poolSize: number, queryTimeoutMs: number): Promise<DatabaseHandle> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 3000,
    // Fail fast instead of hanging when the server stops answering.
    query_timeout: queryTimeoutMs,
    // Each new connection raises ef_search to the search's candidate count, but never lowers a
    // larger value the operator set with `ALTER DATABASE … SET hnsw.ef_search` (README, operator
    // notes). The pool awaits this hook before lending the client, so the first borrowed query
    // never overlaps it (pg 8 warns about overlapping queries and pg 9 refuses them).
    onConnect: async (client) => {
      await client.query(EF_SEARCH_AT_LEAST_CANDIDATES).catch(() => {});
    },
  });
  // An idle client that loses its server emits 'error'; without a listener that would crash the process.
  pool.on("error", () => {});
  const db = drizzleNodePg({ client: pool, schema, casing: "snake_case" }) as unknown as Db;
  const withLock = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    // Not from the pool: waiting for the lock may take as long as the other replica's work, and
    // must not hold one of the connections requests need (nor be cut by the query timeout).
    const client = new pg.Client({ connectionString: url });
    client.on("error", () => {});
    await client.connect();
    try {
      await client.query("select pg_advisory_lock(hashtext($1))", [`hotline:${name}`]);
      return await work();
    } finally {
      // Ending the session releases the lock even if the unlock itself fails.
      await client.end().catch(() => {});
    }
  };
  return {
    db,
    kind: "postgres",
    // Two replicas starting together apply the migrations once: the second waits, then finds
    // nothing left to apply (review: issue #16).
    migrate: () =>
      withLock("migrate", async () => {
        await migrateNodePg(drizzleNodePg({ client: pool, schema, casing: "snake_case" }), {
          migrationsFolder: MIGRATIONS_DIR,
        });
      }),
    withLock,
    appliedMigrations: () => countApplied(db),
    ping: async (timeoutMs = 2000) => {
      await withTimeout(pool.query("select 1"), timeoutMs, "PostgreSQL");
    },
    close: () => pool.end(),
  };
}

/** How many migrations the repository ships (from drizzle-kit's journal). */
export async function expectedMigrations(): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  const journal = JSON.parse(await readFile(resolve(MIGRATIONS_DIR, "meta/_journal.json"), "utf8")) as {
    entries: unknown[];
  };
  return journal.entries.length;
}
