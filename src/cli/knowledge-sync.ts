/** `npm run knowledge:sync [-- --force]`: imports knowledge/ into the database, with a progress bar. */
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { loadConfig } from "#config/env";
import { syncCalendarFile } from "#services/calendar";
import { syncReference } from "#services/reference";
import { syncKnowledge } from "#services/sync-knowledge";
import { openCliRuntime } from "./runtime";

const { values } = parseArgs({ options: { force: { type: "boolean", default: false } } });
const config = loadConfig(process.env);
const runtime = await openCliRuntime(
  config,
  "Restart the server instead: it syncs knowledge/ at start-up (KNOWLEDGE_SYNC_ON_START).",
);
const bar = new cliProgress.SingleBar(
  { format: "{phase} [{bar}] {value}/{total}", hideCursor: true },
  cliProgress.Presets.shades_classic,
);
let currentPhase = "";
try {
  const report = await syncKnowledge({
    deps: runtime.deps,
    input: { bundle: runtime.bundle, force: values.force ?? false },
    onProgress: (progress) => {
      if (progress.phase !== currentPhase) {
        if (currentPhase) bar.stop();
        currentPhase = progress.phase;
        bar.start(progress.total, 0, { phase: progress.phase.padEnd(9) });
      }
      bar.update(progress.done, { phase: progress.phase.padEnd(9) });
    },
  });
  if (currentPhase) bar.stop();
  const calendar = await syncCalendarFile({ deps: runtime.deps, input: { years: runtime.calendarYears } });
  console.log(
    calendar.written.length > 0
      ? `calendar.yaml: years ${calendar.written.join(", ")} written`
      : "calendar.yaml: unchanged",
  );
  // Reference data (派单目录, 紧急项, rules, synonyms) whose file changed: a new version, in force now.
  const reference = await syncReference({ deps: runtime.deps, input: { bundle: runtime.bundle } });
  console.log(
    reference.written.length > 0
      ? `reference data: ${reference.written.map((entry) => `${entry.kind} v${entry.version}`).join(", ")} written`
      : "reference data: unchanged",
  );
  console.log(
    report.changed
      ? `synced to ${runtime.database.kind}: ${JSON.stringify(report.scripts)}, ${report.passagesEmbedded} passages embedded in ${report.durationMs} ms`
      : `nothing changed (${report.scripts.total} scripts, ${report.durationMs} ms)`,
  );
  if (report.scripts.skippedRetired.length > 0) {
    console.warn(
      `warning: ${report.scripts.skippedRetired.length} retired script(s) changed in the files and were not synced (they stay retired): ${report.scripts.skippedRetired.join(", ")}`,
    );
  }
} finally {
  await runtime.close();
}
