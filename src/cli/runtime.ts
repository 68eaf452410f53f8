import pino from "pino";
import type { Config } from "#config/env";
import { type AdminChannelResponse, callAdminSocket } from "#infra/admin-socket";
import { DataDirLockedError, lockHolderOf } from "#infra/data-dir-lock";
import { buildRuntime, type Runtime } from "../bootstrap";

/** Who runs a CLI, as the audit log names them. */
export const cliActor = (): string => process.env.USER ?? "operator";

/**
 * Opens the real dependencies for a CLI, holding DATA_DIR's lock (embedded database). When a
 * server or another CLI holds it, prints who does and `whileLocked` (what to do instead) and exits
 * 1: a second process on the same PGlite files loses writes (review #4), and even a read-only one
 * sees pages the server has not written back yet.
 */
export async function openCliRuntime(config: Config, whileLocked: string): Promise<Runtime> {
  try {
    return await buildRuntime(config, { logger: pino({ level: "warn" }) });
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    console.error(`${error.message}.\n${whileLocked}`);
    process.exit(1);
  }
}

/**
 * The running server on this DATA_DIR that accepts admin requests through its local socket, or
 * null (none runs, or the database is PostgreSQL, where any number of processes may connect).
 */
export function runningServer(config: Config): { port: number; pid: number } | null {
  if (config.DATABASE_URL || config.DATA_DIR === "memory://") return null;
  const holder = lockHolderOf(config.DATA_DIR);
  return holder?.port !== undefined ? { port: holder.port, pid: holder.pid } : null;
}

/**
 * Sends one admin request to the running server over DATA_DIR's socket; a non-2xx answer is
 * thrown as an Error carrying the API's message.
 */
export async function viaServer<T>(
  config: Config,
  request: { method: string; path: string; body?: unknown },
): Promise<T> {
  let response: AdminChannelResponse;
  try {
    response = await callAdminSocket(config.DATA_DIR, { ...request, actor: cliActor() });
  } catch (error) {
    throw new Error(
      `the server holding ${config.DATA_DIR} did not answer on its admin socket (${error instanceof Error ? error.message : error})`,
    );
  }
  if (response.status < 200 || response.status >= 300) {
    const message = (response.body as { error?: { message?: string } } | null)?.error?.message;
    throw new Error(`server answered ${response.status}: ${message ?? JSON.stringify(response.body)}`);
  }
  return response.body as T;
}
