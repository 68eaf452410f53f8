/** A sparse, L2-normalised feature vector. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

const NOT_CONTENT = /[^\p{L}\p{N}]+/gu;

/**
 * Character 1- and 2-grams of the text (punctuation and spaces removed) plus the segmenter's
 * words, prefixed so a one-character word and a character do not collide.
 *
 * @example
 * textFeatures("欠薪", ["欠薪"]); // ["c:欠", "c:薪", "b:欠薪", "w:欠薪"]
 */
export function textFeatures(text: string, words: readonly string[]): string[] {
  const chars = [...text.normalize("NFKC").toLowerCase().replace(NOT_CONTENT, "")];
  const features: string[] = [];
  for (const char of chars) features.push(`c:${char}`);
  for (let index = 1; index < chars.length; index += 1) features.push(`b:${chars[index - 1]}${chars[index]}`);
  for (const word of words) {
    const clean = word.toLowerCase().replace(NOT_CONTENT, "");
    if (clean.length >= 2) features.push(`w:${clean}`);
  }
  return features;
}

export interface TfidfModel {
  vocabulary: Record<string, number>;
  idf: number[];
}

/**
 * Fits a TF-IDF vocabulary: features seen in at least `minDf` documents, at most `maxFeatures`
 * of the most frequent, smooth idf.
 */
export function fitTfidf(
  documents: readonly (readonly string[])[],
  options: { minDf?: number; maxFeatures?: number } = {},
): TfidfModel {
  const minDf = options.minDf ?? 2;
  const maxFeatures = options.maxFeatures ?? 200_000;
  const df = new Map<string, number>();
  for (const features of documents) {
    for (const feature of new Set(features)) df.set(feature, (df.get(feature) ?? 0) + 1);
  }
  const kept = [...df.entries()]
    .filter(([, count]) => count >= minDf)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, maxFeatures);
  const vocabulary: Record<string, number> = {};
  const idf: number[] = [];
  const n = documents.length;
  kept.forEach(([feature, count], index) => {
    vocabulary[feature] = index;
    idf.push(Math.log((1 + n) / (1 + count)) + 1);
  });
  return { vocabulary, idf };
}

/** Sublinear tf × idf, L2-normalised; unknown features are ignored. */
export function transformTfidf(model: TfidfModel, features: readonly string[]): SparseVector {
  const counts = new Map<number, number>();
  for (const feature of features) {
    const index = model.vocabulary[feature];
    if (index !== undefined) counts.set(index, (counts.get(index) ?? 0) + 1);
  }
  const indices = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
  const values = new Float32Array(indices.length);
  let norm = 0;
  indices.forEach((index, position) => {
    const value = (1 + Math.log(counts.get(index) ?? 1)) * (model.idf[index] ?? 0);
    values[position] = value;
    norm += value * value;
  });
  norm = Math.sqrt(norm) || 1;
  for (let position = 0; position < values.length; position += 1)
    values[position] = (values[position] ?? 0) / norm;
  return { indices, values };
}

/** A dense vector (an embedding) in the sparse form the trainer takes. */
export function denseToSparse(vector: ArrayLike<number>): SparseVector {
  const indices = new Int32Array(vector.length);
  const values = new Float32Array(vector.length);
  for (let index = 0; index < vector.length; index += 1) {
    indices[index] = index;
    values[index] = vector[index] ?? 0;
  }
  return { indices, values };
}
