import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

export const ModelManifestSchema = z.object({
  id: z.string(),
  upstream: z.string(),
  licence: z.string(),
  dimensions: z.number().int().positive(),
  pooling: z.enum(["cls", "mean"]),
  normalize: z.boolean(),
  quantized: z.boolean(),
  queryInstruction: z.string().optional(),
  source: z.object({
    npmPackage: z.string(),
    version: z.string(),
    integrity: z.string(),
    pathInPackage: z.string(),
  }),
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
});
export type ModelManifest = z.infer<typeof ModelManifestSchema>;

export class ModelFilesError extends Error {
  override readonly name = "ModelFilesError";
}

/**
 * Reads `<modelRoot>/manifest.json` and checks every file of the model against its sha256, so a
 * missing or corrupt model stops the service at start-up with a clear message.
 *
 * @example
 * const manifest = verifyModelFiles("models"); // throws ModelFilesError naming the bad files
 */
export function verifyModelFiles(modelRoot: string): ModelManifest {
  const manifestPath = join(modelRoot, "manifest.json");
  if (!existsSync(manifestPath)) {
    throw new ModelFilesError(`no model manifest at ${manifestPath}; run \`npm run models:fetch\``);
  }
  const manifest = ModelManifestSchema.parse(JSON.parse(readFileSync(manifestPath, "utf8")));
  const problems: string[] = [];
  for (const [file, expected] of Object.entries(manifest.files)) {
    const path = join(modelRoot, manifest.id, file);
    if (!existsSync(path)) {
      problems.push(`${file} is missing`);
      continue;
    }
    const actual = createHash("sha256").update(readFileSync(path)).digest("hex");
    if (actual !== expected) problems.push(`${file} has sha256 ${actual}, expected ${expected}`);
  }
  if (problems.length > 0) {
    throw new ModelFilesError(
      `embedding model ${manifest.id} in ${join(modelRoot, manifest.id)} failed verification: ${problems.join("; ")}. ` +
        "Run `npm run models:fetch` to restore it.",
    );
  }
  return manifest;
}
