import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { isSessionActive, type Principal } from "#domain/access";
import { authenticate, hashKey } from "./access";
import type { ServiceDeps } from "./deps";

type SessionDeps = Pick<ServiceDeps, "keys" | "sessions" | "audit" | "transact" | "clock">;

/** How long a console login lasts: one long shift; the agent logs in again after. */
export const CONSOLE_SESSION_HOURS = 12;

export interface ConsoleSession {
  principal: Principal;
  /** Sent back by the page on every state-changing request (header or form field). */
  csrfToken: string;
  expiresAt: string;
}

/**
 * The CSRF token is derived from the session token, so nothing more is stored: a page on another
 * origin cannot read the httpOnly cookie, so it cannot compute the token either.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHash("sha256").update(`csrf\0${sessionToken}`).digest("base64url");
}

export function csrfTokenMatches(sessionToken: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Logs in to the web console with an API key: returns a fresh session token (for the cookie)
 * or null when the key is unknown, revoked or expired. The login is audited.
 */
export async function startConsoleSession({
  deps,
  input,
}: {
  deps: SessionDeps;
  input: { key: string };
}): Promise<(ConsoleSession & { token: string }) | null> {
  const principal = await authenticate({ deps, input: { key: input.key.trim() } });
  if (!principal) return null;
  const token = randomBytes(32).toString("base64url");
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + CONSOLE_SESSION_HOURS * 3_600_000);
  await deps.transact(async ({ sessions, audit }) => {
    const session = await sessions.insert({ tokenHash: hashKey(token), keyId: principal.keyId, expiresAt });
    await audit.append(
      {
        actor: principal.name,
        action: "console.login",
        entityType: "console_session",
        entityId: String(session.id),
        after: { role: principal.role, expiresAt: session.expiresAt },
      },
      now,
    );
  });
  return { token, principal, csrfToken: csrfTokenFor(token), expiresAt: expiresAt.toISOString() };
}

/** The session behind a cookie, or null when it is unknown, ended, expired or its key is not active. */
export async function resolveConsoleSession({
  deps,
  input,
}: {
  deps: SessionDeps;
  input: { token: string };
}): Promise<ConsoleSession | null> {
  if (input.token.length < 20 || input.token.length > 200) return null;
  const found = await deps.sessions.findByHash(hashKey(input.token));
  if (!found || !isSessionActive(found.session, found.key, deps.clock.now())) return null;
  return {
    principal: { keyId: found.key.id, name: found.key.name, person: found.key.person, role: found.key.role },
    csrfToken: csrfTokenFor(input.token),
    expiresAt: found.session.expiresAt,
  };
}

export async function endConsoleSession({
  deps,
  input,
}: {
  deps: SessionDeps;
  input: { token: string };
}): Promise<void> {
  await deps.sessions.end(hashKey(input.token), deps.clock.now());
}
