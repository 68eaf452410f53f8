/** `npm run knowledge:export`: writes the database's live scripts back into knowledge/scripts/. */

import { loadConfig } from "#config/env";
import { writeScripts } from "#infra/knowledge-fs/write-scripts";
import { exportKnowledge } from "#services/export-knowledge";
import { openCliRuntime } from "./runtime";

const config = loadConfig(process.env);
const runtime = await openCliRuntime(config, "Stop the server first, then export.");
try {
  const { scripts, retired } = await exportKnowledge({ deps: runtime.deps });
  const report = writeScripts(config.KNOWLEDGE_DIR, scripts, retired);
  console.log(
    `exported ${scripts.length} live scripts: ${report.updated} updated, ${report.added} added, ${report.removed} removed` +
      (report.filesChanged.length > 0 ? ` in ${report.filesChanged.join(", ")}` : " (files already match)"),
  );
  if (report.filesChanged.length > 0)
    console.log("review the change with `git diff knowledge/` and commit it");
} finally {
  await runtime.close();
}
