import { existsSync, readFileSync } from "node:fs";
import YAML from "yaml";
import { z } from "zod";
import { type CalendarYear, CalendarYearEntrySchema, checkCalendarYear } from "#domain/calendar";
import type { KnowledgeIssue } from "#domain/knowledge/check";

const CalendarFileSchema = z.strictObject({
  years: z.record(z.string().regex(/^\d{4}$/, "expected a 4-digit year"), CalendarYearEntrySchema).nullish(),
});

/**
 * Reads knowledge/calendar.yaml (the centre's 放假/调休 notices, one entry per year) and checks
 * every year. A missing file is no error: chinese-days alone is used.
 *
 * @example
 * const { years, issues } = loadCalendarFile("knowledge/calendar.yaml");
 */
export function loadCalendarFile(
  path: string,
  display = "calendar.yaml",
): { years: CalendarYear[]; issues: KnowledgeIssue[] } {
  if (!existsSync(path)) return { years: [], issues: [] };
  const document = YAML.parseDocument(readFileSync(path, "utf8"), { uniqueKeys: true, prettyErrors: false });
  const [firstError] = document.errors;
  if (firstError)
    return { years: [], issues: [{ file: display, message: `YAML: ${firstError.message.split("\n")[0]}` }] };
  const parsed = CalendarFileSchema.safeParse(document.toJS() ?? {});
  if (!parsed.success) {
    return {
      years: [],
      issues: parsed.error.issues.map((issue) => ({
        file: display,
        message: `${issue.path.join(".")}: ${issue.message}`,
      })),
    };
  }
  const years = Object.entries(parsed.data.years ?? {})
    .map(([year, entry]) => ({ year: Number(year), ...entry }))
    .sort((a, b) => a.year - b.year);
  const issues = years.flatMap((entry) =>
    checkCalendarYear(entry).map((message) => ({ file: display, message })),
  );
  return { years: issues.length > 0 ? [] : years, issues };
}
