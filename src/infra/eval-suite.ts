import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import type { GoldRun } from "#domain/classifier/registry";

const SuiteSchema = z.object({
  tolerance: z.number().min(0).max(1),
  runs: z.array(
    z.object({
      task: z.string(),
      name: z.string().optional(),
      test: z.string(),
      labelField: z.string(),
      textField: z.string().optional(),
      /** Only the first rows (a quick gate, e.g. in tests); the eval harness ignores it. */
      limit: z.number().int().positive().optional(),
    }),
  ),
});

const CLASSIFICATION = ["category", "department", "type", "urgent", "marketEntity"] as const;
type Task = (typeof CLASSIFICATION)[number];

/** A row's acceptable labels, as the evaluation harness reads them (category paths → "l1/l2/l3"). */
function goldOf(task: Task, value: unknown): string[] | null {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value === "boolean") return [String(value)];
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.every((entry) => typeof entry === "string"))
    return task === "category" ? [value.join("/")] : value;
  return null;
}

/**
 * Reads an evaluation suite (`eval/suites/ci.json`) for the promotion gate: its tolerance and the
 * rows of its classification runs (retrieval does not depend on the classifier). Run names are
 * the baseline keys the eval gate uses (`task`, or the run's `name`). Paths are relative to the
 * working directory (the repository root), as `npm run eval` reads them.
 *
 * @example
 * const { tolerance, runs } = loadGateSuite("eval/suites/ci.json");
 */
export function loadGateSuite(file: string): { tolerance: number; runs: GoldRun[] } {
  const suite = SuiteSchema.parse(JSON.parse(readFileSync(file, "utf8")));
  const runs: GoldRun[] = [];
  for (const run of suite.runs) {
    if (!(CLASSIFICATION as readonly string[]).includes(run.task)) continue;
    const task = run.task as Task;
    const textFields = (run.textField ?? "title,text").split(",");
    const rows: GoldRun["rows"] = [];
    readFileSync(resolve(run.test), "utf8")
      .split(/\r?\n/)
      .forEach((line, index) => {
        if (!line.trim()) return;
        const raw = JSON.parse(line) as Record<string, unknown>;
        const text = textFields
          .map((field) => raw[field])
          .filter((value): value is string => typeof value === "string" && value.trim().length > 0)
          .join("\n");
        const gold = goldOf(task, raw[run.labelField]);
        if (text && gold) rows.push({ id: String(raw.id ?? `line-${index + 1}`), text, gold });
      });
    const head =
      task === "category"
        ? rows.some((row) => row.gold.some((label) => label.split("/").length === 3))
          ? "category"
          : "category1"
        : task;
    runs.push({ name: run.name ?? task, task, head, rows: rows.slice(0, run.limit ?? rows.length) });
  }
  return { tolerance: suite.tolerance, runs };
}
