import { type CurvePoint, precisionCoverageCurve } from "./automation";
import {
  applyTemperature,
  type Distribution,
  fitTemperature,
  fromArrays,
  KNN,
  knnVote,
  mixDistributions,
  ranked,
} from "./distribution";
import { denseToSparse, fitTfidf, type TfidfModel, transformTfidf } from "./features";
import { type ClassificationReport, classificationReport } from "./metrics";
import { predictSoftmax, SOFTMAX_TRAINING, type SoftmaxModel, seededRandom, trainSoftmax } from "./softmax";

/** What the engine predicts. `category` is the full leaf path "l1/l2/l3"; `category1` its first level. */
export const HEADS = ["category1", "category", "department", "type", "urgent", "marketEntity"] as const;
export type Head = (typeof HEADS)[number];

/** Where evidence comes from; each is measured alone and fused. */
/** `cues` is the sentence-level type cue model (knowledge/types.yaml); only the type head has it. */
/** `duties` is the 权责清单 (knowledge/duties.yaml) with its boundary rules; only the department head has it. */
export const COMPONENTS = [
  "text",
  "embedding",
  "knn",
  "zeroShot",
  "rules",
  "scripts",
  "cues",
  "duties",
] as const;
export type Component = (typeof COMPONENTS)[number];

/** Evidence that does not depend on the training data (computed per request by the caller). */
export type FixedSignals = Partial<
  Record<Head, Partial<Record<"zeroShot" | "rules" | "scripts" | "cues" | "duties", Distribution>>>
>;

export type Labels = Partial<Record<Head, string[]>>;

export interface TrainingExample {
  /** Text features (char n-grams + words), see textFeatures(). */
  features: string[];
  /** Features some heads learn from instead (e.g. the type head without agents' type verbs). */
  headFeatures?: Partial<Record<Head, string[]>>;
  embedding: Float32Array;
  labels: Labels;
  fixed: FixedSignals;
}

export interface Neighbour {
  similarity: number;
  labels: Labels;
}

export interface RequestSignals {
  features: string[];
  embedding: Float32Array;
  neighbours: Neighbour[];
  fixed: FixedSignals;
}

interface SerializedSoftmax {
  classes: string[];
  dimensions: number;
  weights: string;
  bias: string;
}

export interface HeadModel {
  classes: string[];
  text: SoftmaxModel | null;
  embedding: SoftmaxModel | null;
  weights: Partial<Record<Component, number>>;
  temperature: number;
  /** Per label: confidence from which the band is high / medium. */
  thresholds: Record<string, { high: number; medium: number }>;
  /** Held-out (internal cross-validation) quality of the fusion and of each component alone. */
  evaluation: { fused: HeadScore; components: Partial<Record<Component, HeadScore>> };
  /**
   * Precision–coverage curve of the calibrated top-1 answers on the held-out folds, stored with
   * the model so the automation levels (rules.yaml precision targets) travel with it. Absent in
   * artifacts trained before it existed: their fields stay at `suggest`.
   */
  calibration?: { curve: CurvePoint[]; heldOut: number };
}

export interface HeadScore {
  n: number;
  accuracy: number;
  macroF1: number;
  top3: number;
  ece: number;
}

export interface EngineModel {
  tfidf: TfidfModel;
  heads: Partial<Record<Head, HeadModel>>;
}

export const ENGINE_TRAINING = {
  internalFolds: 3,
  minExamplesPerHead: 20,
  weightGrid: [0, 0.25, 0.5, 1, 2, 4],
  weightPasses: 2,
  precisionHigh: 0.95,
  precisionMedium: 0.8,
  defaultHigh: 0.85,
  defaultMedium: 0.5,
  minSupportForThreshold: 8,
  /**
   * Softmax models are trained only for heads with at most this many labels: for the 398 category
   * leaves they are slow and, with a few cases per leaf, weaker than kNN and zero-shot.
   */
  maxClassesForSoftmax: 60,
} as const;

export type EngineTrainingOptions = {
  -readonly [K in keyof typeof ENGINE_TRAINING]: (typeof ENGINE_TRAINING)[K] extends number
    ? number
    : readonly number[];
} & { onProgress?: (stage: string, done: number, total: number) => void };

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let index = 0; index < a.length; index += 1) dot += (a[index] ?? 0) * (b[index] ?? 0);
  return dot;
}

