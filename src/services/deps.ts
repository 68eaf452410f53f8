import type { Clock, Embedder, ReadinessCheck, Segmenter } from "#domain/ports";

/** Everything a service verb may use, as domain ports. Built by main.ts, faked in tests. */
export interface ServiceDeps {
  readonly embedder: Embedder;
  readonly segmenter: Segmenter;
  readonly clock: Clock;
  readonly readiness: readonly ReadinessCheck[];
}
