import { lstat, readdir, readFile, stat } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import { type EvalRunStore, isEvalRunId, parseEvalRunRecord, type StoredEvalRun } from "#domain/evaluation";

export interface FileEvalRunStoreOptions {
  /** Told about every run folder left out of the list (missing or malformed report.json). */
  onInvalid?: (id: string, reason: string) => void;
}

const isMissing = (error: unknown) =>
  typeof error === "object" && error !== null && "code" in error && error.code === "ENOENT";

/**
 * Evaluation runs as `npm run eval` writes them: `<dir>/<run-id>/{report.json,report.html}`. Only
 * real sub-folders whose name is a valid run id are read (no symlinks, no paths outside `dir`); a
 * folder with a missing or malformed report.json is skipped and reported, never fatal. Parsed
 * reports are kept while the file's size and modification time stay the same.
 *
 * @example
 * const store = createFileEvalRunStore("eval/reports", { onInvalid: (id, why) => logger.warn({ id }, why) });
 * const runs = await store.list();
 */
export function createFileEvalRunStore(dir: string, options: FileEvalRunStoreOptions = {}): EvalRunStore {
  const root = resolve(dir);
  const cache = new Map<string, { stamp: string; run: StoredEvalRun | null }>();

  /** The run's folder, or null when the id is malformed or does not name a real folder. */
  const folderOf = async (id: string): Promise<string | null> => {
    if (!isEvalRunId(id)) return null;
    const folder = resolve(root, id);
    if (!folder.startsWith(`${root}${sep}`)) return null;
    try {
      return (await lstat(folder)).isDirectory() ? folder : null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  };

  /** The run in a folder, parsed once per version of its report.json; problems reported once. */
  const load = async (id: string): Promise<StoredEvalRun | null> => {
    const folder = await folderOf(id);
    if (!folder) return null;
    const file = join(folder, "report.json");
    let stamp = "missing";
    try {
      const info = await stat(file);
      stamp = `${info.size}:${info.mtimeMs}`;
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    const cached = cache.get(id);
    if (cached?.stamp === stamp) return cached.run;
    let run: StoredEvalRun | null = null;
    if (stamp === "missing") {
      options.onInvalid?.(id, "no report.json");
    } else {
      try {
        const parsed = parseEvalRunRecord(JSON.parse(await readFile(file, "utf8")));
        if (parsed.ok) run = { ...parsed.run, id };
        else options.onInvalid?.(id, `report.json: ${parsed.reason}`);
      } catch (error) {
        options.onInvalid?.(id, `report.json: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    cache.set(id, { stamp, run });
    return run;
  };

  return {
    async list() {
      let entries: string[];
      try {
        entries = (await readdir(root, { withFileTypes: true }))
          .filter((entry) => entry.isDirectory() && isEvalRunId(entry.name))
          .map((entry) => entry.name);
      } catch (error) {
        if (isMissing(error)) return []; // no run written yet
        throw error;
      }
      const runs = await Promise.all(entries.map((id) => load(id)));
      return runs.filter((run): run is StoredEvalRun => run !== null);
    },
    get: (id) => load(id),
    async reportHtml(id) {
      const folder = await folderOf(id);
      if (!folder) return null;
      try {
        return await readFile(join(folder, "report.html"), "utf8");
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
  };
}
