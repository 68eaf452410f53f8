import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { DatasetLineError } from "./read-jsonl";

/** Spellings of a CSV boolean; anything else is kept as text so validation reports it (review #20). */
const TRUE_VALUES = new Set(["true", "1", "是", "yes"]);
const FALSE_VALUES = new Set(["false", "0", "否", "no"]);

/**
 * Raw rows of a JSONL or CSV file (by extension), not yet validated, each with the file line it
 * is on (1-based; in a CSV the header is line 1, and a quoted multi-line row is reported at its
 * last line). CSV: list fields (category, department) may use "/" or "|"; urgent/marketEntity as
 * true/false/1/0/是/否 — any other value (`maybe`) is passed on as text and fails validation.
 *
 * @example
 * readNumberedRows("cases.csv"); // [{ line: 2, row: { text: "…", urgent: true } }, …]
 */
export function readNumberedRows(file: string): { line: number; row: unknown }[] {
  const text = readFileSync(file, "utf8");
  if (file.endsWith(".csv")) {
    const records = parse(text, {
      columns: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      info: true,
    }) as { record: Record<string, string>; info: { lines: number } }[];
    return records.map(({ record, info }) => {
      const row: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(record)) {
        if (value === "") continue;
        if (key === "department" && value.includes("|")) row[key] = value.split("|");
        else if (key === "category") row[key] = value.split(/[/|]/).map((part) => part.trim());
        else if (key === "urgent" || key === "marketEntity") {
          const folded = value.toLowerCase();
          row[key] = TRUE_VALUES.has(folded) ? true : FALSE_VALUES.has(folded) ? false : value;
        } else row[key] = value;
      }
      return { line: info.lines, row };
    });
  }
  const rows: { line: number; row: unknown }[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim().length === 0) return;
    try {
      rows.push({ line: index + 1, row: JSON.parse(line) });
    } catch (error) {
      throw new DatasetLineError(file, index + 1, "", `not valid JSON (${(error as Error).message})`);
    }
  });
  return rows;
}

/** The rows of readNumberedRows() without their line numbers. */
export function readRows(file: string): unknown[] {
  return readNumberedRows(file).map(({ row }) => row);
}
