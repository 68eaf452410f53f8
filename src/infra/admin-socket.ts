import { chmodSync, existsSync, mkdirSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { request } from "node:http";
import { join, relative } from "node:path";
import { createAdaptorServer } from "@hono/node-server";

/**
 * The local admin channel of a server on the embedded database: a Unix socket inside DATA_DIR
 * (a 0700 folder, so only the owner of the database files can connect; whoever can open it can
 * already read those files). While a server holds DATA_DIR's lock, `keys:*` and `audit:verify`
 * send the same HTTP request the API would get through it instead of opening the files.
 */
export const ADMIN_SOCKET = join("run", "admin.sock");

/** Unix socket paths are limited to about 107 bytes; longer ones are used relative to the cwd. */
function socketPathFor(dataDir: string): string {
  const path = join(dataDir, ADMIN_SOCKET);
  return path.length < 100 ? path : relative(process.cwd(), path);
}

/**
 * Serves `fetch` on DATA_DIR/run/admin.sock (the folder is created 0700 first, so there is no
 * moment where the socket is open to others).
 *
 * @example
 * const channel = await listenAdminSocket("data", adminApp.fetch);
 * await channel.close();
 */
export async function listenAdminSocket(
  dataDir: string,
  fetch: (request: Request) => Response | Promise<Response>,
): Promise<{ path: string; close(): Promise<void> }> {
  const path = socketPathFor(dataDir);
  const folder = join(dataDir, "run");
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  // We hold DATA_DIR's lock, so a socket file left here belongs to a process that is gone.
  if (existsSync(path)) rmSync(path, { force: true });
  const server = createAdaptorServer({ fetch }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // Belt and braces: the folder is already 0700.
  chmodSync(path, 0o600);
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          rmSync(path, { force: true });
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}

/** One response from the admin channel. */
export interface AdminChannelResponse {
  status: number;
  body: unknown;
}

/**
 * Sends one JSON request to the server holding `dataDir` through its admin socket.
 *
 * @example
 * const { status, body } = await callAdminSocket("data", { method: "GET", path: "/v1/keys", actor: "alice" });
 */
export function callAdminSocket(
  dataDir: string,
  options: { method: string; path: string; body?: unknown; actor: string; timeoutMs?: number },
): Promise<AdminChannelResponse> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        socketPath: socketPathFor(dataDir),
        method: options.method,
        path: options.path,
        headers: {
          host: "localhost",
          "x-cli-actor": options.actor,
          ...(payload === undefined
            ? {}
            : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }),
        },
        timeout: options.timeoutMs ?? 60_000,
      },
      (incoming) => {
        let text = "";
        incoming.setEncoding("utf8");
        incoming.on("data", (chunk: string) => {
          text += chunk;
        });
        incoming.on("end", () => {
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // Not JSON: keep the text.
          }
          resolve({ status: incoming.statusCode ?? 0, body });
        });
        incoming.on("error", reject);
      },
    );
    outgoing.on("timeout", () => outgoing.destroy(new Error("the server did not answer in time")));
    outgoing.on("error", reject);
    if (payload !== undefined) outgoing.write(payload);
    outgoing.end();
  });
}
