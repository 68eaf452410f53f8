/**
 * `npm run work-orders:import -- <events.jsonl|events.csv>`
 * Backfills work-order events through the same service as POST /v1/work-orders/events: one event
 * per line (JSONL) or row (CSV), each validated, masked and applied in its own transaction;
 * replays change nothing, so an interrupted import is simply run again. CSV columns are the event
 * fields; `departments` is written `zjj:主办|cgj:协办`, `category` as `l1/l2/l3`. Bad events are
 * listed with their line and the rest still apply (exit code 1 when any was refused).
 */
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { loadConfig } from "#config/env";
import { readNumberedRows } from "#infra/knowledge-fs/read-rows";
import { ingestWorkOrderEvents, MAX_EVENTS_PER_BATCH } from "#services/work-orders";
import { cliActor, openCliRuntime } from "./runtime";

const { positionals } = parseArgs({ allowPositionals: true, options: {} });
const file = positionals[0];
if (!file) {
  console.error("usage: npm run work-orders:import -- <events.jsonl|events.csv>");
  process.exit(2);
}

/** CSV cells are text: departments "code:角色|code:角色" become the event's list. */
function fromCsv(row: Record<string, unknown>): Record<string, unknown> {
  const event = { ...row };
  if (typeof event.departments === "string") {
    event.departments = event.departments.split("|").map((entry) => {
      const [code, role] = entry.split(":").map((part) => part.trim());
      return { code, role: role ?? "主办" };
    });
  }
  // A single-valued department column is split on "|" by the shared reader; events name one.
  if (Array.isArray(event.department) && event.department.length === 1)
    event.department = event.department[0];
  return event;
}

const numbered = readNumberedRows(file).map(({ line, row }) => ({
  line,
  row: file.endsWith(".csv") ? fromCsv(row as Record<string, unknown>) : row,
}));
const runtime = await openCliRuntime(
  loadConfig(process.env),
  "While the server runs, post the events to POST /v1/work-orders/events with an integration key (npm run keys:create -- --role integration), or stop the server and run the import again.",
);
const bar = new cliProgress.SingleBar(
  {
    format: "events [{bar}] {value}/{total} · stored {stored} · duplicates {duplicates} · refused {rejected}",
  },
  cliProgress.Presets.shades_classic,
);
const totals = { stored: 0, duplicates: 0, rejected: 0 };
const refused: string[] = [];
try {
  bar.start(numbered.length, 0, totals);
  for (let offset = 0; offset < numbered.length; offset += MAX_EVENTS_PER_BATCH) {
    const batch = numbered.slice(offset, offset + MAX_EVENTS_PER_BATCH);
    const report = await ingestWorkOrderEvents({
      deps: runtime.deps,
      input: { events: batch.map(({ row }) => row) },
      actor: { name: `cli:${cliActor()}` },
    });
    totals.stored += report.stored;
    totals.duplicates += report.duplicates;
    totals.rejected += report.rejected;
    for (const result of report.results) {
      if (result.error)
        refused.push(
          `  ${file}:${batch[result.index]?.line ?? "?"}: ${result.error.code}: ${result.error.message}`,
        );
    }
    bar.update(offset + batch.length, totals);
  }
  bar.stop();
  console.log(
    `${file}: ${numbered.length} events — ${totals.stored} stored, ${totals.duplicates} already stored, ${totals.rejected} refused`,
  );
  for (const line of refused.slice(0, 200)) console.error(line);
  if (refused.length > 200) console.error(`  … and ${refused.length - 200} more`);
  if (refused.length > 0) process.exitCode = 1;
} finally {
  await runtime.close();
}
