/**
 * `npm run cases:import -- <file.jsonl|file.csv|folder> [--source import|seed]`
 * A folder imports every .jsonl/.csv file under it (e.g. `knowledge/cases`), file by file.
 * Rows: {text, category ("l1/l2/l3" or list), department (code or list, lead first), type,
 * urgent?, marketEntity?, receivedAt?|time?, id?}. Every bad line is reported with its field;
 * nothing is imported unless all lines are valid. Re-importing the same file changes nothing.
 */
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { loadConfig } from "#config/env";
import { ValidationError } from "#domain/errors";
import { caseFiles } from "#infra/knowledge-fs/case-files";
import { readNumberedRows } from "#infra/knowledge-fs/read-rows";
import { importCases } from "#services/import-cases";
import { openCliRuntime } from "./runtime";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { source: { type: "string", default: "import" } },
});
const target = positionals[0];
if (!target) {
  console.error("usage: npm run cases:import -- <file.jsonl|file.csv|folder>");
  process.exit(2);
}
const files = caseFiles(target);
if (files.length === 0) {
  console.error(`${target}: no .jsonl or .csv case files`);
  process.exit(2);
}
const runtime = await openCliRuntime(
  loadConfig(process.env),
  "Stop the server first (there is no API route for importing cases), then run the import again.",
);
try {
  for (const file of files) {
    if (!(await importFile(file))) break;
  }
  console.log("run `npm run train` to learn from them");
} finally {
  await runtime.close();
}

/** Imports one file (all its rows or none); false when it had invalid lines. */
async function importFile(file: string): Promise<boolean> {
  const numbered = readNumberedRows(file);
  const bar = new cliProgress.SingleBar(
    { format: "embedding [{bar}] {value}/{total}" },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  try {
    const report = await importCases({
      deps: runtime.deps,
      input: {
        rows: numbered.map(({ row }) => row),
        lines: numbered.map(({ line }) => line),
        source: values.source === "seed" ? "seed" : "import",
      },
      actor: { name: `cli:${process.env.USER ?? "operator"}` },
      onProgress: (done, total) => {
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(done);
      },
    });
    if (started) bar.stop();
    console.log(
      `${file}: ${report.total} rows — ${report.inserted} new, ${report.updated} updated, ${report.unchanged} unchanged`,
    );
    return true;
  } catch (error) {
    if (started) bar.stop();
    if (!(error instanceof ValidationError)) throw error;
    console.error(`${file}: ${error.message}`);
    const details = error.details as
      | { errors?: { line: number; field: string; message: string }[] }
      | undefined;
    for (const line of details?.errors ?? [])
      console.error(`  ${file}:${line.line}: ${line.field}: ${line.message}`);
    process.exitCode = 1;
    return false;
  }
}
