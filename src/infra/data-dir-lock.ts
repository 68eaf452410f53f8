import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";

/**
 * PGlite keeps PostgreSQL's pages in the memory of the one process that opened the folder and
 * writes them back on its own schedule: a second process on the same folder (a second server,
 * or a CLI while the server runs) silently loses writes and leaves sequences behind the data
 * (review #4). So every process that opens DATA_DIR's database takes this lock first.
 */
export const LOCK_FILE = "hotline.lock";

/** Who holds the lock, as written in the lock file. */
export interface LockHolder {
  pid: number;
  hostname: string;
  /** The HTTP port of a server (absent for a CLI). */
  port?: number;
  startedAt: string;
  command: string;
}

/** A lock file whose writer died before finishing it is stale after this long. */
const HALF_WRITTEN_STALE_MS = 10_000;

export class DataDirLockedError extends Error {
  override readonly name = "DataDirLockedError";
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder | null,
  ) {
    super(
      holder
        ? `DATA_DIR ${dataDir} is in use by ${holder.port !== undefined ? "a running server" : `\`${holder.command}\``} (pid ${holder.pid} on ${holder.hostname}${holder.port !== undefined ? `, port ${holder.port}` : ""}, started ${holder.startedAt}); only one process may open the embedded database`
        : `DATA_DIR ${dataDir} is locked by another process (${join(dataDir, LOCK_FILE)} is being written); only one process may open the embedded database`,
    );
  }
}

export class DataDirNotWritableError extends Error {
  override readonly name = "DataDirNotWritableError";
  constructor(
    readonly dataDir: string,
    cause: NodeJS.ErrnoException,
  ) {
    super(
      `DATA_DIR ${dataDir} is not writable (${cause.code ?? cause.message}): the embedded database needs a directory it can write to; fix its permissions or set DATA_DIR to another directory`,
      { cause },
    );
  }
}

export interface DataDirLock {
  readonly path: string;
  /** Removes the lock file if it is still ours (idempotent). */
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHolder(path: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<LockHolder>;
    return typeof parsed.pid === "number" && typeof parsed.hostname === "string"
      ? (parsed as LockHolder)
      : null;
  } catch {
    return null;
  }
}

function isNotWritable(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "EACCES" || code === "EROFS" || code === "EPERM";
}

/**
 * Takes the exclusive lock on `dataDir` (creates the folder if needed): a lock file created with
 * O_EXCL holding pid, host, port, start time and command. A lock left by a process that is dead
 * on this host is taken over; a live holder (or one on another host sharing the folder) makes
 * this throw DataDirLockedError naming it. The lock is released by `release()` and on exit.
 *
 * @example
 * const lock = acquireDataDirLock("data", { port: 3000, command: "server" });
 * // … open PGlite under data/ …
 * lock.release();
 */
export function acquireDataDirLock(
  dataDir: string,
  options: { port?: number; command: string },
): DataDirLock {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    if (isNotWritable(error)) throw new DataDirNotWritableError(dataDir, error);
    throw error;
  }
  const path = join(dataDir, LOCK_FILE);
  const holder: LockHolder = {
    pid: process.pid,
    hostname: hostname(),
    ...(options.port !== undefined ? { port: options.port } : {}),
    startedAt: new Date().toISOString(),
    command: options.command,
  };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    let fd: number;
    try {
      fd = openSync(path, "wx", 0o600);
    } catch (error) {
      if (isNotWritable(error)) throw new DataDirNotWritableError(dataDir, error);
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const current = readHolder(path);
      const stale = current
        ? current.hostname === holder.hostname && !isAlive(current.pid)
        : Date.now() - mtimeOf(path) > HALF_WRITTEN_STALE_MS;
      if (!stale) throw new DataDirLockedError(dataDir, current);
      // The holder died without releasing (SIGKILL, power loss): take the lock over.
      try {
        unlinkSync(path);
      } catch (unlinkError) {
        if ((unlinkError as NodeJS.ErrnoException).code !== "ENOENT") throw unlinkError;
      }
      continue;
    }
    try {
      writeSync(fd, `${JSON.stringify(holder)}\n`);
    } finally {
      closeSync(fd);
    }
    return ownLock(resolve(path), holder);
  }
  throw new DataDirLockedError(dataDir, readHolder(path));
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function ownLock(path: string, holder: LockHolder): DataDirLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off("exit", release);
    // Only our own file: never delete a lock another process took over meanwhile.
    const current = readHolder(path);
    if (current?.pid === holder.pid && current.startedAt === holder.startedAt) {
      try {
        unlinkSync(path);
      } catch {
        // Already gone: nothing to release.
      }
    }
  };
  process.on("exit", release);
  return { path, release };
}

/** The current holder of `dataDir`'s lock if that process is alive, else null. */
export function lockHolderOf(dataDir: string): LockHolder | null {
  const holder = readHolder(join(dataDir, LOCK_FILE));
  if (!holder) return null;
  return holder.hostname !== hostname() || isAlive(holder.pid) ? holder : null;
}
