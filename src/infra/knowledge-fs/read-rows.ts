import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { DatasetLineError } from "./read-jsonl";

/**
 * Raw rows of a JSONL or CSV file (by extension), not yet validated. CSV: a header line; list
 * fields (category, department) may use "/" or "|"; urgent/marketEntity as true/false/1/0.
 */
export function readRows(file: string): unknown[] {
  const text = readFileSync(file, "utf8");
  if (file.endsWith(".csv")) {
    const records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<
      string,
      string
    >[];
    return records.map((record) => {
      const row: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(record)) {
        if (value === "") continue;
        if (key === "department" && value.includes("|")) row[key] = value.split("|");
        else if (key === "category") row[key] = value.split(/[/|]/).map((part) => part.trim());
        else if (key === "urgent" || key === "marketEntity")
          row[key] = ["true", "1", "是"].includes(value.toLowerCase());
        else row[key] = value;
      }
      return row;
    });
  }
  const rows: unknown[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim().length === 0) return;
    try {
      rows.push(JSON.parse(line));
    } catch (error) {
      throw new DatasetLineError(file, index + 1, "", `not valid JSON (${(error as Error).message})`);
    }
  });
  return rows;
}
