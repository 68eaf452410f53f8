/**
 * The evaluation harness. It runs the product's real code (import, training, suggest, hit test)
 * and writes eval/reports/<run>/{report.json, summary.md, report.html}.
 *
 *   npm run eval -- <suite>                 a suite from eval/suites/<suite>.json (e.g. ci)
 *   npm run eval -- --task category|department|type|urgent|marketEntity|retrieval
 *                   [--train <jsonl>] [--test <jsonl>] [--folds 5] [--text-field title,text]
 *                   [--label-field category] [--off-topic <jsonl>] [--out <dir>] [--json <file>]
 *                   [--embedding-cache <dir> | --no-embedding-cache]
 *
 * With --train the engine is trained on that file exactly as `npm run train` trains it (in a
 * throw-away in-memory database, the served model is untouched); with --folds it cross-validates
 * on the train file alone; without --train it scores the service as currently trained.
 * A suite with a baseline fails (exit 1) when a headline metric drops beyond its tolerance.
 * Vectors are kept in an on-disk cache (.cache/embeddings, keyed by model id and text hash; safe to
 * delete), so a second run over the same texts embeds only the new ones; the report says how many.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import pino from "pino";
import { z } from "zod";
import { loadConfig } from "#config/env";
import { createMemoryClassifierStore } from "#infra/classifier-store";
import { openDatabase } from "#infra/db/client";
import { createDatabaseEvalRunStore } from "#infra/db/eval-run-repository";
import { createDiskCachedEmbedder, type DiskCachedEmbedder } from "#infra/embedder/disk-cache";
import { readCaseRows } from "#infra/knowledge-fs/case-files";
import { importCases } from "#services/import-cases";
import { syncKnowledge } from "#services/sync-knowledge";
import { trainClassifier } from "#services/train-classifier";
import { buildRuntime, type Runtime } from "../src/bootstrap";
import { baselineKeys, baselineOf, compareToBaseline } from "./lib/baseline";
import { DatasetError, readLabelled } from "./lib/datasets";
import {
  type ClassificationTask,
  evaluateClassification,
  evaluateRetrieval,
  type Progress,
  TASKS,
} from "./lib/harness";
import { type EvalResult, type EvalRun, jsonResult, writeReport } from "./lib/report";

const SuiteSchema = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  /** Labelled cases (the cases:import format) to train on before the runs; omit to score the served model. */
  train: z.string().optional(),
  baseline: z.string().optional(),
  tolerance: z.number().min(0).max(1).default(0.03),
  runs: z.array(
    z.strictObject({
      task: z.enum(TASKS),
      /** Needed when a task runs on several test sets: keys the run's line in the baseline. */
      name: z.string().optional(),
      test: z.string(),
      textField: z.string().default("text"),
      labelField: z.string(),
      /** Retrieval only: off-topic questions (no script answers them), scored as expected = []. */
      offTopic: z.string().optional(),
    }),
  ),
});

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    task: { type: "string" },
    train: { type: "string" },
    test: { type: "string" },
    folds: { type: "string" },
    "text-field": { type: "string", default: "title,text" },
    "label-field": { type: "string" },
    "off-topic": { type: "string" },
    out: { type: "string" },
    json: { type: "string" },
    "write-baseline": { type: "boolean", default: false },
    "embedding-cache": { type: "string", default: join(".cache", "embeddings") },
    "no-embedding-cache": { type: "boolean", default: false },
  },
});

let embeddingCache: DiskCachedEmbedder | null = null;
/** The runtime with its embedder behind the on-disk cache (unless --no-embedding-cache). */
function withEmbeddingCache(runtime: Runtime): Runtime {
  if (values["no-embedding-cache"]) return runtime;
  embeddingCache = createDiskCachedEmbedder(runtime.deps.embedder, {
    dir: values["embedding-cache"] ?? join(".cache", "embeddings"),
  });
  return { ...runtime, deps: { ...runtime.deps, embedder: embeddingCache } };
}

const bar = new cliProgress.SingleBar(
  { format: "{stage} [{bar}] {value}/{total}", hideCursor: true },
  cliProgress.Presets.shades_classic,
);
let currentStage = "";
const progress: Progress = (stage, done, total) => {
  if (stage !== currentStage) {
    if (currentStage) bar.stop();
    currentStage = stage;
    bar.start(total, done, { stage: stage.slice(0, 40).padEnd(40) });
  } else bar.update(done, { stage: stage.slice(0, 40).padEnd(40) });
};
const stopBar = () => {
  if (currentStage) bar.stop();
  currentStage = "";
};

