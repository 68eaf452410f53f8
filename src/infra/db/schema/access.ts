import { bigserial, index, integer, jsonb, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";

/** API keys. Only a SHA-256 of the key is stored; the key itself is shown once. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: serial().primaryKey(),
    name: text().notNull(),
    /**
     * The person holding the key (review #12), normalised (NFKC, trimmed, case-folded): an explicit
     * person id given at creation, or the normalised name. One person may hold several keys. Null
     * on keys made before persons existed: read as the normalised name.
     */
    person: text(),
    /** agent | editor | reviewer | evaluator | admin */
    role: text().notNull(),
    keyHash: text().notNull().unique(),
    /** First characters of the key, so people can tell keys apart in listings. */
    prefix: text().notNull(),
    createdBy: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    lastUsedAt: timestamp({ withTimezone: true }),
  },
  (table) => [index("api_keys_name_idx").on(table.name), index("api_keys_person_idx").on(table.person)],
);

/**
 * Append-only, hash-chained audit trail: each entry's hash covers its content and the previous
 * entry's hash, so editing or deleting a past entry breaks the chain (`npm run audit:verify`).
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    at: timestamp({ withTimezone: true }).notNull(),
    actor: text().notNull(),
    action: text().notNull(),
    entityType: text().notNull(),
    entityId: text().notNull(),
    before: jsonb(),
    after: jsonb(),
    reason: text().notNull().default(""),
    prevHash: text().notNull(),
    hash: text().notNull(),
  },
  (table) => [index("audit_log_entity_idx").on(table.entityType, table.entityId)],
);

/**
 * Web console sessions: an agent logs in once with an API key and gets an httpOnly cookie. Only a
 * SHA-256 of the session token is stored; a revoked or expired key ends its sessions at once.
 */
export const consoleSessions = pgTable(
  "console_sessions",
  {
    id: serial().primaryKey(),
    tokenHash: text().notNull().unique(),
    keyId: integer()
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    endedAt: timestamp({ withTimezone: true }),
  },
  (table) => [index("console_sessions_expires_idx").on(table.expiresAt)],
);
