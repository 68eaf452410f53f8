import type { Principal } from "#domain/access";
import { type CaseInput, CaseInputSchema, type StoredCase } from "#domain/cases";
import { ValidationError } from "#domain/errors";
import { contentHash } from "#domain/knowledge/hash";
import { maskPersonalData } from "#domain/text/pii";
import type { ServiceDeps } from "./deps";

export interface ImportReport {
  total: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface LineError {
  line: number;
  field: string;
  message: string;
}

/**
 * Validates every row first and reports all bad lines (line, field, message); imports nothing if
 * any line is bad. Texts are masked (phone, ID, bank card, e-mail) before they are stored or
 * embedded; department codes must exist in the catalogue. Rows are keyed by id (or a hash of their
 * content), so re-importing the same file changes nothing.
 */
export async function importCases({
  deps,
  input,
  actor,
  onProgress,
}: {
  deps: Pick<ServiceDeps, "cases" | "embedder" | "transact" | "clock" | "suggest">;
  input: { rows: readonly unknown[]; source: StoredCase["source"]; lineOffset?: number };
  actor: Pick<Principal, "name">;
  onProgress?: (done: number, total: number) => void;
}): Promise<ImportReport> {
  const errors: LineError[] = [];
  const parsed: { line: number; value: CaseInput }[] = [];
  input.rows.forEach((row, index) => {
    const line = index + 1 + (input.lineOffset ?? 0);
    const result = CaseInputSchema.safeParse(row);
    if (!result.success) {
      for (const issue of result.error.issues)
        errors.push({ line, field: issue.path.join(".") || "(row)", message: issue.message });
      return;
    }
    const departments = result.data.department === undefined ? [] : [result.data.department].flat();
    for (const code of departments) {
      if (!deps.suggest.departmentNames.has(code))
        errors.push({ line, field: "department", message: `unknown department code ${code}` });
    }
    parsed.push({ line, value: result.data });
  });
  if (errors.length > 0) {
    throw new ValidationError(`${errors.length} invalid field(s); nothing was imported`, {
      errors: errors.slice(0, 200),
    });
  }

  const stored: StoredCase[] = parsed.map(({ value }) => {
    const text = maskPersonalData(value.text);
    const content = {
      text,
      category: value.category ?? [],
      departments: value.department === undefined ? [] : [value.department].flat(),
      type: value.type ?? null,
      urgent: value.urgent ?? null,
      marketEntity: value.marketEntity ?? null,
      receivedAt: value.receivedAt ?? value.time ?? null,
    };
    const hash = contentHash(content);
    return {
      id: value.id ?? `case-${hash.slice(0, 16)}`,
      ...content,
      source: input.source,
      contentHash: hash,
    };
  });
  const ids = stored.map((item) => item.id);
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate) throw new ValidationError(`id ${duplicate} appears more than once; nothing was imported`);

  const existing = await deps.cases.existingHashes(ids);
  const changed = stored.filter((item) => existing.get(item.id) !== item.contentHash);
  const embedded: (StoredCase & { embedding: Float32Array; embeddingModel: string })[] = [];
  for (let offset = 0; offset < changed.length; offset += 64) {
    const chunk = changed.slice(offset, offset + 64);
    const vectors = await deps.embedder.embed(chunk.map((item) => item.text));
    chunk.forEach((item, index) => {
      const embedding = vectors[index];
      if (!embedding) throw new Error(`no embedding for case ${item.id}`);
      embedded.push({ ...item, embedding, embeddingModel: deps.embedder.modelId });
    });
    onProgress?.(Math.min(offset + 64, changed.length), changed.length);
  }
  const report: ImportReport = {
    total: stored.length,
    inserted: changed.filter((item) => !existing.has(item.id)).length,
    updated: changed.filter((item) => existing.has(item.id)).length,
    unchanged: stored.length - changed.length,
  };
  if (changed.length > 0) {
    await deps.transact(async ({ cases, audit }) => {
      await cases.upsert(embedded);
      await audit.append(
        {
          actor: actor.name,
          action: "cases.import",
          entityType: "cases",
          entityId: input.source,
          after: { inserted: report.inserted, updated: report.updated, total: report.total },
        },
        deps.clock.now(),
      );
    });
  }
  return report;
}
