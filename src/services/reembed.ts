import type { KnowledgeBundle } from "#domain/knowledge/schema";
import type { ServiceDeps } from "./deps";
import { syncKnowledge } from "./sync-knowledge";

const BATCH = 32;

/**
 * Re-embeds everything vectors were computed for, after the embedding model or the jieba
 * dictionary changed: the knowledge base (a forced sync, which also rebuilds the full-text
 * tokens) and every labelled case (kNN history). Runs as the `reembed` job, on one replica.
 *
 * @example
 * await reembedAll({ deps, input: { bundle }, onProgress: (stage, done, total) => {} });
 */
export async function reembedAll({
  deps,
  input,
  onProgress,
}: {
  deps: Omit<ServiceDeps, "readiness" | "keys">;
  input: { bundle: KnowledgeBundle };
  onProgress?: (stage: string, done: number, total: number) => void | Promise<void>;
}): Promise<{ cases: number; knowledgeChanged: boolean }> {
  const sync = await syncKnowledge({
    deps,
    input: { bundle: input.bundle, force: true },
    onProgress: (progress) => void onProgress?.("knowledge", progress.done, progress.total),
  });
  const all = await deps.cases.all();
  for (let start = 0; start < all.length; start += BATCH) {
    const batch = all.slice(start, start + BATCH);
    const vectors = await deps.embedder.embed(batch.map((item) => item.text));
    await deps.cases.upsert(
      batch.map((item, index) => ({
        ...item,
        embedding: vectors[index] ?? item.embedding,
        embeddingModel: deps.embedder.modelId,
      })),
    );
    await onProgress?.("cases", Math.min(all.length, start + BATCH), all.length);
  }
  return { cases: all.length, knowledgeChanged: sync.changed };
}
