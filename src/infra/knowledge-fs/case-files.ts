import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { readNumberedRows } from "./read-rows";

const CASE_FILE = /\.(jsonl|csv)$/;

/**
 * The labelled-case files at a path: the file itself, or every .jsonl/.csv file under a folder
 * (recursively, sorted), so knowledge/cases/seed-cases.jsonl and the per-department history in
 * knowledge/cases/history/ are read the same way by start-up, import, training and evaluation.
 *
 * @example
 * caseFiles("knowledge/cases"); // ["knowledge/cases/history/cgj.jsonl", …, "knowledge/cases/seed-cases.jsonl"]
 */
export function caseFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, encoding: "utf8" })
    .filter((name) => CASE_FILE.test(name))
    .map((name) => join(path, name))
    .filter((file) => statSync(file).isFile())
    .sort();
}

/** Every row of every case file at a path, with the file and line it is on. */
export function readCaseRows(path: string): { file: string; line: number; row: unknown }[] {
  return caseFiles(path).flatMap((file) => readNumberedRows(file).map((entry) => ({ file, ...entry })));
}
