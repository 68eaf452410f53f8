import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readNumberedRows } from "#infra/knowledge-fs/read-rows";
import { importCases } from "#services/import-cases";
import { buildTestDeps } from "../../helpers/test-app";

function csvFile(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "cases-csv-")), "cases.csv");
  writeFileSync(file, content);
  return file;
}

async function lineErrors(file: string) {
  const numbered = readNumberedRows(file);
  const error = await importCases({
    deps: buildTestDeps(),
    input: {
      rows: numbered.map(({ row }) => row),
      lines: numbered.map(({ line }) => line),
      source: "import",
    },
    actor: { name: "test" },
  }).catch((caught: unknown) => caught);
  return ((error as { details?: { errors?: { line: number; field: string }[] } }).details?.errors ?? []).map(
    ({ line, field }) => ({ line, field }),
  );
}

describe("CSV import line numbers and booleans (review #20)", () => {
  it("review #20: a bad row on file line 5 is reported as line 5 (header = line 1, blank lines counted)", async () => {
    const file = csvFile(
      ["text,department,urgent", "正常的一行,rsj,true", "第二行,rsj,0", "", "未知部门,nope,false"].join("\n"),
    );
    expect(await lineErrors(file)).toEqual([{ line: 5, field: "department" }]);
  });

  it("review #20: urgent: maybe is an error, not false", async () => {
    const file = csvFile(
      ["text,department,urgent,marketEntity", "一行,rsj,maybe,是", "二行,rsj,否,unknown"].join("\n"),
    );
    expect(await lineErrors(file)).toEqual([
      { line: 2, field: "urgent" },
      { line: 3, field: "marketEntity" },
    ]);
  });

  it("keeps the accepted spellings of true and false", () => {
    const file = csvFile(["text,urgent,marketEntity", "一,true,否", "二,1,0", "三,是,FALSE"].join("\n"));
    expect(readNumberedRows(file)).toEqual([
      { line: 2, row: { text: "一", urgent: true, marketEntity: false } },
      { line: 3, row: { text: "二", urgent: true, marketEntity: false } },
      { line: 4, row: { text: "三", urgent: true, marketEntity: false } },
    ]);
  });

  it("numbers JSONL rows by their file line, skipping blank lines", () => {
    const file = join(mkdtempSync(join(tmpdir(), "cases-jsonl-")), "cases.jsonl");
    writeFileSync(file, '{"text":"一"}\n\n{"text":"二"}\n');
    expect(readNumberedRows(file).map(({ line }) => line)).toEqual([1, 3]);
  });
});
