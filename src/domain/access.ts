/**
 * Who may call what. Admins may call everything. `integration` is a machine: the centre's work-order
 * platform posting order events (POST /v1/work-orders/events), nothing else.
 */
export const ROLES = ["agent", "editor", "reviewer", "evaluator", "admin", "integration"] as const;
export type Role = (typeof ROLES)[number];

/** The authenticated caller, as the services see it. */
export interface Principal {
  keyId: number;
  /** The key's display name (shown as author / reviewer). */
  name: string;
  /** The person holding the key, normalised (`personIdentity`): what the two-person rule compares. */
  person: string;
  role: Role;
}

/**
 * A person's identity as compared by the two-person rule (review #12): NFKC (full-width → ASCII),
 * trimmed, inner spaces collapsed, case-folded. "Mallory", " ｍａｌｌｏｒｙ" and "MALLORY" are one
 * person; two people both called 张伟 are told apart by an explicit person id given at key creation.
 *
 * @example
 * personIdentity(" ｍａｌｌｏｒｙ "); // → "mallory"
 */
export function personIdentity(raw: string): string {
  // Upper then lower folds more than lower alone (ß → ss, ſ → s), so variants cannot slip through.
  return raw.normalize("NFKC").trim().replace(/\s+/g, " ").toUpperCase().toLowerCase().normalize("NFKC");
}

/**
 * Whether two person identities (or names) are the same person.
 *
 * @example
 * samePerson("Mallory", "ｍａｌｌｏｒｙ"); // → true
 */
export function samePerson(a: string, b: string): boolean {
  return personIdentity(a) === personIdentity(b);
}

/** The person behind a key: its stored identity, or (keys made before persons existed) its name's. */
export function personOfKey(key: { name: string; person: string | null }): string {
  return key.person ?? personIdentity(key.name);
}

export interface ApiKeyRecord {
  id: number;
  name: string;
  /** The person holding the key, normalised; several keys may belong to one person. */
  person: string;
  role: Role;
  prefix: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface ApiKeyRepository {
  count(): Promise<number>;
  insert(key: {
    name: string;
    person: string;
    role: Role;
    keyHash: string;
    prefix: string;
    createdBy: string;
    expiresAt: Date | null;
  }): Promise<ApiKeyRecord>;
  findByHash(keyHash: string): Promise<ApiKeyRecord | null>;
  list(): Promise<ApiKeyRecord[]>;
  revoke(id: number, at: Date): Promise<ApiKeyRecord | null>;
  setExpiry(id: number, at: Date): Promise<ApiKeyRecord | null>;
  touch(id: number, at: Date): Promise<void>;
}

/**
 * Whether a key can be used at `now`: not revoked, not expired.
 *
 * @example
 * isKeyActive({ revokedAt: null, expiresAt: "2030-01-01T00:00:00Z" }, new Date()); // true
 */
export function isKeyActive(key: Pick<ApiKeyRecord, "revokedAt" | "expiresAt">, now: Date): boolean {
  if (key.revokedAt) return false;
  return !key.expiresAt || new Date(key.expiresAt).getTime() > now.getTime();
}

export function roleAllowed(role: Role, allowed: readonly Role[]): boolean {
  return role === "admin" || allowed.includes(role);
}

/** A web console session as stored: the token itself is never stored, only its hash. */
export interface ConsoleSessionRecord {
  id: number;
  keyId: number;
  createdAt: string;
  expiresAt: string;
  endedAt: string | null;
}

export interface ConsoleSessionRepository {
  insert(session: { tokenHash: string; keyId: number; expiresAt: Date }): Promise<ConsoleSessionRecord>;
  /** The session and its key, whatever their state (the caller decides what is active). */
  findByHash(tokenHash: string): Promise<{ session: ConsoleSessionRecord; key: ApiKeyRecord } | null>;
  end(tokenHash: string, at: Date): Promise<void>;
  /** Deletes sessions that expired or ended before `before`; returns how many. */
  deleteBefore(before: Date): Promise<number>;
}

/** A session is usable while it has not ended, has not expired, and its key is still active. */
export function isSessionActive(
  session: Pick<ConsoleSessionRecord, "expiresAt" | "endedAt">,
  key: Pick<ApiKeyRecord, "revokedAt" | "expiresAt">,
  now: Date,
): boolean {
  if (session.endedAt) return false;
  if (new Date(session.expiresAt).getTime() <= now.getTime()) return false;
  return isKeyActive(key, now);
}
