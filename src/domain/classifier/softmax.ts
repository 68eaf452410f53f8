import type { SparseVector } from "./features";

/** Multinomial logistic regression: weights[class * dimensions + feature]. */
export interface SoftmaxModel {
  classes: string[];
  dimensions: number;
  weights: Float32Array;
  bias: Float32Array;
}

export const SOFTMAX_TRAINING = {
  epochs: 12,
  learningRate: 0.5,
  l2: 1e-5,
  seed: 7,
} as const;

export interface TrainingOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
  /** Weight each example by 1 / its class frequency, so rare classes are not drowned. */
  balanceClasses?: boolean;
}

/** Deterministic pseudo-random numbers (LCG), so training is reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function softmaxInPlace(logits: Float64Array): void {
  let max = Number.NEGATIVE_INFINITY;
  for (const value of logits) max = Math.max(max, value);
  let sum = 0;
  for (let index = 0; index < logits.length; index += 1) {
    const value = Math.exp((logits[index] ?? 0) - max);
    logits[index] = value;
    sum += value;
  }
  for (let index = 0; index < logits.length; index += 1) logits[index] = (logits[index] ?? 0) / sum;
}

function logitsOf(model: SoftmaxModel, x: SparseVector, out: Float64Array): void {
  const { dimensions, weights, bias } = model;
  for (let k = 0; k < model.classes.length; k += 1) {
    let sum = bias[k] ?? 0;
    const offset = k * dimensions;
    for (let position = 0; position < x.indices.length; position += 1) {
      sum += (weights[offset + (x.indices[position] ?? 0)] ?? 0) * (x.values[position] ?? 0);
    }
    out[k] = sum;
  }
}

/**
 * Trains softmax regression with AdaGrad on sparse inputs (one example at a time, shuffled each
 * epoch with a fixed seed).
 *
 * @example
 * const model = trainSoftmax(vectors, labels, dimensions, SOFTMAX_TRAINING);
 * predictSoftmax(model, vector); // probabilities in model.classes order
 */
export function trainSoftmax(
  inputs: readonly SparseVector[],
  labels: readonly string[],
  dimensions: number,
  options: TrainingOptions,
): SoftmaxModel {
  const classes = [...new Set(labels)].sort();
  const classIndex = new Map(classes.map((label, index) => [label, index]));
  const k = classes.length;
  const model: SoftmaxModel = {
    classes,
    dimensions,
    weights: new Float32Array(k * dimensions),
    bias: new Float32Array(k),
  };
  if (k < 2) return model;
  const gradSquared = new Float32Array(k * dimensions);
  const biasGradSquared = new Float32Array(k);
  const frequency = new Map<string, number>();
  for (const label of labels) frequency.set(label, (frequency.get(label) ?? 0) + 1);
  const random = seededRandom(options.seed);
  const order = inputs.map((_, index) => index);
  const probabilities = new Float64Array(k);
  const epsilon = 1e-8;

  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    for (let index = order.length - 1; index > 0; index -= 1) {
      const swap = Math.floor(random() * (index + 1));
      [order[index], order[swap]] = [order[swap] ?? 0, order[index] ?? 0];
    }
    for (const example of order) {
      const x = inputs[example];
      const label = labels[example];
      if (!x || label === undefined) continue;
      const target = classIndex.get(label) ?? 0;
      const weight = options.balanceClasses ? labels.length / (k * (frequency.get(label) ?? 1)) : 1;
      logitsOf(model, x, probabilities);
      softmaxInPlace(probabilities);
      for (let c = 0; c < k; c += 1) {
        const error = ((probabilities[c] ?? 0) - (c === target ? 1 : 0)) * weight;
        const offset = c * dimensions;
        for (let position = 0; position < x.indices.length; position += 1) {
          const slot = offset + (x.indices[position] ?? 0);
          const current = model.weights[slot] ?? 0;
          const gradient = error * (x.values[position] ?? 0) + options.l2 * current;
          const accumulated = (gradSquared[slot] ?? 0) + gradient * gradient;
          gradSquared[slot] = accumulated;
          model.weights[slot] =
            current - (options.learningRate * gradient) / (Math.sqrt(accumulated) + epsilon);
        }
        const biasAccumulated = (biasGradSquared[c] ?? 0) + error * error;
        biasGradSquared[c] = biasAccumulated;
        model.bias[c] =
          (model.bias[c] ?? 0) - (options.learningRate * error) / (Math.sqrt(biasAccumulated) + epsilon);
      }
    }
  }
  return model;
}

/** Class probabilities, in `model.classes` order. */
export function predictSoftmax(model: SoftmaxModel, x: SparseVector): number[] {
  if (model.classes.length === 1) return [1];
  const logits = new Float64Array(model.classes.length);
  logitsOf(model, x, logits);
  softmaxInPlace(logits);
  return Array.from(logits);
}