function vote(neighbours: readonly Neighbour[], head: Head): Distribution {
  return knnVote(
    neighbours
      .filter((neighbour) => (neighbour.labels[head]?.length ?? 0) > 0)
      .map((neighbour) => ({ similarity: neighbour.similarity, labels: neighbour.labels[head] ?? [] })),
    KNN,
  );
}

/** Per component, its distribution for one head (empty when the component has no opinion). */
function componentDistributions(
  head: Head,
  model: Pick<HeadModel, "text" | "embedding">,
  tfidfVector: ReturnType<typeof transformTfidf>,
  signals: Omit<RequestSignals, "features">,
): Partial<Record<Component, Distribution>> {
  const fixed = signals.fixed[head] ?? {};
  return {
    text: model.text ? fromArrays(model.text.classes, predictSoftmax(model.text, tfidfVector)) : {},
    embedding: model.embedding
      ? fromArrays(model.embedding.classes, predictSoftmax(model.embedding, denseToSparse(signals.embedding)))
      : {},
    knn: vote(signals.neighbours, head),
    zeroShot: fixed.zeroShot ?? {},
    rules: fixed.rules ?? {},
    scripts: fixed.scripts ?? {},
    cues: fixed.cues ?? {},
    duties: fixed.duties ?? {},
  };
}

function fuse(
  components: Partial<Record<Component, Distribution>>,
  weights: Partial<Record<Component, number>>,
): Distribution {
  return mixDistributions(
    COMPONENTS.map((component) => ({
      distribution: components[component] ?? {},
      weight: weights[component] ?? 0,
    })),
  );
}

function negativeLogLikelihood(
  predictions: readonly { distribution: Distribution; gold: readonly string[] }[],
): number {
  let loss = 0;
  for (const { distribution, gold } of predictions) {
    const probability = gold.reduce((sum, label) => sum + (distribution[label] ?? 0), 0);
    loss -= Math.log(Math.max(probability, 1e-6));
  }
  return loss / Math.max(1, predictions.length);
}

function score(predictions: readonly { distribution: Distribution; gold: readonly string[] }[]): HeadScore {
  const report = classificationReport(
    predictions.map((p) => ({ ranked: ranked(p.distribution), gold: p.gold })),
  );
  return {
    n: report.n,
    accuracy: report.accuracy,
    macroF1: report.macroF1,
    top3: report.top3,
    ece: report.ece,
  };
}

/** Per label, the lowest confidence from which precision on held-out data reaches the target. */
function deriveThresholds(
  predictions: readonly { distribution: Distribution; gold: readonly string[] }[],
  options: EngineTrainingOptions,
): Record<string, { high: number; medium: number }> {
  const byLabel = new Map<string, { confidence: number; correct: boolean }[]>();
  for (const { distribution, gold } of predictions) {
    const top = ranked(distribution)[0];
    if (!top) continue;
    const list = byLabel.get(top.label) ?? [];
    list.push({ confidence: top.probability, correct: gold.includes(top.label) });
    byLabel.set(top.label, list);
  }
  const thresholds: Record<string, { high: number; medium: number }> = {};
  for (const [label, list] of byLabel) {
    const sorted = [...list].sort((a, b) => b.confidence - a.confidence);
    const find = (target: number, fallback: number) => {
      if (sorted.length < options.minSupportForThreshold) return fallback;
      let hits = 0;
      let threshold = 1.01;
      sorted.forEach((entry, index) => {
        if (entry.correct) hits += 1;
        if (index + 1 >= options.minSupportForThreshold / 2 && hits / (index + 1) >= target)
          threshold = entry.confidence;
      });
      return Math.min(1, threshold);
    };
    const high = find(options.precisionHigh, options.defaultHigh);
    thresholds[label] = {
      high,
      medium: Math.min(high, find(options.precisionMedium, options.defaultMedium)),
    };
  }
  return thresholds;
}

function serialise(model: SoftmaxModel): SerializedSoftmax {
  return {
    classes: model.classes,
    dimensions: model.dimensions,
    weights: Buffer.from(model.weights.buffer, model.weights.byteOffset, model.weights.byteLength).toString(
      "base64",
    ),
    bias: Buffer.from(model.bias.buffer, model.bias.byteOffset, model.bias.byteLength).toString("base64"),
  };
}

