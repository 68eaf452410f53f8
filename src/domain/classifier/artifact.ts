import type { EngineModel, Head, HeadScore } from "./engine";

/** A trained classifier as stored under models/classifier/<version>/. */
export interface ClassifierArtifact {
  version: string;
  createdAt: string;
  embeddingModel: string;
  trainedOn: { cases: number; bySource: Record<string, number> };
  /** Held-out quality per head: the fusion and each component alone. */
  metrics: Partial<Record<Head, { fused: HeadScore; components: Record<string, HeadScore> }>>;
  model: EngineModel;
}

/** Where artifacts live; the newest one is what the service serves. */
export interface ClassifierStore {
  save(artifact: ClassifierArtifact): Promise<string>;
  /** The newest artifact (re-read when a newer one appears), or null before the first training. */
  current(): Promise<ClassifierArtifact | null>;
}