async function isolatedRuntime(): Promise<Runtime> {
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: undefined,
    DATA_DIR: "memory://",
    EMBEDDING_CACHE_SIZE: "50000",
    LOG_LEVEL: "warn",
  });
  const runtime = withEmbeddingCache(await buildRuntime(config, { logger: pino({ level: "warn" }) }));
  const deps = { ...runtime.deps, classifiers: createMemoryClassifierStore() };
  await syncKnowledge({
    deps,
    input: { bundle: runtime.bundle },
    onProgress: (p) => progress(`knowledge ${p.phase}`, p.done, p.total),
  });
  return { ...runtime, deps };
}

/**
 * Retrieval on the served database (no --train): an unsynced DATA_DIR has no published script and
 * would score 0 without saying why.
 */
async function requirePublishedScripts(runtime: Runtime): Promise<void> {
  const items = await runtime.deps.knowledge.listItems();
  if (!items.some((item) => item.publishedVersion !== null)) {
    throw new DatasetError(
      "the database at DATA_DIR/DATABASE_URL has no published script: run `npm run knowledge:sync` first (or use a suite with `train`, which syncs knowledge/ into a throw-away database)",
    );
  }
}

/** Off-topic questions: no script answers them, so each is scored with expected = []. */
function offTopicRows(file: string, textField: string) {
  return readLabelled(file, {
    textFields: textField.split(","),
    labelField: "expected",
    requireLabel: false,
  }).map((row) => ({ ...row, id: `offtopic:${row.id}`, gold: [] }));
}

function stamp(): string {
  return new Date()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
}

function printResult(result: EvalResult) {
  if (result.task === "retrieval") {
    console.log(
      `retrieval: recall@1 ${result.recallAt1.toFixed(4)} recall@3 ${result.recallAt3.toFixed(4)} recall@5 ${result.recallAt5.toFixed(4)} MRR ${result.mrr.toFixed(4)} no-answer ${result.noAnswerRate.toFixed(4)} confident-refusal ${result.confidentRefusal.toFixed(4)} off-topic-rejected ${result.offTopicRejected === null ? "n/a" : result.offTopicRejected.toFixed(4)}`,
    );
    return;
  }
  const ablation = Object.entries(result.ablation)
    .map(([component, score]) => `${component} ${score.macroF1.toFixed(4)}`)
    .join(", ");
  const automation = result.automation
    ? `\n  automation: ${(["auto-fill", "preselect", "suggest"] as const)
        .map(
          (level) =>
            `${level} ${(result.automation?.levels[level].share ?? 0).toFixed(3)} (P ${result.automation?.levels[level].precision?.toFixed(3) ?? "-"})`,
        )
        .join(
          ", ",
        )}; starts auto-fill ${result.automation.thresholds.autoFill?.toFixed(3) ?? "off"}, preselect ${result.automation.thresholds.preselect?.toFixed(3) ?? "off"}`
    : "";
  const off = result.ablationOff
    ? `\n  macro-F1 with one off: ${Object.entries(result.ablationOff)
        .map(([name, score]) => `${name} ${score.macroF1.toFixed(4)}`)
        .join(", ")}`
    : "";
  console.log(
    `${baselineKeys([result])[0]} (${result.head}, n=${result.n}): ${result.departments ? `lead top-1 ${result.departments.leadAccuracy.toFixed(4)} assist P ${result.departments.assist.precision?.toFixed(4) ?? "-"} R ${result.departments.assist.recall?.toFixed(4) ?? "-"} (${result.departments.assist.proposed} proposed) ` : ""}${result.perClass.true && result.task === "marketEntity" ? `F1(true) ${result.perClass.true.f1.toFixed(4)} P ${result.perClass.true.precision.toFixed(4)} R ${result.perClass.true.recall.toFixed(4)} ` : ""}${result.urgency ? `urgent recall ${result.urgency.recall.toFixed(4)} precision ${result.urgency.precision.toFixed(4)} ` : ""}accuracy ${result.accuracy.toFixed(4)} macro-F1 ${result.macroF1.toFixed(4)} top-3 ${result.top3.toFixed(4)} ECE ${result.ece.toFixed(4)} coverage@95%P ${result.coverageAt95.toFixed(3)} p50 ${result.latency.p50Ms.toFixed(1)} ms\n  macro-F1 by component: ${ablation}${off}${automation}`,
  );
}

