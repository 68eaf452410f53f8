import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { taxonomyLeafPaths } from "#domain/knowledge/check";
import type { KnowledgeBundle } from "#domain/knowledge/schema";
import { loadKnowledge, readCatalogueCodes } from "#infra/knowledge-fs/load-knowledge";

// The independent gold sets (issues #13 and #14): written from the catalogue, never trained on.
// These checks keep them honest as the catalogue changes: every label must still name something
// that exists, and the sets must keep the size and mix the issues ask for.

const DEV_GOLD = "eval/datasets/dev-gold.jsonl";
const OFFTOPIC = "eval/datasets/offtopic.jsonl";
const COLLOQUIAL = "eval/datasets/retrieval-colloquial.jsonl";
/** The customer's dispatch catalogue, next to the repository as `knowledge:check` expects it. */
const CATALOGUE = resolve("../shared/spec/departments.tsv");

const MINIMUM = {
  devRows: 600,
  leadPerDepartment: 8,
  suggestions: 40,
  praise: 40,
  rowsPerEmergencyItem: 2,
  offtopicRows: 200,
  colloquialRows: 150,
} as const;

/** Shares of the dev gold the issue asks for (urgent about 15 %, the rest as minimums). */
const SHARE = {
  urgentMin: 0.12,
  urgentMax: 0.2,
  nearMissMin: 0.08,
  marketEntityMin: 0.12,
  cantoneseMin: 0.2,
  longMin: 0.15,
  multiIssueMin: 0.1,
} as const;
const LONG_CALL_CHARS = 150;

const CALLER_TYPES = ["person", "enterprise", "individual-business"] as const;
const DEV_TAGS = ["cantonese", "long", "multi-issue", "near-miss", "agent-summary"] as const;
const OFFTOPIC_KINDS = ["chitchat", "out-of-scope", "uncovered-topic", "emergency-only"] as const;

interface DevRow {
  id: string;
  text: string;
  category: string[];
  departments: string[];
  lead: string;
  type: string;
  urgent: boolean;
  item: string | null;
  marketEntity: boolean;
  callerType: string;
  tags: string[];
}

function readJsonl<T>(file: string): T[] {
  return readFileSync(file, "utf8")
    .split(/\r?\n/)
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as T);
}

function repeated(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const again: string[] = [];
  for (const value of values) {
    if (seen.has(value)) again.push(value);
    seen.add(value);
  }
  return again;
}

function share(rows: readonly DevRow[], predicate: (row: DevRow) => boolean): number {
  return rows.filter(predicate).length / rows.length;
}

let bundle: KnowledgeBundle;
let departmentCodes: Set<string>;
let leaves: Set<string>;
let itemIds: Set<string>;
let scriptIds: Set<string>;
let typeNames: Set<string>;
/** Every script's standard question and variants: a gold question must not copy one. */
let scriptWordings: Set<string>;

beforeAll(() => {
  const loaded = loadKnowledge("knowledge");
  expect(loaded.issues).toEqual([]);
  bundle = loaded.bundle;
  departmentCodes = new Set(bundle.departments.map((department) => department.code));
  leaves = taxonomyLeafPaths(bundle);
  itemIds = new Set(bundle.emergencies.map((item) => item.id));
  scriptIds = new Set(bundle.scripts.map((script) => script.id));
  typeNames = new Set(bundle.requestTypes?.types.map((definition) => definition.type) ?? []);
  scriptWordings = new Set(bundle.scripts.flatMap((script) => [script.question, ...script.variants]));
  expect(typeNames.size).toBe(6);
});

