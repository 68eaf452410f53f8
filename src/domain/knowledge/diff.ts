import { diffArrays, diffChars } from "diff";
import { basisText } from "./basis";
import type { ScriptContent } from "./repository";

export interface FieldChange {
  field: keyof ScriptContent;
  before: unknown;
  after: unknown;
  /** For text fields: the edit as a sequence of kept/added/removed runs. */
  parts: { value: string; added: boolean; removed: boolean }[];
}

/** Every wording field of a script, in the order forms and diffs show them. */
export const CONTENT_FIELDS = [
  "title",
  "question",
  "variants",
  "answer",
  "basis",
  "departments",
  "category",
  "region",
  "audience",
  "tags",
  "validFrom",
  "validTo",
  "owner",
] as const satisfies readonly (keyof ScriptContent)[];

/**
 * Field-by-field difference of two versions of a script; unchanged fields are left out.
 *
 * @example
 * diffScripts(v1, v2); // [{ field: "answer", before: "…", after: "…", parts: [...] }]
 */
export function diffScripts(before: ScriptContent, after: ScriptContent): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of CONTENT_FIELDS) {
    const a = before[field] ?? null;
    const b = after[field] ?? null;
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    let parts: FieldChange["parts"];
    if (Array.isArray(a) && Array.isArray(b)) {
      parts = diffArrays(a.map(String), b.map(String)).flatMap((part) =>
        part.value.map((value) => ({ value, added: part.added ?? false, removed: part.removed ?? false })),
      );
    } else {
      // The structured basis (issue #14) reads as one line in a diff.
      const text = (value: unknown) =>
        field === "basis" && value && typeof value === "object"
          ? basisText(value as ScriptContent["basis"])
          : String(value ?? "");
      parts = diffChars(text(a), text(b)).map((part) => ({
        value: part.value,
        added: part.added ?? false,
        removed: part.removed ?? false,
      }));
    }
    changes.push({ field, before: a, after: b, parts });
  }
  return changes;
}