function deserialise(model: SerializedSoftmax): SoftmaxModel {
  const floats = (base64: string) => {
    const bytes = Buffer.from(base64, "base64");
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  };
  return {
    classes: model.classes,
    dimensions: model.dimensions,
    weights: floats(model.weights),
    bias: floats(model.bias),
  };
}

/** JSON-safe form of a trained model (weights as base64 float32). */
export function serialiseEngine(model: EngineModel): unknown {
  return {
    tfidf: model.tfidf,
    heads: Object.fromEntries(
      Object.entries(model.heads).map(([head, value]) => [
        head,
        {
          ...value,
          text: value.text ? serialise(value.text) : null,
          embedding: value.embedding ? serialise(value.embedding) : null,
        },
      ]),
    ),
  };
}

export function deserialiseEngine(data: unknown): EngineModel {
  const raw = data as {
    tfidf: TfidfModel;
    heads: Record<
      string,
      HeadModel & { text: SerializedSoftmax | null; embedding: SerializedSoftmax | null }
    >;
  };
  return {
    tfidf: raw.tfidf,
    heads: Object.fromEntries(
      Object.entries(raw.heads).map(([head, value]) => [
        head,
        {
          ...value,
          text: value.text ? deserialise(value.text) : null,
          embedding: value.embedding ? deserialise(value.embedding) : null,
        },
      ]),
    ),
  };
}

function nearest(
  examples: readonly TrainingExample[],
  pool: readonly number[],
  query: Float32Array,
  k: number,
): Neighbour[] {
  const scored: Neighbour[] = [];
  for (const index of pool) {
    const example = examples[index];
    if (!example) continue;
    scored.push({ similarity: cosine(query, example.embedding), labels: example.labels });
  }
  return scored.sort((a, b) => b.similarity - a.similarity).slice(0, k);
}

/**
 * Where training runs. Fitting takes tens of seconds of CPU, so the server runs it off its event
 * loop (a worker thread, see infra); tests and one-off tools may run it in-process.
 */
export interface EngineTrainer {
  train(examples: readonly TrainingExample[], options: EngineTrainingOptions): Promise<EngineModel>;
}

export const inProcessEngineTrainer: EngineTrainer = {
  train: async (examples, options) => trainEngine(examples, options),
};

/**
 * Trains every head that has enough labelled examples: text and embedding softmax models, then
 * — on internal cross-validation folds — each component's held-out predictions, the fusion weights
 * (coordinate search minimising log-loss), the temperature, and per-label band thresholds from
 * the precision targets. Final softmax models are refit on all examples.
 *
 * @example
 * const model = trainEngine(examples, { ...ENGINE_TRAINING });
 */
