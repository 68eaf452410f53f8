import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * Browser tests drive Debian's Chromium. On a machine without it, `npm test` installs it (and a
 * CJK font for readable screenshots) with the project's script, as it does for PostgreSQL.
 */
export default function setup() {
  if (process.env.CHROMIUM_PATH || existsSync("/usr/bin/chromium")) return;
  execFileSync("bash", ["scripts/browser-deps.sh"], { stdio: ["ignore", "inherit", "inherit"] });
}
