import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import type { WebAsset, WebAssets } from "#domain/ports";

/** The pages' entry scripts under src/web/client; every src/web/*.css is served as it is. */
const SCRIPT_ENTRIES = ["console", "editor", "eval"] as const;

const hashOf = (body: string) => createHash("sha256").update(body).digest("base64url").slice(0, 16);

/**
 * Bundles the consoles' TypeScript with esbuild on first use (about 50 ms) and keeps the result in
 * memory: there is no separate front-end build step to forget, and a deploy cannot serve stale code.
 */
export function createWebAssets(webRoot = resolve(import.meta.dirname, "../web")): WebAssets {
  let built: Promise<Map<string, WebAsset>> | undefined;

  const buildAll = async (): Promise<Map<string, WebAsset>> => {
    const assets = new Map<string, WebAsset>();
    const result = await build({
      entryPoints: SCRIPT_ENTRIES.map((name) => join(webRoot, "client", `${name}.ts`)),
      bundle: true,
      format: "esm",
      target: "es2022",
      platform: "browser",
      write: false,
      outdir: "out",
      sourcemap: false,
      legalComments: "none",
      logLevel: "silent",
    });
    for (const file of result.outputFiles) {
      const name = file.path.split(/[\\/]/).pop() ?? file.path;
      assets.set(name, {
        body: file.text,
        contentType: "text/javascript; charset=utf-8",
        hash: hashOf(file.text),
      });
    }
    for (const name of (await readdir(webRoot)).filter((file) => file.endsWith(".css"))) {
      const css = await readFile(join(webRoot, name), "utf8");
      assets.set(name, { body: css, contentType: "text/css; charset=utf-8", hash: hashOf(css) });
    }
    return assets;
  };

  return {
    async get(name) {
      built ??= buildAll().catch((error: unknown) => {
        built = undefined; // a failed build is retried on the next request
        throw error;
      });
      return (await built).get(name) ?? null;
    },
  };
}
