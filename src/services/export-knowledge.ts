import { scriptContent } from "#domain/knowledge/passages";
import type { Script } from "#domain/knowledge/schema";
import type { ServiceDeps } from "./deps";

export interface KnowledgeExport {
  /** Live wording of every published script, in the knowledge/ file format. */
  scripts: Script[];
  /** Scripts that are retired (they should no longer be in the files). */
  retired: string[];
}

/**
 * The database's live knowledge in the file format, so edits made through the API can be written
 * back to knowledge/ and the two never silently diverge.
 *
 * @example
 * const { scripts } = await exportKnowledge({ deps });
 */
export async function exportKnowledge({
  deps,
}: {
  deps: Pick<ServiceDeps, "knowledge">;
}): Promise<KnowledgeExport> {
  const items = await deps.knowledge.listItems();
  const published = items.filter((item) => item.status === "published").map((item) => item.id);
  const versions = await deps.knowledge.publishedVersions(published);
  const scripts = versions
    .map((version) => ({ id: version.itemId, ...scriptContent(version) }))
    .sort((a, b) => a.id.localeCompare(b.id));
  return { scripts, retired: items.filter((item) => item.status === "retired").map((item) => item.id) };
}
