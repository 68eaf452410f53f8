import { cpSync, lstatSync, mkdtempSync, readdirSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A writable copy of a model root (manifest.json and <id>/) in a fresh temporary folder, for tests
 * that corrupt a model file. models/<id> is often a symlink to a folder shared by several worktrees,
 * and fs.cpSync keeps nested symlinks even with `dereference: true` (Node 24), so a plain copy would
 * let the test overwrite the shared model: every entry is copied from its real path instead.
 */
export function copyModelRoot(modelRoot: string): string {
  const copy = mkdtempSync(join(tmpdir(), "model-copy-"));
  for (const entry of readdirSync(modelRoot)) {
    cpSync(realpathSync(join(modelRoot, entry)), join(copy, entry), { recursive: true });
    if (lstatSync(join(copy, entry)).isSymbolicLink()) {
      throw new Error(`copying ${entry} of ${modelRoot} left a symlink`);
    }
  }
  return copy;
}
