import { readFileSync } from "node:fs";

export class DatasetError extends Error {
  override readonly name = "DatasetError";
}

export interface LabelledRow {
  line: number;
  id: string;
  text: string;
  /** Acceptable labels (a prediction is correct if it is one of them). */
  gold: string[];
  /** The whole row, for other fields (e.g. the full category path of a case). */
  raw: Record<string, unknown>;
}

function labelsOf(value: unknown): string[] | null {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value === "boolean") return [String(value)];
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.every((entry) => typeof entry === "string")) return value as string[];
  return null;
}

/**
 * Reads a labelled JSONL file with fields mapped by name. `textFields` are joined (missing ones
 * skipped); the label may be a string, a boolean or a list of acceptable labels. Any bad line
 * stops the run with file, line and field — nothing is evaluated on half a dataset.
 */
export function readLabelled(
  file: string,
  options: { textFields: readonly string[]; labelField: string; requireLabel?: boolean },
): LabelledRow[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new DatasetError(`${file}: cannot read (${(error as Error).message})`);
  }
  const rows: LabelledRow[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim().length === 0) return;
    const where = `${file}:${index + 1}`;
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(line) as Record<string, unknown>;
    } catch (error) {
      throw new DatasetError(`${where}: not valid JSON (${(error as Error).message})`);
    }
    if (!raw || typeof raw !== "object" || Array.isArray(raw))
      throw new DatasetError(`${where}: expected a JSON object`);
    const parts = options.textFields
      .map((field) => raw[field])
      .filter((value): value is string => typeof value === "string" && value.trim().length > 0);
    if (parts.length === 0)
      throw new DatasetError(`${where}: field "${options.textFields.join(",")}": no text`);
    const gold = labelsOf(raw[options.labelField]);
    if (gold === null && options.requireLabel !== false) {
      throw new DatasetError(
        `${where}: field "${options.labelField}": missing or not a string/boolean/list of strings`,
      );
    }
    rows.push({
      line: index + 1,
      id: String(raw.id ?? `line-${index + 1}`),
      text: parts.join("\n"),
      gold: gold ?? [],
      raw,
    });
  });
  if (rows.length === 0) throw new DatasetError(`${file}: no rows`);
  return rows;
}
