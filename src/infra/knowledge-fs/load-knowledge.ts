import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import YAML from "yaml";
import type { z } from "zod";
import { HandlingRulesSchema } from "#domain/deadlines";
import type { KnowledgeIssue } from "#domain/knowledge/check";
import { DutiesSchema } from "#domain/knowledge/duties";
import { MarketEntityDefinitionSchema } from "#domain/knowledge/market-entity";
import { type RequestTypes, RequestTypesSchema } from "#domain/knowledge/request-types";
import {
  DepartmentSchema,
  EmergencySchema,
  type KnowledgeBundle,
  ScriptSchema,
  SynonymSchema,
  TaxonomyLevel1Schema,
} from "#domain/knowledge/schema";
import { RetrievalConfidenceSchema } from "#domain/retrieval/confidence";

export interface LoadedKnowledge {
  bundle: KnowledgeBundle;
  /** Parse and schema problems, each naming its file and item. */
  issues: KnowledgeIssue[];
  /** Files read, relative to the knowledge folder. */
  files: string[];
}

function readYamlList(path: string, display: string, issues: KnowledgeIssue[]): unknown[] {
  if (!existsSync(path)) return [];
  const document = YAML.parseDocument(readFileSync(path, "utf8"), { uniqueKeys: true, prettyErrors: false });
  const [firstError] = document.errors;
  if (firstError) {
    // Later errors are mostly echoes of the first one.
    const line = firstError.linePos?.[0];
    const where = line ? ` (line ${line.line}, column ${line.col})` : "";
    issues.push({ file: display, message: `YAML: ${firstError.message.split("\n")[0]}${where}` });
    return [];
  }
  const value: unknown = document.toJS();
  if (value == null) return [];
  if (!Array.isArray(value)) {
    issues.push({ file: display, message: "expected a YAML list at the top level" });
    return [];
  }
  return value;
}

function parseItems<S extends z.ZodType>(
  schema: S,
  items: unknown[],
  display: string,
  issues: KnowledgeIssue[],
): z.infer<S>[] {
  const parsed: z.infer<S>[] = [];
  items.forEach((item, index) => {
    const result = schema.safeParse(item);
    if (result.success) {
      parsed.push(result.data);
      return;
    }
    const id = item && typeof item === "object" && "id" in item ? String(item.id) : `item ${index + 1}`;
    for (const issue of result.error.issues) {
      issues.push({ file: display, message: `${id}: ${issue.path.join(".") || "(item)"}: ${issue.message}` });
    }
  });
  return parsed;
}

function readLines(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith("#"));
}

/**
 * Reads and validates every file under knowledge/. Invalid items are reported, not thrown, so
 * `knowledge:check` can list every problem at once.
 *
 * @example
 * const { bundle, issues } = loadKnowledge("knowledge");
 */