async function main(): Promise<number> {
  const suiteName = positionals[0];
  let runtime: Runtime | null = null;
  let outDir: string | null = null;
  /** Names the run (its report folder) and records it as running in the shared database. */
  const begin = async (name: string, inputs: Record<string, unknown>) => {
    const dir = values.out ?? join("eval", "reports", `${stamp()}-${name}`);
    recorder = await openRunRecorder(basename(dir), name, inputs);
    return dir;
  };
  try {
    const results: EvalResult[] = [];
    let name: string;
    let inputs: Record<string, unknown>;
    let gate: { baseline: string; tolerance: number } | null = null;

    if (suiteName) {
      const path = existsSync(suiteName) ? suiteName : join("eval", "suites", `${suiteName}.json`);
      const suite = SuiteSchema.parse(JSON.parse(readFileSync(path, "utf8")));
      name = suite.name;
      inputs = { suite: path, ...suite };
      outDir = await begin(name, inputs);
      // Validate every dataset before spending minutes on training.
      const datasets = suite.runs.map((run) => [
        ...readLabelled(run.test, {
          textFields: run.textField.split(","),
          labelField: run.labelField,
          requireLabel: run.task !== "retrieval",
        }),
        ...(run.offTopic ? offTopicRows(run.offTopic, run.textField) : []),
      ]);
      runtime = suite.train
        ? await isolatedRuntime()
        : withEmbeddingCache(
            await buildRuntime(loadConfig(process.env), { logger: pino({ level: "warn" }) }),
          );
      if (!suite.train && suite.runs.some((run) => run.task === "retrieval")) {
        await requirePublishedScripts(runtime);
      }
      if (suite.train) {
        // A file, or a folder of case files (knowledge/cases: the seed and per-department history).
        const rows = readCaseRows(suite.train).map(({ row }) => row);
        await importCases({
          deps: runtime.deps,
          input: { rows, source: "import" },
          actor: { name: "eval" },
          onProgress: (d, t) => progress("embedding training cases", d, t),
        });
        await trainClassifier({
          deps: runtime.deps,
          actor: { name: "eval" },
          onProgress: (stage, d, t) => progress(`training: ${stage}`, d, t),
        });
      }
      for (const [index, run] of suite.runs.entries()) {
        const rows = datasets[index] ?? [];
        results.push(
          run.task === "retrieval"
            ? {
                ...(await evaluateRetrieval(runtime, rows, progress)),
                ...(run.name ? { name: run.name } : {}),
              }
            : {
                ...(await evaluateClassification(
                  runtime,
                  { task: run.task, labelField: run.labelField, test: rows },
                  progress,
                )),
                ...(run.name ? { name: run.name } : {}),
              },
        );
      }
      if (suite.baseline) gate = { baseline: suite.baseline, tolerance: suite.tolerance };
    } else {
      const task = values.task as (typeof TASKS)[number] | undefined;
      if (!task || !(TASKS as readonly string[]).includes(task)) {
        console.error(
          `usage: npm run eval -- <suite> | --task ${TASKS.join("|")} [--train f] [--test f] [--folds k]`,
        );
        return 2;
      }
      const textFields = (values["text-field"] ?? "text").split(",");
      const labelField = values["label-field"] ?? (task === "retrieval" ? "expected" : task);
      const folds = values.folds ? Number(values.folds) : undefined;
      const train = values.train ? readLabelled(values.train, { textFields, labelField }) : undefined;
      const test = values.test
        ? [
            ...readLabelled(values.test, { textFields, labelField, requireLabel: task !== "retrieval" }),
            ...(values["off-topic"] ? offTopicRows(values["off-topic"], textFields.join(",")) : []),
          ]
        : undefined;
      name = `${task}${folds ? `-${folds}fold` : ""}`;
      inputs = { task, train: values.train, test: values.test, folds, textFields, labelField };
      outDir = await begin(name, inputs);
      runtime = train
        ? await isolatedRuntime()
        : withEmbeddingCache(
            await buildRuntime(loadConfig(process.env), { logger: pino({ level: "warn" }) }),
          );
      if (task === "retrieval") {
        if (!test) throw new DatasetError("--task retrieval needs --test");
        if (!train) await requirePublishedScripts(runtime);
        results.push(await evaluateRetrieval(runtime, test, progress));
      } else {
        results.push(
          await evaluateClassification(
            runtime,
            {
              task: task as ClassificationTask,
              labelField,
              ...(train ? { train } : {}),
              ...(test ? { test } : {}),
              ...(folds ? { folds } : {}),
            },
            progress,
          ),
        );
      }
    }
    stopBar();

    const artifact = await runtime.deps.classifiers.current();
    const run: EvalRun = {
      name,
      createdAt: new Date().toISOString(),
      modelVersion: artifact?.version ?? null,
      embeddingModel: runtime.deps.embedder.modelId,
      ...(embeddingCache
        ? { embeddingCache: { dir: values["embedding-cache"] ?? "", ...embeddingCache.counts() } }
        : {}),
      inputs,
      results,
    };
    writeReport(outDir, run);
    await recorder?.finish(run, readFileSync(join(outDir, "report.html"), "utf8"));
    for (const result of results) printResult(result);
    if (embeddingCache) {
      const counts = embeddingCache.counts();
      console.log(
        `embedding cache: ${counts.hits} texts from the cache, ${counts.embedded} embedded (${counts.entries} stored in ${values["embedding-cache"]}${counts.evicted > 0 ? `, ${counts.evicted} unused ones dropped for room` : ""})`,
      );
    }
    console.log(`report: ${join(outDir, "report.html")}`);
    if (values.json) {
      const payload =
        results.length === 1 && results[0] ? jsonResult(results[0]) : { results: results.map(jsonResult) };
      writeFileSync(values.json, `${JSON.stringify(payload, null, 2)}\n`);
      console.log(`json: ${values.json}`);
    }
    if (gate) {
      if (values["write-baseline"]) {
        writeFileSync(gate.baseline, `${JSON.stringify(baselineOf(results), null, 2)}\n`);
        console.log(`baseline written to ${gate.baseline}`);
        return 0;
      }
      const baseline = JSON.parse(readFileSync(gate.baseline, "utf8")) as Record<
        string,
        { metric: string; value: number }
      >;
      const outcome = compareToBaseline(results, baseline, gate.tolerance);
      for (const line of outcome.lines) console.log(line);
      if (!outcome.ok) {
        console.error("regression against the baseline: failing");
        return 1;
      }
    }
    return 0;
  } catch (error) {
    stopBar();
    await recorder?.fail(error);
    if (error instanceof DatasetError || error instanceof z.ZodError) {
      console.error(error instanceof z.ZodError ? `suite file: ${error.message}` : error.message);
      return 1;
    }
    throw error;
  } finally {
    await runtime?.close();
    await recorder?.close();
  }
}

