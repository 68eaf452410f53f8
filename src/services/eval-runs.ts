import { DomainError, NotFoundError } from "#domain/errors";
import {
  compareRuns,
  type EvalRunSummary,
  isEvalRunId,
  newestFirst,
  type RunComparison,
  type StoredEvalRun,
  summariseRun,
} from "#domain/evaluation";
import type { ServiceDeps } from "./deps";

type EvalDeps = Pick<ServiceDeps, "evalRuns">;

export interface EvalRunDetail extends EvalRunSummary {
  /** The parameters the harness ran with (suite, datasets, folds…). */
  inputs: Record<string, unknown>;
}

export interface EvalRunComparison extends RunComparison {
  a: EvalRunSummary;
  b: EvalRunSummary;
}

/** A malformed id is the caller's mistake (400). */
function requireRunId(id: string): void {
  if (!isEvalRunId(id)) throw new DomainError("BAD_REQUEST", `"${id.slice(0, 140)}" is not a run id`);
}

/** A malformed id is 400, an unknown one 404. */
async function requireRun(deps: EvalDeps, id: string): Promise<StoredEvalRun> {
  requireRunId(id);
  const run = await deps.evalRuns.get(id);
  if (!run) throw new NotFoundError(`evaluation run ${id} does not exist or has no readable report.json`);
  return run;
}

/**
 * Every evaluation run with the headline metrics of each task, newest first.
 *
 * @example
 * const runs = await listEvalRuns({ deps });
 * runs[0]?.tasks.find((task) => task.task === "department")?.primary.value; // macro-F1
 */
export async function listEvalRuns({ deps }: { deps: EvalDeps }): Promise<EvalRunSummary[]> {
  return newestFirst(await deps.evalRuns.list()).map(summariseRun);
}

/**
 * One run: its summary and the harness inputs.
 *
 * @example
 * await getEvalRun({ deps, input: { id: "20261127T140451Z-ci" } });
 */
export async function getEvalRun({
  deps,
  input,
}: {
  deps: EvalDeps;
  input: { id: string };
}): Promise<EvalRunDetail> {
  const run = await requireRun(deps, input.id);
  return { ...summariseRun(run), inputs: run.inputs ?? {} };
}

/**
 * Run B against run A: per task both ran, each headline metric's A, B, Δ and whether it got better.
 *
 * @example
 * const { tasks } = await compareEvalRuns({ deps, input: { a: "20261127T140451Z-ci", b: "20261128T090000Z-ci" } });
 */
export async function compareEvalRuns({
  deps,
  input,
}: {
  deps: EvalDeps;
  input: { a: string; b: string };
}): Promise<EvalRunComparison> {
  const [a, b] = await Promise.all([requireRun(deps, input.a), requireRun(deps, input.b)]);
  return { a: summariseRun(a), b: summariseRun(b), ...compareRuns(a, b) };
}

/**
 * The run's self-contained HTML report (charts as inline SVG, no scripts).
 *
 * @example
 * const html = await readEvalReport({ deps, input: { id } });
 */
export async function readEvalReport({
  deps,
  input,
}: {
  deps: EvalDeps;
  input: { id: string };
}): Promise<string> {
  requireRunId(input.id);
  const html = await deps.evalRuns.reportHtml(input.id);
  if (html === null) throw new NotFoundError(`evaluation run ${input.id} has no report.html`);
  return html;
}
