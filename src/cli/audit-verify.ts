/**
 * `npm run audit:verify`: recomputes the audit log's hash chain; exits 1 if anything was altered.
 * While a server holds the embedded database, it asks that server (its admin socket): reading the
 * PGlite files from a second process would miss pages the server has not written back yet.
 */

import { loadConfig } from "#config/env";
import { verifyAudit } from "#services/audit";
import { openCliRuntime, runningServer, viaServer } from "./runtime";

type Verdict = Awaited<ReturnType<typeof verifyAudit>>;

const config = loadConfig({ ...process.env, KNOWLEDGE_SYNC_ON_START: "false" });
async function verify(): Promise<Verdict> {
  if (runningServer(config)) return viaServer<Verdict>(config, { method: "GET", path: "/v1/audit/verify" });
  const runtime = await openCliRuntime(config, "Run it again once that process has finished.");
  try {
    return await verifyAudit({ deps: runtime.deps });
  } finally {
    await runtime.close();
  }
}

try {
  const result = await verify();
  if (result.ok) {
    console.log(`audit log intact: ${result.checked} entries verified`);
  } else {
    console.error(
      `audit log TAMPERED at entry #${result.brokenAt}: ${result.reason} (${result.checked} entries)`,
    );
    process.exitCode = 1;
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
