/** `npm run audit:verify`: recomputes the audit log's hash chain; exits 1 if anything was altered. */

import pino from "pino";
import { loadConfig } from "#config/env";
import { verifyAudit } from "#services/audit";
import { buildRuntime } from "../bootstrap";

const runtime = await buildRuntime(loadConfig(process.env), { logger: pino({ level: "warn" }) });
try {
  const result = await verifyAudit({ deps: runtime.deps });
  if (result.ok) {
    console.log(`audit log intact: ${result.checked} entries verified`);
  } else {
    console.error(
      `audit log TAMPERED at entry #${result.brokenAt}: ${result.reason} (${result.checked} entries)`,
    );
    process.exitCode = 1;
  }
} finally {
  await runtime.close();
}
