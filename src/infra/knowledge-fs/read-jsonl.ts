import { readFileSync } from "node:fs";
import type { z } from "zod";

export class DatasetLineError extends Error {
  override readonly name = "DatasetLineError";
  constructor(
    readonly file: string,
    readonly line: number,
    readonly field: string,
    detail: string,
  ) {
    super(`${file}:${line}: ${field ? `${field}: ` : ""}${detail}`);
  }
}

/**
 * Reads a JSONL file and validates every line; the first bad line throws with its file, line
 * number and field, so nothing is used half-read.
 *
 * @example
 * const cases = readJsonl("eval/datasets/retrieval-heldout.jsonl", HitTestCaseSchema);
 */
export function readJsonl<S extends z.ZodType>(file: string, schema: S): z.infer<S>[] {
  const rows: z.infer<S>[] = [];
  readFileSync(file, "utf8")
    .split(/\r?\n/)
    .forEach((text, index) => {
      if (text.trim().length === 0) return;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new DatasetLineError(file, index + 1, "", `not valid JSON (${(error as Error).message})`);
      }
      const parsed = schema.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new DatasetLineError(file, index + 1, issue?.path.join(".") ?? "", issue?.message ?? "invalid");
      }
      rows.push(parsed.data);
    });
  return rows;
}
