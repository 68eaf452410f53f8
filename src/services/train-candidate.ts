import { type CaseRepository, type CaseWithEmbedding, labelsOf } from "#domain/cases";
import type { ClassifierArtifact } from "#domain/classifier/artifact";
import { ranked } from "#domain/classifier/distribution";
import type { EngineTrainingOptions, Head } from "#domain/classifier/engine";
import { classificationReport, type ScoredPrediction } from "#domain/classifier/metrics";
import {
  decidePromotion,
  type GateEvaluation,
  type GateMetric,
  type GateSettings,
  heldOutSlice,
  type ModelStatus,
} from "#domain/classifier/registry";
import type { ServiceDeps } from "./deps";
import { suggest } from "./suggest";
import { trainArtifact } from "./train-classifier";

type GateDeps = Omit<ServiceDeps, "readiness" | "keys">;
type Progress = (stage: string, done: number, total: number) => void | Promise<void>;

/** Heads scored on the held-out slice (category1 is implied by category). */
const HELD_OUT_HEADS: readonly Head[] = ["category", "department", "type", "urgent", "marketEntity"];

/** kNN neighbours asked for beyond the ones suggest uses, so held-out cases can be dropped. */
const NEIGHBOUR_SLACK = 20;

/** The case store seen while scoring held-out cases: they are the future, not history. */
function withoutCases(cases: CaseRepository, excluded: ReadonlySet<string>): CaseRepository {
  if (excluded.size === 0) return cases;
  return {
    ...cases,
    nearest: async (vector, k) =>
      (await cases.nearest(vector, k + NEIGHBOUR_SLACK))
        .filter((neighbour) => !excluded.has(neighbour.stored.id))
        .slice(0, k),
  };
}

/**
 * Scores one model on labelled texts through the real suggest service (the same path an agent's
 * request takes, as the evaluation harness does), without recording anything. `model` null scores
 * the untrained engine.
 */
async function scoreModel(
  deps: GateDeps,
  artifact: ClassifierArtifact | null,
  rows: readonly { id: string; text: string; gold: Partial<Record<Head, string[]>> }[],
  heads: readonly Head[],
  excluded: ReadonlySet<string>,
  onRow?: () => void | Promise<void>,
): Promise<Partial<Record<Head, ScoredPrediction[]>>> {
  const scoringDeps = {
    ...deps,
    classifiers: { save: async () => "unused", current: async () => artifact },
    cases: withoutCases(deps.cases, excluded),
  };
  const predictions: Partial<Record<Head, ScoredPrediction[]>> = {};
  for (const row of rows) {
    const { analysis } = await suggest({
      deps: scoringDeps,
      input: { text: row.text.slice(0, 5000) },
      actor: { name: "model-gate" },
      record: false,
    });
    for (const head of heads) {
      const gold = row.gold[head];
      if (!gold || gold.length === 0) continue;
      // As the evaluation harness scores them: the served category path and urgency decision.
      const distribution =
        head === "category"
          ? analysis.category
          : head === "urgent"
            ? analysis.urgent
            : analysis.heads[head].distribution;
      const list = predictions[head] ?? [];
      list.push({ ranked: ranked(distribution), gold });
      predictions[head] = list;
    }
    await onRow?.();
  }
  return predictions;
}

/** The candidate's and the promoted model's headline metrics on the same rows. */
async function compare(
  deps: GateDeps,
  candidate: ClassifierArtifact,
  promoted: ClassifierArtifact | null,
  key: (head: Head) => string,
  metric: "accuracy" | "macroF1",
  rows: readonly { id: string; text: string; gold: Partial<Record<Head, string[]>> }[],
  heads: readonly Head[],
  excluded: ReadonlySet<string>,
  progress: () => Promise<void>,
): Promise<GateMetric[]> {
  const ofCandidate = await scoreModel(deps, candidate, rows, heads, excluded, progress);
  const ofPromoted = promoted ? await scoreModel(deps, promoted, rows, heads, excluded, progress) : null;
  return heads.flatMap((head) => {
    const predictions = ofCandidate[head];
    if (!predictions || predictions.length === 0) return [];
    const promotedPredictions = ofPromoted?.[head];
    return [
      {
        key: key(head),
        metric,
        n: predictions.length,
        candidate: classificationReport(predictions)[metric],
        promoted: promotedPredictions ? classificationReport(promotedPredictions)[metric] : null,
      },
    ];
  });
}

export interface CandidateOutcome {
  version: string;
  status: ModelStatus;
  reasons: string[];
  evaluation: GateEvaluation;
}

