import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import YAML, { type Document, isMap, isSeq, type YAMLSeq } from "yaml";
import { stableStringify } from "#domain/knowledge/hash";
import { type Script, ScriptSchema } from "#domain/knowledge/schema";

/** Where scripts created through the API are written when no file holds them yet. */
export const EDITOR_ADDED_FILE = "editor-added.yaml";

export interface WriteReport {
  filesChanged: string[];
  updated: number;
  added: number;
  removed: number;
}

/** A script in the key order editors read (README.md), with short lists in flow style. */
function scriptNode(document: Document, script: Script) {
  const node = document.createNode({
    id: script.id,
    title: script.title,
    question: script.question,
    variants: script.variants,
    answer: script.answer,
    basis: script.basis,
    departments: script.departments,
    category: script.category,
    region: script.region,
    audience: script.audience,
    tags: script.tags,
    validFrom: script.validFrom,
    validTo: script.validTo ?? null,
    owner: script.owner,
  });
  for (const pair of node.items) {
    const key = String((pair.key as { value?: unknown }).value ?? pair.key);
    if (isSeq(pair.value) && key !== "variants") pair.value.flow = true;
    if (key === "answer" && pair.value && typeof pair.value === "object" && "type" in pair.value) {
      (pair.value as { type: string }).type = "BLOCK_LITERAL";
    }
  }
  return node;
}

/** Same wording once both sides went through the schema (YAML numbers vs strings, trimming). */
function sameScript(entry: unknown, script: Script): boolean {
  const parsed = ScriptSchema.safeParse(entry);
  return parsed.success && stableStringify(parsed.data) === stableStringify(ScriptSchema.parse(script));
}

/**
 * Writes the live scripts back into knowledge/scripts/*.yaml, editing the YAML documents in place
 * so comments and formatting of untouched scripts survive: a changed script replaces its entry,
 * new ones go to editor-added.yaml, retired ones are removed. Unchanged files are not written.
 */
export function writeScripts(
  knowledgeDir: string,
  scripts: readonly Script[],
  retired: readonly string[],
): WriteReport {
  const dir = join(knowledgeDir, "scripts");
  const live = new Map(scripts.map((script) => [script.id, script]));
  const retiredIds = new Set(retired);
  const placed = new Set<string>();
  const report: WriteReport = { filesChanged: [], updated: 0, added: 0, removed: 0 };
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => name.endsWith(".yaml"))
        .sort()
    : [];

  for (const name of files) {
    const path = join(dir, name);
    const document = YAML.parseDocument(readFileSync(path, "utf8"));
    const list = document.contents;
    if (!isSeq(list)) continue;
    let changed = false;
    const next: unknown[] = [];
    for (const node of list.items) {
      const id = isMap(node) ? String(node.get("id")) : "";
      const script = live.get(id);
      if (retiredIds.has(id)) {
        report.removed += 1;
        changed = true;
      } else if (script && !sameScript((node as { toJSON(): unknown }).toJSON(), script)) {
        const replacement = scriptNode(document, script);
        // A comment above the first entry belongs to the file; keep it with whatever stands there.
        replacement.commentBefore = (node as { commentBefore?: string | null }).commentBefore ?? null;
        next.push(replacement);
        report.updated += 1;
        changed = true;
      } else {
        next.push(node);
      }
      if (script) placed.add(id);
    }
    if (changed) {
      (list as YAMLSeq<unknown>).items = next;
      writeFileSync(path, document.toString({ lineWidth: 0 }));
      report.filesChanged.push(name);
    }
  }

  const missing = scripts.filter((script) => !placed.has(script.id));
  if (missing.length > 0) {
    const path = join(dir, EDITOR_ADDED_FILE);
    const document = existsSync(path)
      ? YAML.parseDocument(readFileSync(path, "utf8"))
      : new YAML.Document([]);
    if (!isSeq(document.contents)) document.contents = document.createNode([]);
    const list = document.contents as YAMLSeq<unknown>;
    for (const script of missing) list.items.push(scriptNode(document, script));
    writeFileSync(path, document.toString({ lineWidth: 0 }));
    report.filesChanged.push(EDITOR_ADDED_FILE);
    report.added += missing.length;
  }
  return report;
}
