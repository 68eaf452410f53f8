import type { Embedder } from "#domain/ports";
import { similarityPositions, urgencyClauses } from "#domain/urgency/detect";

/**
 * Embeddings of a call's clauses for the urgency detector, aligned with `urgencyClauses(text)`
 * (clauses too short to compare are left out). A one-clause call reuses the text's own vector;
 * otherwise the clauses go to the embedder in one call, made while the text's embedding is still
 * being computed, so the worker batches them together.
 *
 * @example
 * const vectors = await clauseVectors(embedder, text, embedder.embed([text]).then((v) => v[0]));
 */
export async function clauseVectors(
  embedder: Embedder,
  text: string,
  textVector: Float32Array | Promise<Float32Array>,
): Promise<(Float32Array | undefined)[]> {
  const clauses = urgencyClauses(text);
  const positions = similarityPositions(clauses);
  const vectors: (Float32Array | undefined)[] = clauses.map(() => undefined);
  if (positions.length === 0) return vectors;
  if (clauses.length === 1) {
    vectors[0] = await textVector;
    return vectors;
  }
  const embedded = await embedder.embed(positions.map((position) => clauses[position] ?? ""));
  positions.forEach((position, index) => {
    vectors[position] = embedded[index];
  });
  return vectors;
}
