import { createHash } from "node:crypto";
import type { Principal } from "#domain/access";
import { type CaseWithEmbedding, labelsOf } from "#domain/cases";
import type { ClassifierArtifact } from "#domain/classifier/artifact";
import {
  ENGINE_TRAINING,
  type EngineTrainingOptions,
  type FixedSignals,
  type TrainingExample,
} from "#domain/classifier/engine";
import { textFeatures } from "#domain/classifier/features";
import { withoutSummaryTypeVerb } from "#domain/classifier/type-cues";
import { ValidationError } from "#domain/errors";
import type { ServiceDeps } from "./deps";
import { gatherSignals, typeSignals } from "./signals";

type TrainDeps = Omit<ServiceDeps, "readiness" | "keys">;

/** Fixed signals depend only on the text (and the knowledge base), so folds and reruns share them. */
const fixedSignalCache = new Map<string, FixedSignals>();

async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next;
        next += 1;
        results[index] = await work(items[index] as T, index);
        // Give the server's requests a turn: the embedded database answers from this thread, and a
        // chain of its resolved promises would otherwise keep them waiting for the whole run.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }),
  );
  return results;
}

/**
 * Builds training examples from the cases table: text features (char n-grams + jieba words), the
 * stored embedding, the labels, and the knowledge-based signals (computed once per text).
 */
export async function buildTrainingExamples(
  deps: TrainDeps,
  onProgress?: (stage: string, done: number, total: number) => void,
  /** The cases to learn from (default: every labelled case). */
  only?: readonly CaseWithEmbedding[],
): Promise<{ examples: TrainingExample[]; bySource: Record<string, number> }> {
  const all = only ?? (await deps.cases.all());
  const bySource: Record<string, number> = {};
  for (const item of all) bySource[item.source] = (bySource[item.source] ?? 0) + 1;
  let done = 0;
  const examples = await mapLimit(all, 4, async (item) => {
    const key = `${deps.embedder.modelId}:${createHash("sha1").update(item.text).digest("base64")}`;
    // The type head learns from what the caller said, not from the type an agent wrote into the
    // summary; other heads keep the full text.
    const typeText = withoutSummaryTypeVerb(item.text);
    let fixed = fixedSignalCache.get(key);
    if (!fixed) {
      const gathered = (await gatherSignals({ deps, input: { text: item.text, vector: item.embedding } }))
        .fixed;
      fixed = { ...gathered, type: typeSignals(deps.suggest, typeText) };
      fixedSignalCache.set(key, fixed);
    }
    done += 1;
    if (done % 50 === 0 || done === all.length) onProgress?.("signals", done, all.length);
    return {
      features: textFeatures(item.text, deps.segmenter.cut(item.text)),
      ...(typeText !== item.text
        ? { headFeatures: { type: textFeatures(typeText, deps.segmenter.cut(typeText)) } }
        : {}),
      embedding: item.embedding,
      labels: labelsOf(item),
      fixed,
    };
  });
  return { examples, bySource };
}

/**
 * Trains an artifact on the given cases (default: all) without storing it: the promotion gate
 * (`train-candidate.ts`) and `trainClassifier` below share it.
 *
 * @example
 * const artifact = await trainArtifact({ deps, cases: training });
 */
export async function trainArtifact({
  deps,
  cases,
  options,
  onProgress,
}: {
  deps: TrainDeps;
  cases?: readonly CaseWithEmbedding[];
  options?: Partial<EngineTrainingOptions>;
  onProgress?: (stage: string, done: number, total: number) => void;
}): Promise<ClassifierArtifact> {
  const { examples, bySource } = await buildTrainingExamples(deps, onProgress, cases);
  if (examples.length < ENGINE_TRAINING.minExamplesPerHead) {
    throw new ValidationError(
      `only ${examples.length} labelled cases: import history first (npm run cases:import)`,
    );
  }
  const model = await deps.trainer.train(examples, {
    ...ENGINE_TRAINING,
    ...options,
    ...(onProgress ? { onProgress } : {}),
  });
  const now = deps.clock.now();
  const fingerprint = createHash("sha1")
    .update(JSON.stringify(examples.map((example) => example.labels)))
    .update(String(examples.length))
    .digest("hex")
    .slice(0, 8);
  return {
    version: `${now
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d+Z$/, "Z")}-${fingerprint}`,
    createdAt: now.toISOString(),
    embeddingModel: deps.embedder.modelId,
    trainedOn: { cases: examples.length, bySource },
    metrics: Object.fromEntries(
      Object.entries(model.heads).map(([head, value]) => [
        head,
        value.evaluation as ClassifierArtifact["metrics"][never],
      ]),
    ),
    model,
  };
}

/**
 * Trains the engine on every labelled case (seed, imported history, agents' corrections) and
 * stores the artifact in `deps.classifiers` with its internal metrics, without a gate: the
 * evaluation harness uses it on its throw-away store. The service's own training goes through the
 * promotion gate (`trainCandidate`).
 */
export async function trainClassifier({
  deps,
  actor,
  options,
  onProgress,
}: {
  deps: TrainDeps;
  actor: Pick<Principal, "name">;
  options?: Partial<EngineTrainingOptions>;
  onProgress?: (stage: string, done: number, total: number) => void;
}): Promise<{ artifact: ClassifierArtifact; path: string }> {
  const artifact = await trainArtifact({
    deps,
    ...(options ? { options } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  const now = deps.clock.now();
  const path = await deps.classifiers.save(artifact);
  await deps.audit.append(
    {
      actor: actor.name,
      action: "classifier.train",
      entityType: "classifier",
      entityId: artifact.version,
      after: artifact.trainedOn,
    },
    now,
  );
  return { artifact, path };
}
