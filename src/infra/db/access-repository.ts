import { and, asc, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import {
  type ApiKeyRecord,
  type ApiKeyRepository,
  type ConsoleSessionRecord,
  type ConsoleSessionRepository,
  personOfKey,
  type Role,
} from "#domain/access";
import {
  type AuditEntry,
  type AuditRepository,
  auditHash,
  auditRecord,
  GENESIS_HASH,
  maskAuditInput,
} from "#domain/audit";
import type { Db } from "./client";
import { apiKeys, auditLog, consoleSessions } from "./schema/index";

type KeyRow = typeof apiKeys.$inferSelect;

function toKey(row: KeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    person: personOfKey(row),
    role: row.role as Role,
    prefix: row.prefix,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

export function createApiKeyRepository(db: Db): ApiKeyRepository {
  return {
    async count() {
      const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(apiKeys);
      return Number(row?.count ?? 0);
    },
    async insert(key) {
      const [row] = await db.insert(apiKeys).values(key).returning();
      if (!row) throw new Error("inserting an API key returned nothing");
      return toKey(row);
    },
    async findByHash(keyHash) {
      const [row] = await db.select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash));
      return row ? toKey(row) : null;
    },
    async list() {
      return (await db.select().from(apiKeys).orderBy(asc(apiKeys.id))).map(toKey);
    },
    async revoke(id, at) {
      const [row] = await db.update(apiKeys).set({ revokedAt: at }).where(eq(apiKeys.id, id)).returning();
      return row ? toKey(row) : null;
    },
    async setExpiry(id, at) {
      const [row] = await db.update(apiKeys).set({ expiresAt: at }).where(eq(apiKeys.id, id)).returning();
      return row ? toKey(row) : null;
    },
    async touch(id, at) {
      await db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id));
    },
  };
}

type AuditRow = typeof auditLog.$inferSelect;

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    before: row.before ?? null,
    after: row.after ?? null,
    reason: row.reason,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/** Lock key that serialises audit appends across connections. */
const AUDIT_LOCK = 0x12345;

export function createAuditRepository(db: Db): AuditRepository {
  const append = async (tx: Db, input: Parameters<AuditRepository["append"]>[0], at: Date) => {
    // Free text is masked before it is hashed and stored: the log can never be erased (review #2).
    const entry = maskAuditInput(input);
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
    const [last] = await tx
      .select({ hash: auditLog.hash })
      .from(auditLog)
      .orderBy(desc(auditLog.id))
      .limit(1);
    const prevHash = last?.hash ?? GENESIS_HASH;
    // Timestamps are stored with microsecond precision; hash the millisecond ISO form we read back.
    const iso = new Date(Math.floor(at.getTime())).toISOString();
    const hash = auditHash(prevHash, { ...entry, at: iso });
    const [row] = await tx
      .insert(auditLog)
      .values({
        at: new Date(iso),
        ...auditRecord(entry),
        prevHash,
        hash,
      })
      .returning();
    if (!row) throw new Error("appending to the audit log returned nothing");
    return toEntry(row);
  };
  return {
    // Inside an outer transaction the lock is held until it commits; alone, we open one.
    append: (entry, at) => db.transaction((tx) => append(tx as unknown as Db, entry, at)),
    async list({ entityType, entityId, limit, beforeId }) {
      const conditions = [
        entityType ? eq(auditLog.entityType, entityType) : undefined,
        entityId ? eq(auditLog.entityId, entityId) : undefined,
        beforeId ? lt(auditLog.id, beforeId) : undefined,
      ].filter((condition) => condition !== undefined);
      const rows = await db
        .select()
        .from(auditLog)
        .where(conditions.length > 0 ? and(...conditions) : undefined)
        .orderBy(desc(auditLog.id))
        .limit(limit);
      return rows.map(toEntry);
    },
    async all() {
      return (await db.select().from(auditLog).orderBy(asc(auditLog.id))).map(toEntry);
    },
  };
}

type SessionRow = typeof consoleSessions.$inferSelect;

function toSession(row: SessionRow): ConsoleSessionRecord {
  return {
    id: row.id,
    keyId: row.keyId,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
  };
}

export function createConsoleSessionRepository(db: Db): ConsoleSessionRepository {
  return {
    async insert(session) {
      const [row] = await db.insert(consoleSessions).values(session).returning();
      if (!row) throw new Error("inserting a console session returned nothing");
      return toSession(row);
    },
    async findByHash(tokenHash) {
      const [row] = await db
        .select({ session: consoleSessions, key: apiKeys })
        .from(consoleSessions)
        .innerJoin(apiKeys, eq(apiKeys.id, consoleSessions.keyId))
        .where(eq(consoleSessions.tokenHash, tokenHash));
      return row ? { session: toSession(row.session), key: toKey(row.key) } : null;
    },
    async end(tokenHash, at) {
      await db
        .update(consoleSessions)
        .set({ endedAt: at })
        .where(and(eq(consoleSessions.tokenHash, tokenHash), isNull(consoleSessions.endedAt)));
    },
    async deleteBefore(before) {
      const rows = await db
        .delete(consoleSessions)
        .where(or(lt(consoleSessions.expiresAt, before), lt(consoleSessions.endedAt, before)))
        .returning({ id: consoleSessions.id });
      return rows.length;
    },
  };
}
