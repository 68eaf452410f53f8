import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseFiles, readCaseRows } from "#infra/knowledge-fs/case-files";

describe("caseFiles / readCaseRows", () => {
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "case-files-"));
    mkdirSync(join(dir, "history", "nested"), { recursive: true });
    writeFileSync(join(dir, "seed-cases.jsonl"), '{"id":"s-1","text":"甲"}\n\n{"id":"s-2","text":"乙"}\n');
    writeFileSync(join(dir, "history", "rsj.jsonl"), '{"id":"h-rsj-0001","text":"丙"}\n');
    writeFileSync(join(dir, "history", "nested", "extra.csv"), "id,text\nc-1,丁\n");
    writeFileSync(join(dir, "history", "notes.md"), "not a case file\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("lists every .jsonl/.csv file under a folder, recursively and sorted", () => {
    expect(caseFiles(dir)).toEqual([
      join(dir, "history", "nested", "extra.csv"),
      join(dir, "history", "rsj.jsonl"),
      join(dir, "seed-cases.jsonl"),
    ]);
  });

  it("takes a single file as itself and a missing path as nothing", () => {
    expect(caseFiles(join(dir, "seed-cases.jsonl"))).toEqual([join(dir, "seed-cases.jsonl")]);
    expect(caseFiles(join(dir, "absent"))).toEqual([]);
  });

  it("reads the rows of all files with the file and line each is on", () => {
    expect(readCaseRows(dir)).toEqual([
      { file: join(dir, "history", "nested", "extra.csv"), line: 2, row: { id: "c-1", text: "丁" } },
      { file: join(dir, "history", "rsj.jsonl"), line: 1, row: { id: "h-rsj-0001", text: "丙" } },
      { file: join(dir, "seed-cases.jsonl"), line: 1, row: { id: "s-1", text: "甲" } },
      { file: join(dir, "seed-cases.jsonl"), line: 3, row: { id: "s-2", text: "乙" } },
    ]);
  });
});
