import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ClassifierArtifact, ClassifierStore } from "#domain/classifier/artifact";
import { deserialiseEngine, serialiseEngine } from "#domain/classifier/engine";

/** How often the newest version on disk is looked up (hot reload after `npm run train`). */
const RELOAD_CHECK_MS = 5000;

/**
 * Artifacts as files: models/classifier/<version>/model.json (+ metrics.json for people). Versions
 * sort by name (they start with a UTC timestamp); writes go through a temp file and a rename, so a
 * reader never sees half a model.
 */
export function createFileClassifierStore(dir: string): ClassifierStore {
  let loaded: ClassifierArtifact | null = null;
  let checkedAt = 0;

  const newestVersion = () => {
    if (!existsSync(dir)) return null;
    const versions = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "model.json")))
      .map((entry) => entry.name)
      .sort();
    return versions.at(-1) ?? null;
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
      const version = newestVersion();
      if (!version) return null;
      if (loaded?.version === version) return loaded;
      const raw = JSON.parse(readFileSync(join(dir, version, "model.json"), "utf8")) as Omit<
        ClassifierArtifact,
        "model"
      > & {
        model: unknown;
      };
      loaded = { ...raw, model: deserialiseEngine(raw.model) };
      return loaded;
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
