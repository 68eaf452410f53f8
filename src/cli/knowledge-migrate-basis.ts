/**
 * `npm run knowledge:migrate-basis`: turns every legacy string `basis` in knowledge/scripts/ into
 * the structured form (document, number, clause, issuer, url, checkedAt). Idempotent: structured
 * entries are left alone, so it can be re-run after new scripts with string bases are merged.
 */
import { loadConfig } from "#config/env";
import { migrateBasisFiles } from "#infra/knowledge-fs/migrate-basis";

const config = loadConfig(process.env);
const report = migrateBasisFiles(config.KNOWLEDGE_DIR);
console.log(
  `basis: ${report.converted} converted (${report.withText} with a legacy text, parsed conservatively), ${report.alreadyStructured} already structured` +
    (report.filesChanged.length > 0 ? ` — files: ${report.filesChanged.join(", ")}` : " — nothing to change"),
);
if (report.filesChanged.length > 0)
  console.log("review with `git diff knowledge/scripts` and run npm run knowledge:check");