describe("dev gold (eval/datasets/dev-gold.jsonl)", () => {
  let rows: DevRow[];
  beforeAll(() => {
    rows = readJsonl<DevRow>(DEV_GOLD);
  });

  it("has unique ids and texts and at least the minimum number of calls", () => {
    expect(rows.length).toBeGreaterThanOrEqual(MINIMUM.devRows);
    expect(repeated(rows.map((row) => row.id))).toEqual([]);
    expect(repeated(rows.map((row) => row.text.trim()))).toEqual([]);
  });

  it("labels every call with catalogue values", () => {
    const problems = rows.flatMap((row) => {
      const found: string[] = [];
      if (!leaves.has(row.category.join("/"))) found.push(`category ${row.category.join("/")}`);
      if (row.departments.length === 0) found.push("no department");
      if (repeated(row.departments).length > 0) found.push("repeated department");
      for (const code of row.departments) if (!departmentCodes.has(code)) found.push(`department ${code}`);
      if (row.lead !== row.departments[0]) found.push("lead is not the first department");
      if (!typeNames.has(row.type)) found.push(`type ${row.type}`);
      if (row.item !== null && !itemIds.has(row.item)) found.push(`item ${row.item}`);
      if (row.urgent !== (row.item !== null)) found.push("urgent and item disagree");
      if (!(CALLER_TYPES as readonly string[]).includes(row.callerType))
        found.push(`caller ${row.callerType}`);
      // 2135 applies to 市场主体: enterprises and individual businesses, not private persons.
      if (row.marketEntity !== (row.callerType !== "person"))
        found.push("marketEntity and callerType disagree");
      for (const tag of row.tags)
        if (!(DEV_TAGS as readonly string[]).includes(tag)) found.push(`tag ${tag}`);
      if (row.tags.includes("long") !== row.text.length >= LONG_CALL_CHARS) found.push("long tag");
      if (row.tags.includes("near-miss") && row.urgent) found.push("a near miss marked urgent");
      return found.map((problem) => `${row.id}: ${problem}`);
    });
    expect(problems).toEqual([]);
  });

  // knowledge:check keeps departments.yaml equal to the catalogue; this reads the catalogue itself.
  it.skipIf(!existsSync(CATALOGUE))("uses only codes of the customer's dispatch catalogue", () => {
    const catalogue = readCatalogueCodes(CATALOGUE);
    const unknown = rows.flatMap((row) => row.departments.filter((code) => !catalogue.has(code)));
    expect(unknown).toEqual([]);
  });

  it("leads with every department at least eight times", () => {
    const leads = new Map<string, number>();
    for (const row of rows) leads.set(row.lead, (leads.get(row.lead) ?? 0) + 1);
    const short = [...departmentCodes].filter((code) => (leads.get(code) ?? 0) < MINIMUM.leadPerDepartment);
    expect(short).toEqual([]);
  });

  it("covers the six types, with enough suggestions and praise", () => {
    const types = new Set(rows.map((row) => row.type));
    expect([...typeNames].filter((type) => !types.has(type))).toEqual([]);
    expect(rows.filter((row) => row.type === "建议").length).toBeGreaterThanOrEqual(MINIMUM.suggestions);
    expect(rows.filter((row) => row.type === "表扬").length).toBeGreaterThanOrEqual(MINIMUM.praise);
  });

  it("has every emergency item at least twice and about 15 % urgent calls", () => {
    const perItem = new Map<string, number>();
    for (const row of rows) if (row.item) perItem.set(row.item, (perItem.get(row.item) ?? 0) + 1);
    const missing = [...itemIds].filter((id) => (perItem.get(id) ?? 0) < MINIMUM.rowsPerEmergencyItem);
    expect(missing).toEqual([]);
    const urgent = share(rows, (row) => row.urgent);
    expect(urgent).toBeGreaterThanOrEqual(SHARE.urgentMin);
    expect(urgent).toBeLessThanOrEqual(SHARE.urgentMax);
    expect(share(rows, (row) => row.tags.includes("near-miss"))).toBeGreaterThanOrEqual(SHARE.nearMissMin);
  });

  it("has the mix of callers, languages and call shapes the issue asks for", () => {
    expect(share(rows, (row) => row.marketEntity)).toBeGreaterThanOrEqual(SHARE.marketEntityMin);
    expect(share(rows, (row) => row.tags.includes("cantonese"))).toBeGreaterThanOrEqual(SHARE.cantoneseMin);
    expect(share(rows, (row) => row.tags.includes("long"))).toBeGreaterThanOrEqual(SHARE.longMin);
    expect(share(rows, (row) => row.tags.includes("multi-issue"))).toBeGreaterThanOrEqual(
      SHARE.multiIssueMin,
    );
  });
});

describe("off-topic questions (eval/datasets/offtopic.jsonl)", () => {
  const rows = () => readJsonl<{ id: string; question: string; kind: string }>(OFFTOPIC);

  it("has at least 200 unique questions of known kinds, none copied from a script", () => {
    const all = rows();
    expect(all.length).toBeGreaterThanOrEqual(MINIMUM.offtopicRows);
    expect(repeated(all.map((row) => row.id))).toEqual([]);
    expect(repeated(all.map((row) => row.question.trim()))).toEqual([]);
    expect(all.filter((row) => !(OFFTOPIC_KINDS as readonly string[]).includes(row.kind))).toEqual([]);
    expect(new Set(all.map((row) => row.kind)).size).toBe(OFFTOPIC_KINDS.length);
    expect(all.filter((row) => scriptWordings.has(row.question.trim()))).toEqual([]);
  });
});

describe("colloquial retrieval set (eval/datasets/retrieval-colloquial.jsonl)", () => {
  const rows = () => readJsonl<{ id: string; question: string; expected: string[] }>(COLLOQUIAL);

  it("has at least 150 unique questions that expect existing scripts, in words of their own", () => {
    const all = rows();
    expect(all.length).toBeGreaterThanOrEqual(MINIMUM.colloquialRows);
    expect(repeated(all.map((row) => row.id))).toEqual([]);
    expect(repeated(all.map((row) => row.question.trim()))).toEqual([]);
    expect(all.filter((row) => row.expected.length === 0)).toEqual([]);
    expect(all.flatMap((row) => row.expected.filter((id) => !scriptIds.has(id)))).toEqual([]);
    expect(all.filter((row) => scriptWordings.has(row.question.trim()))).toEqual([]);
  });
});

describe("the CI suite", () => {
  it("scores the dev gold and the colloquial set", () => {
    const suite = JSON.parse(readFileSync("eval/suites/ci.json", "utf8")) as {
      runs: { task: string; name?: string; test: string; labelField: string }[];
    };
    const runs = suite.runs.map((run) => `${run.name ?? run.task} ${run.task} ${run.test} ${run.labelField}`);
    expect(runs).toEqual(
      expect.arrayContaining([
        `dev-department department ${DEV_GOLD} departments`,
        `dev-department-lead department ${DEV_GOLD} lead`,
        `dev-type type ${DEV_GOLD} type`,
        `dev-urgent urgent ${DEV_GOLD} urgent`,
        `dev-marketEntity marketEntity ${DEV_GOLD} marketEntity`,
        `dev-category category ${DEV_GOLD} category`,
        `retrieval-colloquial retrieval ${COLLOQUIAL} expected`,
      ]),
    );
  });
});
