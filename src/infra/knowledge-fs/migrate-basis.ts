import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import YAML, { isMap, isScalar, isSeq, type YAMLMap } from "yaml";
import { parseLegacyBasis } from "#domain/knowledge/basis";

export interface BasisMigrationReport {
  filesChanged: string[];
  /** Scripts whose string basis became a mapping. */
  converted: number;
  /** Of those, how many had a legacy text at all (the rest were empty strings). */
  withText: number;
  /** Scripts already in the structured form (left untouched). */
  alreadyStructured: number;
}

/**
 * Rewrites every `basis: "…"` string in knowledge/scripts/*.yaml as the structured mapping
 * (issue #14), parsed conservatively by parseLegacyBasis: unknown parts are written empty, never
 * guessed. Mappings are left as they are, so running it again changes nothing; the YAML documents
 * are edited in place, so comments and the formatting of everything else survive.
 *
 * @example
 * migrateBasisFiles("knowledge"); // { filesChanged: ["gongjijin.yaml", …], converted: 393, … }
 */
export function migrateBasisFiles(knowledgeDir: string): BasisMigrationReport {
  const dir = join(knowledgeDir, "scripts");
  const report: BasisMigrationReport = { filesChanged: [], converted: 0, withText: 0, alreadyStructured: 0 };
  if (!existsSync(dir)) return report;
  for (const name of readdirSync(dir)
    .filter((file) => file.endsWith(".yaml") || file.endsWith(".yml"))
    .sort()) {
    const path = join(dir, name);
    const document = YAML.parseDocument(readFileSync(path, "utf8"));
    if (!isSeq(document.contents)) continue;
    let changed = false;
    for (const node of document.contents.items) {
      if (!isMap(node)) continue;
      const current: unknown = node.get("basis", true);
      if (isMap(current)) {
        report.alreadyStructured += 1;
        continue;
      }
      if (!isScalar(current)) continue;
      const text = current.value === null || current.value === undefined ? "" : String(current.value);
      const basis = parseLegacyBasis(text);
      (node as YAMLMap<unknown, unknown>).set("basis", document.createNode(basis));
      report.converted += 1;
      if (text.trim() !== "") report.withText += 1;
      changed = true;
    }
    if (changed) {
      writeFileSync(path, document.toString({ lineWidth: 0, flowCollectionPadding: false }));
      report.filesChanged.push(name);
    }
  }
  return report;
}
