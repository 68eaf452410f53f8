import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import type { ClassifierArtifact, ClassifierStore } from "#domain/classifier/artifact";
import { deserialiseEngine, serialiseEngine } from "#domain/classifier/engine";
import type { ReadinessCheck } from "#domain/ports";

/** How often the newest version on disk is looked up (hot reload after `npm run train`). */
const RELOAD_CHECK_MS = 5000;

/** A version folder whose model.json could not be read, and why. */
export interface RejectedArtifact {
  version: string;
  reason: string;
}

/** The file store also says which versions it refused and which one it serves (for /readyz). */
export interface FileClassifierStore extends ClassifierStore {
  /** Versions newer than the served one whose model.json is unreadable (truncated, invalid). */
  rejected(): RejectedArtifact[];
  /** The version being served, or null before the first good one. */
  servedVersion(): string | null;
}

/**
 * Artifacts as files: models/classifier/<version>/model.json (+ metrics.json for people). Versions
 * sort by name (they start with a UTC timestamp); writes go through a temp file and a rename, so a
 * reader never sees half a model. A version that does not load (a truncated copy, a bad edit) is
 * skipped: the newest good one keeps being served, the bad one is reported once through
 * `onInvalid` and by `rejected()` and retried only when its file changes (review #19).
 */
export function createFileClassifierStore(
  dir: string,
  options: { onInvalid?: (version: string, reason: string) => void } = {},
): FileClassifierStore {
  let loaded: ClassifierArtifact | null = null;
  let checkedAt = 0;
  /** Unreadable versions, keyed by version, with the file's mtime when it was refused. */
  const bad = new Map<string, { reason: string; mtimeMs: number }>();

  const versionsNewestFirst = () => {
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "model.json")))
      .map((entry) => entry.name)
      .sort()
      .reverse();
  };

  const load = (version: string): ClassifierArtifact | null => {
    const file = join(dir, version, "model.json");
    const mtimeMs = statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    const known = bad.get(version);
    if (known && known.mtimeMs === mtimeMs) return null;
    try {
      const raw = JSON.parse(readFileSync(file, "utf8")) as Omit<ClassifierArtifact, "model"> & {
        model: unknown;
      };
      if (typeof raw.version !== "string" || raw.model === undefined)
        throw new Error("not a classifier artifact");
      bad.delete(version);
      return { ...raw, model: deserialiseEngine(raw.model) };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      bad.set(version, { reason, mtimeMs });
      options.onInvalid?.(version, reason);
      return null;
    }
  };

  return {
    async save(artifact) {
      const target = join(dir, artifact.version);
      mkdirSync(target, { recursive: true });
      const { model, ...summary } = artifact;
      writeFileSync(join(target, "metrics.json"), `${JSON.stringify(summary, null, 2)}\n`);
      const temporary = join(target, "model.json.tmp");
      writeFileSync(temporary, JSON.stringify({ ...summary, model: serialiseEngine(model) }));
      renameSync(temporary, join(target, "model.json"));
      checkedAt = 0;
      return target;
    },
    async current() {
      const now = Date.now();
      if (loaded && now - checkedAt < RELOAD_CHECK_MS) return loaded;
      checkedAt = now;
      // Newest first, down to the one already served: the first that loads wins.
      for (const version of versionsNewestFirst()) {
        if (loaded?.version === version) return loaded;
        const artifact = load(version);
        if (artifact) {
          loaded = artifact;
          return loaded;
        }
      }
      return loaded;
    },
    rejected() {
      const served = loaded?.version ?? "";
      return [...bad.entries()]
        .filter(([version]) => version > served)
        .map(([version, { reason }]) => ({ version, reason }));
    },
    servedVersion: () => loaded?.version ?? null,
  };
}

/**
 * Advisory `/readyz` check naming classifier versions that could not be loaded. Advisory because
 * suggest keeps working on the last good version (or untrained): taking every replica out of
 * rotation for a bad artifact would turn a training mistake into an outage.
 */
export function createClassifierCheck(store: FileClassifierStore): ReadinessCheck {
  return {
    name: "classifier",
    advisory: true,
    check: async () => {
      await store.current();
      const served = store.servedVersion();
      const rejected = store.rejected();
      const serving = served ? `serving ${served}` : "no trained classifier yet (suggestions untrained)";
      if (rejected.length === 0) return { ok: true, detail: serving };
      return {
        ok: false,
        detail: `${serving}; ignored unreadable ${rejected
          .map(({ version, reason }) => `${version} (${reason.slice(0, 120)})`)
          .join(", ")}: retrain, or remove the folder from the classifier directory`,
      };
    },
  };
}

/** Artifacts kept in memory only (evaluation runs must not replace the served model). */
export function createMemoryClassifierStore(): ClassifierStore {
  const artifacts: ClassifierArtifact[] = [];
  return {
    async save(artifact) {
      artifacts.push(artifact);
      return `memory:${artifact.version}`;
    },
    async current() {
      return artifacts.at(-1) ?? null;
    },
  };
}
