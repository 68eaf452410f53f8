import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runTypeScript, type StartedProcess } from "../helpers/processes";

const START_TIMEOUT_MS = 90_000;
const DATA_DIR = mkdtempSync(join(tmpdir(), "lock-e2e-"));
const ENV = {
  ...process.env,
  HOST: "127.0.0.1",
  LOG_LEVEL: "warn",
  KNOWLEDGE_SYNC_ON_START: "false",
  TRAIN_ON_START: "false",
  DATA_DIR,
};

function run(args: string[], env: Record<string, string> = {}): StartedProcess {
  return runTypeScript(args, { ...ENV, ...env });
}

async function waitReady(port: number) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if ((await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`server on ${port} not ready`);
}

const get = (port: number, path: string, key: string) =>
  fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${key}` } });

const running: StartedProcess["child"][] = [];
afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill("SIGKILL");
});

describe("one process per embedded DATA_DIR (review #4)", () => {
  it(
    "a second server fails naming the first; keys:create goes through the running server and its key survives a restart; a dead holder's lock is taken over",
    async () => {
      const first = run(["src/main.ts"], { PORT: "3295" });
      running.push(first.child);
      await waitReady(3295);
      const adminKey = /admin key: (hk_\S+)/.exec(first.output())?.[1] ?? "";
      expect(adminKey).not.toBe("");

      const second = run(["src/main.ts"], { PORT: "3296" });
      running.push(second.child);
      expect(await second.exited).toBe(1);
      expect(second.output()).toContain(`is in use by a running server (pid ${first.child.pid}`);
      expect(second.output()).toContain("port 3295");
      // The first server is unharmed.
      expect((await fetch("http://127.0.0.1:3295/readyz")).status).toBe(200);

      const create = run(["src/cli/keys.ts", "create", "--role", "agent", "--name", "cli-while-running"]);
      expect(await create.exited, create.output()).toBe(0);
      const cliKey = create.output().trim().split("\n").at(-1) ?? "";
      expect(cliKey).toMatch(/^hk_/);
      // Works at once: the server created it.
      expect((await get(3295, "/v1/catalogue", cliKey)).status).toBe(200);
      // The audit names the operator behind the CLI.
      const audit = (await (await get(3295, "/v1/audit?entityType=api_key", adminKey)).json()) as {
        entries: { actor: string; action: string }[];
      };
      expect(audit.entries[0]).toMatchObject({ action: "key.create" });
      expect(audit.entries[0]?.actor).toMatch(/^cli:/);

      // A writing CLI with no API route refuses instead of opening the files.
      const train = run(["src/cli/train.ts"]);
      expect(await train.exited).toBe(1);
      expect(train.output()).toContain("is in use by a running server");

      first.child.kill("SIGTERM");
      expect(await first.exited).toBe(0);
      expect(existsSync(join(DATA_DIR, "hotline.lock"))).toBe(false);

      // A server killed without releasing leaves its lock behind: the next one takes it over.
      const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
      writeFileSync(
        join(DATA_DIR, "hotline.lock"),
        JSON.stringify({
          pid: dead,
          hostname: hostname(),
          port: 3295,
          startedAt: "2026-01-01T00:00:00Z",
          command: "server",
        }),
      );
      const restarted = run(["src/main.ts"], { PORT: "3297" });
      running.push(restarted.child);
      await waitReady(3297);
      expect((await get(3297, "/v1/catalogue", cliKey)).status).toBe(200);
      // Sequences match the data: the next write succeeds (it failed with 500 before the lock).
      const created = await fetch("http://127.0.0.1:3297/v1/keys", {
        method: "POST",
        headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "api-after-restart", role: "agent" }),
      });
      expect(created.status, await created.clone().text()).toBe(201);
      const verify = run(["src/cli/audit-verify.ts"]);
      expect(await verify.exited, verify.output()).toBe(0);
      expect(verify.output()).toContain("audit log intact");
      restarted.child.kill("SIGTERM");
      expect(await restarted.exited).toBe(0);
    },
    START_TIMEOUT_MS * 3,
  );
});
