import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  acquireDataDirLock,
  DataDirLockedError,
  DataDirNotWritableError,
  LOCK_FILE,
  lockHolderOf,
} from "#infra/data-dir-lock";

const freshDir = () => mkdtempSync(join(tmpdir(), "lock-"));

/** A pid that certainly belongs to no running process: one that has just exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.exit(0)"]);
  return child.pid ?? 999_999;
}

describe("DATA_DIR lock", () => {
  it("refuses a second holder and names the first (pid, port, command)", () => {
    const dir = freshDir();
    const first = acquireDataDirLock(dir, { port: 3000, command: "server" });
    let thrown: unknown;
    try {
      acquireDataDirLock(dir, { command: "keys:create" });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DataDirLockedError);
    const message = (thrown as Error).message;
    expect(message).toContain(`pid ${process.pid}`);
    expect(message).toContain("port 3000");
    expect(message).toContain(dir);
    expect(lockHolderOf(dir)).toMatchObject({ pid: process.pid, port: 3000, command: "server" });
    first.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    // Released: the next process gets it.
    acquireDataDirLock(dir, { command: "keys:create" }).release();
  });

  it("takes over a lock left by a process that died on this host", () => {
    const dir = freshDir();
    const pid = deadPid();
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({
        pid,
        hostname: hostname(),
        port: 3000,
        startedAt: "2026-01-01T00:00:00Z",
        command: "server",
      }),
    );
    expect(lockHolderOf(dir)).toBeNull();
    const lock = acquireDataDirLock(dir, { port: 3001, command: "server" });
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8"))).toMatchObject({
      pid: process.pid,
      port: 3001,
    });
    lock.release();
  });

  it("does not take over a live holder's lock, nor one from another host", () => {
    const dir = freshDir();
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({
        pid: deadPid(),
        hostname: `not-${hostname()}`,
        startedAt: "2026-01-01T00:00:00Z",
        command: "server",
      }),
    );
    expect(() => acquireDataDirLock(dir, { command: "server" })).toThrow(DataDirLockedError);
  });

  it("release leaves a lock that another process took over alone", () => {
    const dir = freshDir();
    const lock = acquireDataDirLock(dir, { command: "server" });
    const other = JSON.stringify({ pid: 1, hostname: hostname(), startedAt: "x", command: "other" });
    writeFileSync(join(dir, LOCK_FILE), other);
    lock.release();
    expect(readFileSync(join(dir, LOCK_FILE), "utf8")).toBe(other);
  });

  it("names a DATA_DIR it cannot write to", () => {
    // As root permissions do not apply, but /sys is read-only to everyone.
    const dir = process.getuid?.() === 0 ? "/sys/kernel" : freshDir();
    if (dir !== "/sys/kernel") chmodSync(dir, 0o500);
    expect(() => acquireDataDirLock(dir, { command: "server" })).toThrow(DataDirNotWritableError);
    expect(() => acquireDataDirLock(dir, { command: "server" })).toThrow(`DATA_DIR ${dir} is not writable`);
  });
});