let recorder: Awaited<ReturnType<typeof openRunRecorder>> = null;

/**
 * With DATABASE_URL, the run goes into the shared database (status running, then completed with
 * its figures and report.html, or failed), so every replica's /eval pages list it. Without it (the
 * embedded database belongs to the server) the report folder is what the server copies in. A
 * database that cannot take the run is a warning: the folder still has it.
 */
async function openRunRecorder(id: string, name: string, inputs: Record<string, unknown>) {
  const url = loadConfig(process.env).DATABASE_URL;
  if (!url) return null;
  const database = await openDatabase({ url, dataDir: "unused", poolSize: 1 });
  const store = createDatabaseEvalRunStore(database.db);
  const startedAt = new Date().toISOString();
  const who = `cli:${userInfo().username}`;
  const base = { id, name, createdAt: startedAt, createdBy: who, inputs, results: [], reportHtml: null };
  const warn = (error: unknown) =>
    console.warn(
      `warning: the run was not recorded in the database (${error instanceof Error ? error.message : String(error)}); its report folder has it`,
    );
  await store.save({ ...base, status: "running", finishedAt: null }).catch(warn);
  return {
    finish: (run: EvalRun, reportHtml: string) =>
      store
        .save({
          ...base,
          modelVersion: run.modelVersion,
          embeddingModel: run.embeddingModel,
          results: run.results as never,
          reportHtml,
          status: "completed",
          finishedAt: new Date().toISOString(),
        })
        .then(() => console.log(`recorded in the database as ${id}`))
        .catch(warn),
    fail: (error: unknown) =>
      store
        .save({
          ...base,
          status: "failed",
          finishedAt: new Date().toISOString(),
          error: error instanceof Error ? error.message : String(error),
        })
        .catch(warn),
    close: () => database.close(),
  };
}

process.exitCode = await main();
