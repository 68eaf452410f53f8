import type { Principal } from "#domain/access";
import { type CaseInput, CaseInputSchema, type StoredCase } from "#domain/cases";
import { ValidationError } from "#domain/errors";
import { contentHash } from "#domain/knowledge/hash";
import type { Repositories } from "#domain/repositories";
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

type ImportDeps = Pick<ServiceDeps, "cases" | "embedder" | "transact" | "clock" | "suggest">;
type EmbeddedCase = StoredCase & { embedding: Float32Array; embeddingModel: string };

/** Cases validated, masked and embedded, ready to be stored in a transaction. */
export interface PreparedCases {
  embedded: EmbeddedCase[];
  report: ImportReport;
  source: StoredCase["source"];
}

/**
 * Validates every row first and reports all bad lines (line, field, message); imports nothing if
 * any line is bad. Texts are masked (phone, ID, bank card, e-mail, names, house numbers) before
 * they are stored or embedded; department codes must exist in the catalogue. Rows are keyed by id
 * (or a hash of their content), so re-importing the same file changes nothing. `lines` gives each
 * row's file line (CSV header = line 1); without it rows are numbered from 1.
 *
 * @example
 * await importCases({ deps, input: { rows, lines, source: "import" }, actor: { name: "cli:ops" } });
 */
export async function importCases({
  deps,
  input,
  actor,
  onProgress,
}: {
  deps: ImportDeps;
  input: { rows: readonly unknown[]; source: StoredCase["source"]; lines?: readonly number[] };
  actor: Pick<Principal, "name">;
  onProgress?: (done: number, total: number) => void;
}): Promise<ImportReport> {
  const prepared = await prepareCases({ deps, input, onProgress });
  if (prepared.embedded.length > 0) {
    await deps.transact((repositories) => storeCases(repositories, prepared, actor, deps.clock.now()));
  }
  return prepared.report;
}

/**
 * The slow, side-effect-free half of an import (validation, masking, embedding), so a caller can
 * store the result inside its own transaction with storeCases().
 */
export async function prepareCases({
  deps,
  input,
  onProgress,
}: {
  deps: Pick<ImportDeps, "cases" | "embedder" | "suggest">;
  input: { rows: readonly unknown[]; source: StoredCase["source"]; lines?: readonly number[] };
  onProgress?: (done: number, total: number) => void;
}): Promise<PreparedCases> {
  const errors: LineError[] = [];
  const parsed: { line: number; value: CaseInput }[] = [];
  input.rows.forEach((row, index) => {
    const line = input.lines?.[index] ?? index + 1;
    const result = CaseInputSchema.safeParse(row);
    if (!result.success) {
      for (const issue of result.error.issues)
        errors.push({ line, field: issue.path.join(".") || "(row)", message: issue.message });
      return;
    }
    const departments = result.data.department === undefined ? [] : [result.data.department].flat();
    for (const code of result.data.assistingDepartments ?? []) {
      if (!deps.suggest.departmentNames.has(code))
        errors.push({ line, field: "assistingDepartments", message: `unknown department code ${code}` });
    }
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
      // Only when named, so the content hash of a case without 协办 stays as it was.
      ...(value.assistingDepartments && value.assistingDepartments.length > 0
        ? { assistingDepartments: value.assistingDepartments }
        : {}),
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
  const embedded: EmbeddedCase[] = [];
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
  return { embedded, report, source: input.source };
}

/** Stores prepared cases and their audit entry with the given (transaction's) repositories. */
export async function storeCases(
  repositories: Pick<Repositories, "cases" | "audit">,
  prepared: PreparedCases,
  actor: Pick<Principal, "name">,
  at: Date,
): Promise<void> {
  if (prepared.embedded.length === 0) return;
  await repositories.cases.upsert(prepared.embedded);
  await repositories.audit.append(
    {
      actor: actor.name,
      action: "cases.import",
      entityType: "cases",
      entityId: prepared.source,
      after: {
        inserted: prepared.report.inserted,
        updated: prepared.report.updated,
        total: prepared.report.total,
      },
    },
    at,
  );
}
