import type { ApiKeyRepository } from "#domain/access";
import type { AuditRepository } from "#domain/audit";
import type { Lexicon } from "#domain/knowledge/lexicon";
import type { KnowledgeRepository } from "#domain/knowledge/repository";
import type { Clock, Embedder, ReadinessCheck, Segmenter } from "#domain/ports";
import type { Transact } from "#domain/repositories";
import type { FusionConfig } from "#domain/retrieval/fusion";

/** Everything a service verb may use, as domain ports. Built by bootstrap.ts, faked in tests. */
export interface ServiceDeps {
  readonly embedder: Embedder;
  readonly segmenter: Segmenter;
  readonly clock: Clock;
  readonly readiness: readonly ReadinessCheck[];
  readonly knowledge: KnowledgeRepository;
  readonly audit: AuditRepository;
  readonly keys: ApiKeyRepository;
  readonly transact: Transact;
  readonly lexicon: Lexicon;
  readonly fusion: FusionConfig;
}