export function trainEngine(
  examples: readonly TrainingExample[],
  options: EngineTrainingOptions,
): EngineModel {
  const progress = options.onProgress ?? (() => {});
  const tfidf = fitTfidf(examples.map((example) => example.features));
  const sharedVectors = examples.map((example) => transformTfidf(tfidf, example.features));
  const vectorsFor = (head: Head) =>
    examples.some((example) => example.headFeatures?.[head])
      ? examples.map((example, index) => {
          const own = example.headFeatures?.[head];
          return own ? transformTfidf(tfidf, own) : sharedVectors[index];
        })
      : sharedVectors;
  const dimensions = examples[0]?.embedding.length ?? 0;
  const heads: Partial<Record<Head, HeadModel>> = {};

  const activeHeads = HEADS.filter((head) => {
    const labelled = examples.filter((example) => (example.labels[head]?.length ?? 0) > 0);
    return (
      labelled.length >= options.minExamplesPerHead &&
      new Set(labelled.map((example) => example.labels[head]?.[0])).size >= 2
    );
  });

  // Internal folds, shared by all heads: held-out predictions of each component.
  const random = seededRandom(SOFTMAX_TRAINING.seed);
  const fold = examples.map(() => Math.floor(random() * options.internalFolds));
  const heldOut = new Map<Head, { components: Partial<Record<Component, Distribution>>; gold: string[] }[]>();
  for (let f = 0; f < options.internalFolds; f += 1) {
    progress("cross-validation", f, options.internalFolds);
    const trainIndices = examples.map((_, index) => index).filter((index) => fold[index] !== f);
    const testIndices = examples.map((_, index) => index).filter((index) => fold[index] === f);
    const neighbours = testIndices.map((index) =>
      nearest(examples, trainIndices, examples[index]?.embedding ?? new Float32Array(), KNN.k),
    );
    for (const head of activeHeads) {
      const vectors = vectorsFor(head);
      const labelled = trainIndices.filter((index) => (examples[index]?.labels[head]?.length ?? 0) > 0);
      const labels = labelled.map((index) => examples[index]?.labels[head]?.[0] ?? "");
      const learnable = new Set(labels).size >= 2 && new Set(labels).size <= options.maxClassesForSoftmax;
      const text = learnable
        ? trainSoftmax(
            labelled.map(
              (index) => vectors[index] ?? { indices: new Int32Array(), values: new Float32Array() },
            ),
            labels,
            tfidf.idf.length,
            SOFTMAX_TRAINING,
          )
        : null;
      const embedding = learnable
        ? trainSoftmax(
            labelled.map((index) => denseToSparse(examples[index]?.embedding ?? [])),
            labels,
            dimensions,
            SOFTMAX_TRAINING,
          )
        : null;
      const list = heldOut.get(head) ?? [];
      testIndices.forEach((index, position) => {
        const example = examples[index];
        const gold = example?.labels[head];
        if (!example || !gold || gold.length === 0) return;
        list.push({
          components: componentDistributions(
            head,
            { text, embedding },
            vectors[index] ?? { indices: new Int32Array(), values: new Float32Array() },
            {
              embedding: example.embedding,
              neighbours: neighbours[position] ?? [],
              fixed: example.fixed,
            },
          ),
          gold,
        });
      });
      heldOut.set(head, list);
    }
  }

  for (const [headIndex, head] of activeHeads.entries()) {
    progress("fusion and final models", headIndex, activeHeads.length);
    const vectors = vectorsFor(head);
    const predictions = heldOut.get(head) ?? [];
    const available = COMPONENTS.filter((component) =>
      predictions.some((p) => Object.keys(p.components[component] ?? {}).length > 0),
    );
    const weights: Partial<Record<Component, number>> = Object.fromEntries(
      available.map((component) => [component, 1]),
    );
    const lossOf = (candidate: Partial<Record<Component, number>>) =>
      negativeLogLikelihood(
        predictions.map((p) => ({ distribution: fuse(p.components, candidate), gold: p.gold })),
      );
    let best = lossOf(weights);
    for (let pass = 0; pass < options.weightPasses; pass += 1) {
      for (const component of available) {
        for (const value of options.weightGrid) {
          const candidate = { ...weights, [component]: value };
          if (!Object.values(candidate).some((weight) => (weight ?? 0) > 0)) continue;
          const loss = lossOf(candidate);
          if (loss < best - 1e-9) {
            best = loss;
            weights[component] = value;
          }
        }
      }
    }
    const fusedHeldOut = predictions.map((p) => ({
      distribution: fuse(p.components, weights),
      gold: p.gold,
    }));
    const temperature = fitTemperature(fusedHeldOut);
    const calibrated = fusedHeldOut.map((p) => ({
      distribution: applyTemperature(p.distribution, temperature),
      gold: p.gold,
    }));

    const labelled = examples
      .map((_, index) => index)
      .filter((index) => (examples[index]?.labels[head]?.length ?? 0) > 0);
    const labels = labelled.map((index) => examples[index]?.labels[head]?.[0] ?? "");
    const learnable = new Set(labels).size <= options.maxClassesForSoftmax;
    heads[head] = {
      classes: [...new Set(labels)].sort(),
      text: !learnable
        ? null
        : trainSoftmax(
            labelled.map(
              (index) => vectors[index] ?? { indices: new Int32Array(), values: new Float32Array() },
            ),
            labels,
            tfidf.idf.length,
            SOFTMAX_TRAINING,
          ),
      embedding: !learnable
        ? null
        : trainSoftmax(
            labelled.map((index) => denseToSparse(examples[index]?.embedding ?? [])),
            labels,
            dimensions,
            SOFTMAX_TRAINING,
          ),
      weights,
      temperature,
      thresholds: deriveThresholds(calibrated, options),
      calibration: { curve: precisionCoverageCurve(calibrated), heldOut: calibrated.length },
      evaluation: {
        fused: score(calibrated),
        components: Object.fromEntries(
          available.map((component) => [
            component,
            score(predictions.map((p) => ({ distribution: p.components[component] ?? {}, gold: p.gold }))),
          ]),
        ),
      },
    };
  }
  progress("done", 1, 1);
  return { tfidf, heads };
}

