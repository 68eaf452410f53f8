import { type AuditEntry, verifyAuditChain } from "#domain/audit";
import type { ServiceDeps } from "./deps";

/** Newest entries first, optionally for one entity. */
export async function listAudit({
  deps,
  input,
}: {
  deps: Pick<ServiceDeps, "audit">;
  input: {
    entityType?: string | undefined;
    entityId?: string | undefined;
    limit?: number | undefined;
    beforeId?: number | undefined;
  };
}): Promise<AuditEntry[]> {
  return deps.audit.list({
    entityType: input.entityType,
    entityId: input.entityId,
    limit: Math.min(input.limit ?? 100, 1000),
    beforeId: input.beforeId,
  });
}

/** Recomputes the hash chain over the whole log; reports the first entry that does not verify. */
export async function verifyAudit({ deps }: { deps: Pick<ServiceDeps, "audit"> }) {
  return verifyAuditChain(await deps.audit.all());
}
