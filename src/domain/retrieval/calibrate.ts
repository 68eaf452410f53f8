import { sigmoid } from "./confidence";

/** Fitting knobs: a light ridge keeps the weights finite when the classes separate. */
export const CALIBRATION_FIT = { l2: 0.01, iterations: 50, tolerance: 1e-9 } as const;

export interface LabelledFeatures {
  features: readonly number[];
  /** 1 = on topic, 0 = not. */
  label: 0 | 1;
}

/** Solves A x = b (small, dense) by Gaussian elimination with partial pivoting. */
function solve(matrix: number[][], vector: number[]): number[] {
  const n = vector.length;
  const a = matrix.map((row, index) => [...row, vector[index] ?? 0]);
  for (let column = 0; column < n; column += 1) {
    let pivot = column;
    for (let row = column + 1; row < n; row += 1) {
      if (Math.abs(a[row]?.[column] ?? 0) > Math.abs(a[pivot]?.[column] ?? 0)) pivot = row;
    }
    [a[column], a[pivot]] = [a[pivot] ?? [], a[column] ?? []];
    const head = a[column] ?? [];
    const diagonal = head[column] ?? 0;
    if (Math.abs(diagonal) < 1e-12) continue;
    for (let row = column + 1; row < n; row += 1) {
      const current = a[row] ?? [];
      const factor = (current[column] ?? 0) / diagonal;
      for (let k = column; k <= n; k += 1) current[k] = (current[k] ?? 0) - factor * (head[k] ?? 0);
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row -= 1) {
    const current = a[row] ?? [];
    let sum = current[n] ?? 0;
    for (let k = row + 1; k < n; k += 1) sum -= (current[k] ?? 0) * (x[k] ?? 0);
    const diagonal = current[row] ?? 0;
    x[row] = Math.abs(diagonal) < 1e-12 ? 0 : sum / diagonal;
  }
  return x;
}

/** Newton's method (IRLS) on the features in `active`; the others stay 0. Index 0 is the bias. */
function newton(rows: readonly LabelledFeatures[], active: readonly boolean[]): number[] {
  const size = active.length;
  const theta = new Array<number>(size).fill(0);
  const columns = active.flatMap((on, index) => (on ? [index] : []));
  const x = (row: LabelledFeatures, index: number) => (index === 0 ? 1 : (row.features[index - 1] ?? 0));
  for (let iteration = 0; iteration < CALIBRATION_FIT.iterations; iteration += 1) {
    const gradient = columns.map((column): number =>
      column === 0 ? 0 : CALIBRATION_FIT.l2 * (theta[column] ?? 0),
    );
    const hessian: number[][] = columns.map((column, i) =>
      columns.map((_, j): number => (i === j && column !== 0 ? CALIBRATION_FIT.l2 : 0)),
    );
    for (const row of rows) {
      let logit = 0;
      for (const column of columns) logit += (theta[column] ?? 0) * x(row, column);
      const p = sigmoid(logit);
      const weight = Math.max(p * (1 - p), 1e-9);
      columns.forEach((ci, i) => {
        gradient[i] = (gradient[i] ?? 0) + (p - row.label) * x(row, ci);
        const hi = hessian[i] ?? [];
        columns.forEach((cj, j) => {
          hi[j] = (hi[j] ?? 0) + weight * x(row, ci) * x(row, cj);
        });
      });
    }
    const step = solve(hessian, gradient);
    let change = 0;
    columns.forEach((column, i) => {
      const delta = step[i] ?? 0;
      theta[column] = (theta[column] ?? 0) - delta;
      change = Math.max(change, Math.abs(delta));
    });
    if (change < CALIBRATION_FIT.tolerance) break;
  }
  return theta;
}

/**
 * Logistic regression with every feature weight ≥ 0 (an active set: a weight that comes out
 * negative is pinned to 0 and the rest refitted), so the fitted probability is monotonic in each
 * feature. Returns the bias and the weights in feature order.
 *
 * @example
 * const { bias, weights } = fitNonNegativeLogistic(rows, 4);
 */
export function fitNonNegativeLogistic(
  rows: readonly LabelledFeatures[],
  featureCount: number,
): { bias: number; weights: number[] } {
  const active = [true, ...new Array<boolean>(featureCount).fill(true)];
  for (;;) {
    const theta = newton(rows, active);
    let worst = -1;
    for (let index = 1; index < theta.length; index += 1) {
      if (
        active[index] &&
        (theta[index] ?? 0) < 0 &&
        (worst === -1 || (theta[index] ?? 0) < (theta[worst] ?? 0))
      )
        worst = index;
    }
    if (worst === -1) {
      return { bias: theta[0] ?? 0, weights: theta.slice(1).map((weight) => Math.max(0, weight)) };
    }
    active[worst] = false;
  }
}

/**
 * The threshold that refuses the most off-topic questions while refusing at most `maxRefusal` of
 * the answerable ones. Scores are each question's best probability; a question is refused when
 * its score is below the threshold.
 *
 * @example
 * chooseThreshold([0.9, 0.8, 0.7], [0.2, 0.75], 0.34); // { threshold: 0.8, refused: 1/3, rejected: 1 }
 */
export function chooseThreshold(
  answerable: readonly number[],
  offTopic: readonly number[],
  maxRefusal: number,
): { threshold: number; refused: number; rejected: number } {
  const share = (values: readonly number[], threshold: number, below: boolean) =>
    values.length === 0 ? 0 : values.filter((value) => value < threshold === below).length / values.length;
  let best = { threshold: 0, refused: 0, rejected: share(offTopic, 0, true) };
  for (const candidate of [...new Set(answerable)].sort((a, b) => a - b)) {
    const refused = share(answerable, candidate, true);
    if (refused > maxRefusal) break;
    const rejected = share(offTopic, candidate, true);
    if (rejected >= best.rejected) best = { threshold: candidate, refused, rejected };
  }
  return best;
}