/** Fusion weights of a head the model lacks: every knowledge signal, the type cues counting double. */
const UNTRAINED_WEIGHTS: Partial<Record<Component, number>> = {
  knn: 1,
  zeroShot: 1,
  rules: 1,
  scripts: 1,
  cues: 2,
  duties: 2,
};

export interface HeadPrediction {
  distribution: Distribution;
  components: Partial<Record<Component, Distribution>>;
}

/**
 * Scores one request with a trained model: every component, fused with the learned weights and
 * calibrated. Heads the model lacks (no history yet) fall back to the fixed signals (zero-shot,
 * rules, scripts) with equal weights, so a centre with no history still gets suggestions.
 */
export function scoreRequest(
  model: EngineModel | null,
  signals: RequestSignals,
): Record<Head, HeadPrediction> {
  const tfidfVector = model
    ? transformTfidf(model.tfidf, signals.features)
    : { indices: new Int32Array(), values: new Float32Array() };
  const result = {} as Record<Head, HeadPrediction>;
  for (const head of HEADS) {
    const headModel = model?.heads[head];
    const components = componentDistributions(
      head,
      headModel ?? { text: null, embedding: null },
      tfidfVector,
      signals,
    );
    // Untrained, the sentence-level type cues outweigh the flat cue words: they read negation and
    // whether a sentence asks for information or for action.
    const weights = headModel?.weights ?? UNTRAINED_WEIGHTS;
    // When every weighted component is silent (e.g. no neighbours yet), any evidence beats none.
    const weighted = fuse(components, weights);
    const fused =
      Object.keys(weighted).length > 0
        ? weighted
        : fuse(components, Object.fromEntries(COMPONENTS.map((component) => [component, 1])));
    const calibrated = headModel ? applyTemperature(fused, headModel.temperature) : fused;
    result[head] = {
      distribution: rememberNearDuplicate(calibrated, signals.neighbours, head),
      components,
    };
  }
  return result;
}

/**
 * A head's fused, calibrated distribution with some components switched off (weight 0), as the
 * evaluation's ablation needs it ("what if the duties or the learned head were not there").
 *
 * @example
 * fuseWithout(model, "department", prediction.components, ["rules"]);
 */
export function fuseWithout(
  model: EngineModel | null,
  head: Head,
  components: Partial<Record<Component, Distribution>>,
  without: readonly Component[],
): Distribution {
  const headModel = model?.heads[head];
  const weights: Partial<Record<Component, number>> = {
    ...(headModel?.weights ?? UNTRAINED_WEIGHTS),
  };
  for (const component of without) weights[component] = 0;
  const fused = fuse(components, weights);
  return headModel ? applyTemperature(fused, headModel.temperature) : fused;
}

/** A labelled case this similar is the same request (re-asked, or corrected by an agent). */
export const NEAR_DUPLICATE = { similarity: 0.97, weight: 0.9 } as const;

/**
 * When a labelled case is a near-duplicate of the request, its labels (e.g. an agent's
 * correction) dominate: the engine does not repeat a mistake it has been told about.
 */
function rememberNearDuplicate(
  distribution: Distribution,
  neighbours: readonly Neighbour[],
  head: Head,
): Distribution {
  const nearest = [...neighbours].sort((a, b) => b.similarity - a.similarity)[0];
  const labels = nearest?.labels[head];
  if (!nearest || nearest.similarity < NEAR_DUPLICATE.similarity || !labels || labels.length === 0)
    return distribution;
  const remembered = Object.fromEntries(labels.map((label, index) => [label, 1 / (index + 1)]));
  return mixDistributions([
    { distribution, weight: 1 - NEAR_DUPLICATE.weight },
    { distribution: remembered, weight: NEAR_DUPLICATE.weight },
  ]);
}

export type Band = "high" | "medium" | "low";

export function bandOf(model: EngineModel | null, head: Head, label: string, confidence: number): Band {
  const threshold = model?.heads[head]?.thresholds[label] ?? {
    high: ENGINE_TRAINING.defaultHigh,
    medium: ENGINE_TRAINING.defaultMedium,
  };
  return confidence >= threshold.high ? "high" : confidence >= threshold.medium ? "medium" : "low";
}

export type { ClassificationReport };
