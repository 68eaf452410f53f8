import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import {
  type ApiKeyRecord,
  isKeyActive,
  type Principal,
  personIdentity,
  ROLES,
  type Role,
} from "#domain/access";
import { ConflictError, DomainError, NotFoundError } from "#domain/errors";
import { maskPersonalData } from "#domain/text/pii";
import { INSTANT_RANGE, TextSchema } from "#domain/values";
import type { ServiceDeps } from "./deps";

type AccessDeps = Pick<ServiceDeps, "keys" | "transact" | "clock">;

export const KEY_PREFIX = "hk_";

export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export const CreateKeyInputSchema = z.object({
  /** Masked: a key's name is the actor in every table and audit entry (review #2). */
  name: TextSchema({ max: 100 }).transform(maskPersonalData),
  /**
   * Who holds the key (review #12), e.g. a staff login "zhangwei-rsj": the two-person rule compares
   * persons, not key names. Defaults to the normalised name; stored normalised.
   */
  person: z
    .string()
    .max(100)
    .transform(personIdentity)
    .pipe(z.string().min(1, "person must not be blank"))
    .optional(),
  role: z.enum(ROLES),
  // A Date, or any string Date understands (the CLI's --expires 2027-01-01), within INSTANT_RANGE.
  expiresAt: z.coerce
    .date()
    .refine((date) => {
      const year = date.getUTCFullYear();
      return year >= INSTANT_RANGE.fromYear && year <= INSTANT_RANGE.toYear;
    }, `must be a time between ${INSTANT_RANGE.fromYear} and ${INSTANT_RANGE.toYear}`)
    .nullable()
    .default(null),
});

/**
 * Creates an API key; the plain key is returned once and only its hash is stored.
 *
 * @example
 * const { key } = await createApiKey({ deps, input: { name: "console-01", role: "agent" }, actor: "admin" });
 */
export async function createApiKey({
  deps,
  input,
  actor,
}: {
  deps: AccessDeps;
  input: z.input<typeof CreateKeyInputSchema>;
  actor: string;
}): Promise<{ key: string; record: ApiKeyRecord }> {
  const { name, person: explicitPerson, role, expiresAt } = CreateKeyInputSchema.parse(input);
  const person = explicitPerson ?? personIdentity(name);
  const now = deps.clock.now();
  // A key that can never be used is a mistake (review #20), not a key.
  if (expiresAt && expiresAt.getTime() <= now.getTime())
    throw new DomainError("BAD_REQUEST", "expiresAt: must be in the future");
  const key = `${KEY_PREFIX}${randomBytes(24).toString("base64url")}`;
  const record = await deps.transact(async ({ keys, audit }) => {
    if (explicitPerson === undefined) {
      // A name already held by someone with an explicit person id (two 张伟) is ambiguous: without
      // a person id the new key would silently become a third person, or the wrong one.
      const namesakes = (await keys.list()).filter(
        (other) => personIdentity(other.name) === personIdentity(name) && other.person !== person,
      );
      if (namesakes.length > 0) {
        throw new ConflictError(
          `the name ${name} belongs to ${[...new Set(namesakes.map((other) => other.person))].join(", ")}: say which person holds this key (person)`,
        );
      }
    }
    const created = await keys.insert({
      name,
      person,
      role,
      keyHash: hashKey(key),
      prefix: key.slice(0, 8),
      createdBy: actor,
      expiresAt,
    });
    await audit.append(
      {
        actor,
        action: "key.create",
        entityType: "api_key",
        entityId: String(created.id),
        after: { name, person, role, expiresAt },
      },
      now,
    );
    return created;
  });
  return { key, record };
}

/** Resolves a bearer key to its principal, or null when unknown, revoked or expired. */
export async function authenticate({
  deps,
  input,
}: {
  deps: AccessDeps;
  input: { key: string };
}): Promise<Principal | null> {
  if (!input.key.startsWith(KEY_PREFIX) || input.key.length > 200) return null;
  const record = await deps.keys.findByHash(hashKey(input.key));
  const now = deps.clock.now();
  if (!record || !isKeyActive(record, now)) return null;
  // Recording use is best effort; it must never fail the request.
  if (!record.lastUsedAt || now.getTime() - new Date(record.lastUsedAt).getTime() > 60_000) {
    deps.keys.touch(record.id, now).catch(() => {});
  }
  return { keyId: record.id, name: record.name, person: record.person, role: record.role };
}

export async function listApiKeys({ deps }: { deps: AccessDeps }): Promise<ApiKeyRecord[]> {
  return deps.keys.list();
}

/** Revokes (now) or expires (at a given time) a key; both are audited. */
export async function changeApiKey({
  deps,
  input,
  actor,
}: {
  deps: AccessDeps;
  input: { id: number; action: "revoke" | "expire"; at?: Date };
  actor: string;
}): Promise<ApiKeyRecord> {
  const now = deps.clock.now();
  return deps.transact(async ({ keys, audit }) => {
    const updated =
      input.action === "revoke"
        ? await keys.revoke(input.id, now)
        : await keys.setExpiry(input.id, input.at ?? now);
    if (!updated) throw new NotFoundError(`API key ${input.id} does not exist`);
    await audit.append(
      {
        actor,
        action: `key.${input.action}`,
        entityType: "api_key",
        entityId: String(input.id),
        after: { revokedAt: updated.revokedAt, expiresAt: updated.expiresAt },
      },
      now,
    );
    return updated;
  });
}

/**
 * On first start with no keys at all, creates one admin key so someone can log in. Returns the
 * key (to print once) or null when keys already exist.
 */
export async function ensureBootstrapAdminKey({ deps }: { deps: AccessDeps }): Promise<string | null> {
  if ((await deps.keys.count()) > 0) return null;
  const { key } = await createApiKey({
    deps,
    input: { name: "bootstrap-admin", role: "admin" },
    actor: "system",
  });
  return key;
}

export class AuthError extends DomainError {}

export function requireRole(principal: Principal | undefined, allowed: readonly Role[]): Principal {
  if (!principal) throw new AuthError("UNAUTHORIZED", "missing or invalid API key");
  if (principal.role !== "admin" && !allowed.includes(principal.role)) {
    throw new AuthError(
      "FORBIDDEN",
      `role ${principal.role} may not do this (needs ${allowed.join(" or ")})`,
    );
  }
  return principal;
}
