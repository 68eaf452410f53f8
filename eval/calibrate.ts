/**
 * `npm run eval:calibrate`: fits the "on topic" probability of the knowledge search (issue #14)
 * and writes knowledge/retrieval-confidence.yaml for review.
 *
 *   npm run eval:calibrate [-- --heldout eval/datasets/retrieval-heldout.jsonl]
 *                          [--off-topic eval/datasets/offtopic.jsonl] [--max-refusal 0.045]
 *                          [--folds 5] [--dry-run] [--dump signals.json]
 *
 * Runs every question through the real search (a throw-away in-memory database synced from
 * knowledge/, the real model), turns each returned script's signals (and per question its word
 * coverage, #domain/retrieval/coverage) into features, fits a
 * logistic model with non-negative feature weights (each script labelled on topic when it is one
 * of the question's expected ids; off-topic questions have none), and picks the threshold that
 * rejects the most off-topic questions while refusing at most --max-refusal of the answerable ones.
 * It prints cross-validated figures first (fitted on the other folds), which are the honest ones.
 * The search runs uncalibrated meanwhile; a retrieval-confidence.yaml written for an older schema
 * fails the knowledge check at start-up: delete it before refitting.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pino from "pino";
import YAML from "yaml";
import { loadConfig } from "#config/env";
import { chooseThreshold, fitNonNegativeLogistic, type LabelledFeatures } from "#domain/retrieval/calibrate";
import {
  ANSWERABLE_FEATURES,
  answerableProbabilityOf,
  CONFIDENCE_FEATURES,
  type RetrievalConfidence,
  RetrievalConfidenceSchema,
  UNCALIBRATED,
} from "#domain/retrieval/confidence";
import { searchKnowledge } from "#services/search-knowledge";
import { syncKnowledge } from "#services/sync-knowledge";
import { buildRuntime } from "../src/bootstrap";
import { readLabelled } from "./lib/datasets";

const { values } = parseArgs({
  options: {
    heldout: { type: "string", default: "eval/datasets/retrieval-heldout.jsonl" },
    "off-topic": { type: "string", default: "eval/datasets/offtopic.jsonl" },
    // The issue allows 5 % refused; fitting at 4.5 % in-sample keeps the cross-validated share under it.
    "max-refusal": { type: "string", default: "0.045" },
    folds: { type: "string", default: "5" },
    "dry-run": { type: "boolean", default: false },
    /** Write each question's returned scripts and signals to this JSON file (for analysis). */
    dump: { type: "string" },
  },
});
/** Scripts per question that become training rows (what the console shows). */
const SHOWN = 5;
/** The hit test's limit: the candidate pools (and so the fused ranks) depend on it. */
const CONTEXT = 5;

interface Question {
  id: string;
  answerable: boolean;
  /** Features and on-topic label of each shown script, best first. */
  scripts: LabelledFeatures[];
  /** The search's features (best similarity, margin), null without results. */
  query: number[] | null;
  rank: number | null;
}

const maxRefusal = Number(values["max-refusal"]);
const folds = Number(values.folds);
const answerableRows = readLabelled(values.heldout, { textFields: ["question"], labelField: "expected" });
const offTopicRows = readLabelled(values["off-topic"], {
  textFields: ["question"],
  labelField: "expected",
  requireLabel: false,
});

