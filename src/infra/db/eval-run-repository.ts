import { desc, eq, getTableColumns, inArray } from "drizzle-orm";
import {
  type EvalRunEntry,
  type EvalRunStatus,
  type EvalRunStore,
  isEvalRunId,
  parseEvalRunRecord,
  type StoredEvalRun,
} from "#domain/evaluation";
import type { Db } from "./client";
import { evalRuns } from "./schema/index";

/** Every column but the report (about 0.7 MB for the CI suite), which only its page reads. */
const { reportHtml: _reportHtml, ...runColumns } = getTableColumns(evalRuns);

function toRun(row: Omit<typeof evalRuns.$inferSelect, "reportHtml">): StoredEvalRun | null {
  // The figures are parsed like a report.json; a row that no longer fits is left out, not served.
  const parsed = parseEvalRunRecord({
    name: row.name,
    createdAt: row.startedAt.toISOString(),
    modelVersion: row.modelVersion,
    embeddingModel: row.embeddingModel,
    inputs: row.inputs,
    results: row.results,
  });
  if (!parsed.ok) return null;
  return {
    ...parsed.run,
    id: row.id,
    status: row.status as EvalRunStatus,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    createdBy: row.createdBy,
  };
}

export interface DatabaseEvalRunStore extends EvalRunStore {
  /** Records a run (insert or replace by id): started, then finished or failed. */
  save(run: EvalRunEntry): Promise<void>;
  /** Copies runs of the report folder the database does not have yet; returns how many. */
  importFolder(): Promise<number>;
}

/**
 * Evaluation runs in the shared database, so every replica lists the same ones. With `folder`
 * (EVAL_REPORTS_DIR), runs written there (by an eval run that could not reach the database, or
 * before the table existed) are copied in when the list is read; the database wins for an id it has.
 *
 * @example
 * const store = createDatabaseEvalRunStore(db, { folder: createFileEvalRunStore("eval/reports") });
 * await store.save({ ...run, status: "completed", finishedAt, createdBy: "cli:ops", reportHtml });
 */
export function createDatabaseEvalRunStore(
  db: Db,
  options: { folder?: EvalRunStore } = {},
): DatabaseEvalRunStore {
  const save = async (run: EvalRunEntry) => {
    const values = {
      name: run.name,
      status: run.status,
      startedAt: new Date(run.createdAt),
      finishedAt: run.finishedAt ? new Date(run.finishedAt) : null,
      modelVersion: run.modelVersion ?? null,
      embeddingModel: run.embeddingModel ?? null,
      createdBy: run.createdBy,
      inputs: run.inputs ?? {},
      results: run.results,
      reportHtml: run.reportHtml,
      error: run.error ?? null,
    };
    await db
      .insert(evalRuns)
      .values({ id: run.id, ...values })
      .onConflictDoUpdate({ target: evalRuns.id, set: values });
  };
  const importFolder = async () => {
    const folder = options.folder;
    if (!folder) return 0;
    const onDisk = await folder.list();
    if (onDisk.length === 0) return 0;
    const known = new Set(
      (
        await db
          .select({ id: evalRuns.id })
          .from(evalRuns)
          .where(
            inArray(
              evalRuns.id,
              onDisk.map((run) => run.id),
            ),
          )
      ).map((row) => row.id),
    );
    let imported = 0;
    for (const run of onDisk) {
      if (known.has(run.id)) continue;
      await db
        .insert(evalRuns)
        .values({
          id: run.id,
          name: run.name,
          status: "completed",
          startedAt: new Date(run.createdAt),
          finishedAt: null,
          modelVersion: run.modelVersion ?? null,
          embeddingModel: run.embeddingModel ?? null,
          createdBy: "files",
          inputs: run.inputs ?? {},
          results: run.results,
          reportHtml: await folder.reportHtml(run.id),
        })
        .onConflictDoNothing();
      imported += 1;
    }
    return imported;
  };
  return {
    save,
    importFolder,
    async list() {
      await importFolder();
      const rows = await db.select(runColumns).from(evalRuns).orderBy(desc(evalRuns.startedAt));
      return rows.map(toRun).filter((run): run is StoredEvalRun => run !== null);
    },
    async get(id) {
      if (!isEvalRunId(id)) return null;
      let [row] = await db.select(runColumns).from(evalRuns).where(eq(evalRuns.id, id));
      if (!row && options.folder && (await options.folder.get(id))) {
        await importFolder();
        [row] = await db.select(runColumns).from(evalRuns).where(eq(evalRuns.id, id));
      }
      return row ? toRun(row) : null;
    },
    async reportHtml(id) {
      if (!isEvalRunId(id)) return null;
      const [row] = await db
        .select({ reportHtml: evalRuns.reportHtml })
        .from(evalRuns)
        .where(eq(evalRuns.id, id));
      return row?.reportHtml ?? null;
    },
  };
}