export function loadKnowledge(dir: string): LoadedKnowledge {
  const issues: KnowledgeIssue[] = [];
  const files: string[] = [];
  const list = (name: string) => {
    const path = join(dir, name);
    if (existsSync(path)) files.push(name);
    return readYamlList(path, name, issues);
  };

  const departments = parseItems(DepartmentSchema, list("departments.yaml"), "departments.yaml", issues);
  const taxonomy = parseItems(TaxonomyLevel1Schema, list("taxonomy.yaml"), "taxonomy.yaml", issues);
  const emergencies = parseItems(EmergencySchema, list("emergencies.yaml"), "emergencies.yaml", issues);
  const synonyms = parseItems(SynonymSchema, list("synonyms.yaml"), "synonyms.yaml", issues);

  const scripts: KnowledgeBundle["scripts"] = [];
  const scriptsDir = join(dir, "scripts");
  if (existsSync(scriptsDir)) {
    for (const name of readdirSync(scriptsDir).sort()) {
      if (!name.endsWith(".yaml") && !name.endsWith(".yml")) continue;
      const display = relative(dir, join(scriptsDir, name));
      files.push(display);
      scripts.push(
        ...parseItems(ScriptSchema, readYamlList(join(scriptsDir, name), display, issues), display, issues),
      );
    }
  }

  let rules: KnowledgeBundle["rules"] = null;
  const rulesPath = join(dir, "rules.yaml");
  if (existsSync(rulesPath)) {
    files.push("rules.yaml");
    const document = YAML.parseDocument(readFileSync(rulesPath, "utf8"), {
      uniqueKeys: true,
      prettyErrors: false,
    });
    const parsed = HandlingRulesSchema.safeParse(document.toJS());
    if (document.errors.length > 0)
      issues.push({ file: "rules.yaml", message: `YAML: ${document.errors[0]?.message}` });
    else if (!parsed.success) {
      for (const issue of parsed.error.issues)
        issues.push({ file: "rules.yaml", message: `${issue.path.join(".")}: ${issue.message}` });
    } else rules = parsed.data;
  } else {
    issues.push({ file: "rules.yaml", message: "missing: handling-time rules are required" });
  }

  const requestTypes = readRequestTypes(dir, files, issues);
  const retrievalConfidence = readMapping(
    dir,
    "retrieval-confidence.yaml",
    RetrievalConfidenceSchema,
    files,
    issues,
  );
  const duties = readMapping(dir, "duties.yaml", DutiesSchema, files, issues);
  const marketEntity = readMapping(dir, "market-entity.yaml", MarketEntityDefinitionSchema, files, issues);

  const userDictionary = readLines(join(dir, "dict", "user.dict.utf8"));
  const stopWords = readLines(join(dir, "dict", "stopwords.txt"));
  for (const name of ["dict/user.dict.utf8", "dict/stopwords.txt"]) {
    if (existsSync(join(dir, name))) files.push(name);
  }
  return {
    bundle: {
      rules,
      departments,
      taxonomy,
      scripts,
      emergencies,
      synonyms,
      userDictionary,
      stopWords,
      requestTypes,
      retrievalConfidence,
      duties,
      marketEntity,
    },
    issues,
    files,
  };
}

/** types.yaml (a mapping, not a list): the request types by definition; null when missing or invalid. */
function readRequestTypes(dir: string, files: string[], issues: KnowledgeIssue[]): RequestTypes | null {
  const path = join(dir, "types.yaml");
  if (!existsSync(path)) return null;
  files.push("types.yaml");
  const document = YAML.parseDocument(readFileSync(path, "utf8"), { uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    issues.push({ file: "types.yaml", message: `YAML: ${document.errors[0]?.message.split("\n")[0]}` });
    return null;
  }
  const parsed = RequestTypesSchema.safeParse(document.toJS());
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      issues.push({ file: "types.yaml", message: `${issue.path.join(".") || "(file)"}: ${issue.message}` });
    return null;
  }
  return parsed.data;
}

/** A YAML mapping file checked by its schema; null when missing or invalid (issues say why). */
function readMapping<S extends z.ZodType>(
  dir: string,
  name: string,
  schema: S,
  files: string[],
  issues: KnowledgeIssue[],
): z.infer<S> | null {
  const path = join(dir, name);
  if (!existsSync(path)) return null;
  files.push(name);
  const document = YAML.parseDocument(readFileSync(path, "utf8"), { uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    issues.push({ file: name, message: `YAML: ${document.errors[0]?.message.split("\n")[0]}` });
    return null;
  }
  const parsed = schema.safeParse(document.toJS());
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      issues.push({ file: name, message: `${issue.path.join(".") || "(file)"}: ${issue.message}` });
    return null;
  }
  return parsed.data;
}

/** Department codes of the customer's dispatch catalogue (departments.tsv: code, name, duties). */
export function readCatalogueCodes(tsvPath: string): Set<string> {
  const lines = readFileSync(tsvPath, "utf8").split(/\r?\n/).slice(1);
  return new Set(lines.map((line) => line.split("\t")[0]?.trim() ?? "").filter(Boolean));
}