/**
 * Training as the service does it (`POST /v1/models/train`, `npm run train`, the schedule): holds
 * out the most recent labelled cases, trains a candidate on the rest, scores it and the promoted
 * model on that slice (accuracy per head) and on the CI suite's gold sets (macro-F1, the eval
 * gate's metric), and promotes it only if no headline metric drops more than the tolerance;
 * otherwise it stays `refused` with the reasons. Every step is audited.
 *
 * @example
 * const outcome = await trainCandidate({ deps, gate, actor: { name: "admin" } });
 * outcome.status; // "promoted" | "refused"
 */
export async function trainCandidate({
  deps,
  gate,
  actor,
  options,
  onProgress,
}: {
  deps: GateDeps;
  gate: GateSettings;
  actor: { name: string };
  options?: Partial<EngineTrainingOptions>;
  onProgress?: Progress;
}): Promise<CandidateOutcome> {
  const report = async (stage: string, done: number, total: number) => {
    await onProgress?.(stage, done, total);
  };
  const all = await deps.cases.all();
  const heldOut = heldOutSlice(all, gate.heldOut);
  const heldOutIds = new Set(heldOut.map((item) => item.id));
  const training: CaseWithEmbedding[] = all.filter((item) => !heldOutIds.has(item.id));
  await report("training", 0, 1);
  const trained = await trainArtifact({
    deps,
    cases: training,
    ...(options ? { options } : {}),
    onProgress: (stage, done, total) => void report(`training: ${stage}`, done, total),
  });
  // The same data trained twice in one second gets the same name: keep both.
  let version = trained.version;
  for (let attempt = 2; await deps.models.get(version); attempt += 1)
    version = `${trained.version}-${attempt}`;
  const candidate: ClassifierArtifact = {
    ...trained,
    version,
    trainedOn: { ...trained.trainedOn, heldOut: heldOut.length } as ClassifierArtifact["trainedOn"],
  };
  await deps.models.insert(candidate, { status: "candidate", evaluation: null, reasons: [] });

  const promotedVersion = await deps.models.promotedVersion();
  const promoted = promotedVersion ? await deps.models.load(promotedVersion) : null;
  // Nothing to compare with: the first model only needs its held-out figures (keeps the first
  // start as fast as before); the suite is scored once there is something to hold it against.
  const suite = promoted ? await gate.suite() : [];
  const total = (heldOut.length + suite.reduce((sum, run) => sum + run.rows.length, 0)) * (promoted ? 2 : 1);
  let done = 0;
  const tick = async () => {
    done += 1;
    if (done % 10 === 0 || done === total) await report("evaluating", done, total);
  };
  const metrics: GateMetric[] = [];
  if (heldOut.length > 0) {
    metrics.push(
      ...(await compare(
        deps,
        candidate,
        promoted,
        (head) => `heldOut:${head}`,
        "accuracy",
        heldOut.map((item) => ({ id: item.id, text: item.text, gold: labelsOf(item) })),
        HELD_OUT_HEADS,
        heldOutIds,
        tick,
      )),
    );
  }
  for (const run of suite) {
    metrics.push(
      ...(await compare(
        deps,
        candidate,
        promoted,
        () => `suite:${run.name}`,
        "macroF1",
        run.rows.map((row) => ({ id: row.id, text: row.text, gold: { [run.head]: row.gold } })),
        [run.head],
        heldOutIds,
        tick,
      )),
    );
  }
  const decision = decidePromotion(metrics, gate.tolerance);
  const dates = heldOut
    .map((item) => item.receivedAt)
    .filter((at): at is string => at !== null)
    .sort();
  const evaluation: GateEvaluation = {
    comparedWith: promotedVersion,
    tolerance: gate.tolerance,
    heldOut: { cases: heldOut.length, from: dates[0] ?? null, to: dates.at(-1) ?? null },
    metrics,
    promote: decision.promote,
  };
  const now = deps.clock.now();
  await deps.models.setStatus(
    version,
    decision.promote ? "candidate" : "refused",
    decision.reasons,
    evaluation,
  );
  if (decision.promote) await deps.models.promote(version, now, actor.name);
  await deps.audit.append(
    {
      actor: actor.name,
      action: decision.promote ? "model.promote" : "model.refuse",
      entityType: "model",
      entityId: version,
      before: promotedVersion ? { promoted: promotedVersion } : null,
      after: { cases: candidate.trainedOn.cases, heldOut: heldOut.length, reasons: decision.reasons },
    },
    now,
  );
  return {
    version,
    status: decision.promote ? "promoted" : "refused",
    reasons: decision.reasons,
    evaluation,
  };
}