const config = loadConfig({
  ...process.env,
  DATABASE_URL: undefined,
  DATA_DIR: "memory://",
  LOG_LEVEL: "warn",
});
const runtime = await buildRuntime(config, { logger: pino({ level: "warn" }) });
try {
  process.stderr.write("syncing knowledge/ into a throw-away database…\n");
  await syncKnowledge({ deps: runtime.deps, input: { bundle: runtime.bundle } });
  const deps = { ...runtime.deps, retrievalConfidence: UNCALIBRATED };
  const questions: Question[] = [];
  const dumped: unknown[] = [];
  const rows = [
    // Held-out questions with expected = [] have no script: they count as off-topic.
    ...answerableRows.map((row) => ({ row, answerable: row.gold.length > 0 })),
    ...offTopicRows.map((row) => ({ row, answerable: false })),
  ];
  for (const [index, { row, answerable }] of rows.entries()) {
    const expected = answerable ? row.gold : [];
    const { results, evidence } = await searchKnowledge({
      deps,
      input: { query: row.text, limit: CONTEXT },
    });
    const rankIndex = results.findIndex((result) => expected.includes(result.id));
    // The features exactly as the search computed them (over all its candidates, not the page).
    const query = evidence.answerable;
    if (values.dump) {
      dumped.push({
        id: row.id,
        kind: row.raw.kind ?? null,
        question: row.text,
        expected,
        // In ANSWERABLE_FEATURES order; with the calibration in knowledge/, its answerable probability.
        answerableFeatures: query,
        answerableProbability: query
          ? answerableProbabilityOf(query, runtime.deps.retrievalConfidence)
          : null,
        results: results.map((result) => ({ id: result.id, signals: result.signals })),
      });
    }
    questions.push({
      id: row.id,
      answerable,
      rank: rankIndex === -1 ? null : rankIndex + 1,
      query,
      scripts: results.slice(0, SHOWN).map((result, position) => ({
        features: evidence.results[position] ?? [],
        label: expected.includes(result.id) ? 1 : 0,
      })),
    });
    if ((index + 1) % 50 === 0) process.stderr.write(`  searched ${index + 1}/${rows.length}\n`);
  }

  if (values.dump) writeFileSync(values.dump, JSON.stringify(dumped, null, 1));
  const fitModel = (training: readonly Question[]): RetrievalConfidence => {
    const { bias, weights } = fitNonNegativeLogistic(
      training.flatMap((question) => question.scripts),
      CONFIDENCE_FEATURES.length,
    );
    const model: RetrievalConfidence = {
      embeddingModel: runtime.deps.embedder.modelId,
      fittedAt: new Date().toISOString().slice(0, 10),
      fittedOn: {
        answerable: training.filter((question) => question.answerable).length,
        offTopic: training.filter((question) => !question.answerable).length,
      },
      bias,
      weights: Object.fromEntries(
        CONFIDENCE_FEATURES.map((name, index) => [name, weights[index] ?? 0]),
      ) as RetrievalConfidence["weights"],
      answerable: { bias: 0, weights: { vector: 0, margin: 0, coverage: 0, known: 0, calm: 0 } },
      threshold: 0,
    };
    // Per search: answerable or not (each question once, whatever its results).
    const perQuery = fitNonNegativeLogistic(
      training.flatMap((question) =>
        question.query
          ? [{ features: question.query, label: question.answerable ? (1 as const) : (0 as const) }]
          : [],
      ),
      ANSWERABLE_FEATURES.length,
    );
    model.answerable = {
      bias: perQuery.bias,
      weights: Object.fromEntries(
        ANSWERABLE_FEATURES.map((name, index) => [name, perQuery.weights[index] ?? 0]),
      ) as RetrievalConfidence["answerable"]["weights"],
    };
    const best = scoresOf(training, model);
    model.threshold = chooseThreshold(best.answerable, best.offTopic, maxRefusal).threshold;
    return model;
  };

  // Cross-validation: questions dealt round-robin into folds (the files are not ordered by topic).
  const held = { refused: 0, answerable: 0, rejected: 0, offTopic: 0 };
  for (let fold = 0; fold < folds; fold += 1) {
    const model = fitModel(questions.filter((_, index) => index % folds !== fold));
    const test = questions.filter((_, index) => index % folds === fold);
    const best = scoresOf(test, model);
    held.refused += best.answerable.filter((score) => score < model.threshold).length;
    held.answerable += best.answerable.length;
    held.rejected += best.offTopic.filter((score) => score < model.threshold).length;
    held.offTopic += best.offTopic.length;
  }
  const answerable = questions.filter((question) => question.answerable);
  const within = (k: number) =>
    answerable.filter((question) => question.rank !== null && question.rank <= k).length / answerable.length;
  console.log(
    `retrieval-heldout: n=${answerable.length} recall@1 ${within(1).toFixed(4)} recall@3 ${within(3).toFixed(4)} recall@5 ${within(5).toFixed(4)}`,
  );
  console.log(
    `${folds}-fold cross-validated: answerable refused ${(held.refused / Math.max(1, held.answerable)).toFixed(4)} (${held.refused}/${held.answerable}), off-topic rejected ${(held.rejected / Math.max(1, held.offTopic)).toFixed(4)} (${held.rejected}/${held.offTopic})`,
  );

  const model = RetrievalConfidenceSchema.parse(fitModel(questions));
  const best = scoresOf(questions, model);
  const final = chooseThreshold(best.answerable, best.offTopic, maxRefusal);
  console.log(
    `fitted on all: threshold ${model.threshold.toFixed(4)}, answerable refused ${final.refused.toFixed(4)}, off-topic rejected ${final.rejected.toFixed(4)}; weights ${JSON.stringify(model.weights)} bias ${model.bias.toFixed(3)}`,
  );
  if (!values["dry-run"]) {
    const path = join(config.KNOWLEDGE_DIR, "retrieval-confidence.yaml");
    const header = [
      '# The knowledge search\'s "on topic" calibration (issue #14), fitted by `npm run eval:calibrate`',
      `# on ${values.heldout} and ${values["off-topic"]} (answerable refused ≤ ${maxRefusal}).`,
      "# Per script, p(on topic) = sigmoid(bias + Σ weight × feature); features: vector = cosine similarity",
      "# of the best passage, margin = that minus the best other script's, lexical = ts_rank / (ts_rank +",
      "# 0.05), reciprocalRank = 1 / fused rank. Per search, p(answerable) = sigmoid(answerable.bias +",
      "# vector × best similarity + margin × (best − second best) + coverage × the share of the question's",
      "# words (weighted by rarity among the scripts) the first script contains + known × the share any",
      "# script contains + calm × (1 when the question matches no emergency item's cue)); below the",
      "# threshold the search is not confident (未找到可靠口径). Weights are ≥ 0. Refit after the model,",
      "# the scripts, the dictionary/synonyms, the emergency cues or the fusion change.",
    ].join("\n");
    const rounded = {
      ...model,
      bias: round(model.bias),
      weights: Object.fromEntries(
        Object.entries(model.weights).map(([name, weight]) => [name, round(weight)]),
      ),
      answerable: {
        bias: round(model.answerable.bias),
        weights: Object.fromEntries(
          Object.entries(model.answerable.weights).map(([name, weight]) => [name, round(weight)]),
        ),
      },
      threshold: round(model.threshold),
    };
    writeFileSync(path, `${header}\n${YAML.stringify(rounded)}`);
    console.log(`wrote ${path}`);
  }
} finally {
  await runtime.close();
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/**
 * Each question's answerable probability, answerable and off-topic apart. Computed with the
 * coefficients as written to the file (rounded), so the threshold fits what the service computes.
 */
function scoresOf(questions: readonly Question[], model: RetrievalConfidence) {
  const written: RetrievalConfidence = {
    ...model,
    answerable: {
      bias: round(model.answerable.bias),
      weights: Object.fromEntries(
        Object.entries(model.answerable.weights).map(([name, weight]) => [name, round(weight)]),
      ) as RetrievalConfidence["answerable"]["weights"],
    },
  };
  const best = (question: Question) =>
    question.query ? answerableProbabilityOf(question.query, written) : 0;
  return {
    answerable: questions.filter((question) => question.answerable).map(best),
    offTopic: questions.filter((question) => !question.answerable).map(best),
  };
}
