import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { type Browser, chromium, type Page } from "playwright-core";
import type { AppDeps } from "#api/env";
import type { KnowledgeBundle } from "#domain/knowledge/schema";
import type { Clock } from "#domain/ports";
import { type DatabaseHandle, openDatabase } from "#infra/db/client";
import { createWorkerEmbedder } from "#infra/embedder/worker-embedder";
import { createFileEvalRunStore } from "#infra/eval-reports";
import { syncKnowledge } from "#services/sync-knowledge";
import { createApp } from "../../src/app";
import { fixtureBundle } from "../fixtures/knowledge-bundle";
import { buildIntegrationDeps } from "../helpers/integration-deps";
import { createTestKeys, type TestKeys } from "../helpers/keys";

/** Debian's Chromium; `npx playwright install` cannot download browsers here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Where screenshots go, for people to look at after a run (git-ignored). */
export const SCREENSHOT_DIR = join("test-results", "screenshots");
/** The centre's desktops. */
export const DESKTOP = { width: 1366, height: 768 } as const;

export interface ConsoleServer {
  url: string;
  deps: AppDeps;
  keys: TestKeys;
  database: DatabaseHandle;
  bundle: KnowledgeBundle;
  close(): Promise<void>;
}

/**
 * The whole app on a loopback port, as `npm start` builds it but smaller: embedded PGlite in
 * memory, the real embedding model and jieba, the test fixture's knowledge (synced and embedded),
 * one API key per role. Runs untrained (zero-shot + rules + scripts), as a fresh install does.
 * `evalReportsDir`: serve the evaluation runs in that folder (default: none).
 */
export async function startConsoleServer(
  options: { bundle?: KnowledgeBundle; clock?: Clock; evalReportsDir?: string } = {},
): Promise<ConsoleServer> {
  const bundle = options.bundle ?? fixtureBundle();
  const database = await openDatabase({ dataDir: "memory://" });
  await database.migrate();
  const embedder = createWorkerEmbedder({ modelRoot: "models", cacheSize: 1000 });
  await embedder.ready();
  const deps = buildIntegrationDeps(database, bundle, {
    embedder,
    clock: options.clock ?? { now: () => new Date() },
    ...(options.evalReportsDir ? { evalRuns: createFileEvalRunStore(options.evalReportsDir) } : {}),
  });
  await syncKnowledge({ deps, input: { bundle } });
  const keys = await createTestKeys(deps);
  const server = serve({ fetch: createApp(deps).fetch, hostname: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deps,
    keys,
    database,
    bundle,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await embedder.close();
      await database.close();
    },
  };
}

/** Headless Debian Chromium with the network chatter switched off (this machine is offline). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A fresh browser context (own cookies) at desktop size, logged in with `key`, on `path`. */
export async function openAs(
  browser: Browser,
  server: ConsoleServer,
  key: string,
  path: string,
): Promise<Page> {
  const context = await browser.newContext({
    viewport: DESKTOP,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    permissions: ["clipboard-read", "clipboard-write"],
  });
  const page = await context.newPage();
  await page.goto(`${server.url}/login?next=${encodeURIComponent(path)}`);
  await page.getByTestId("login-key").fill(key);
  await page.getByTestId("login-submit").click();
  await page.waitForURL(`${server.url}${path}`);
  return page;
}

/** Saves a full-page screenshot under test-results/screenshots/<name>.png; returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Records what the page logs as an error (script failures, CSP violations included). */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}
