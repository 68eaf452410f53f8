import { afterAll, beforeAll } from "vitest";
import type { AppDeps } from "#api/env";
import { syncKnowledge } from "#services/sync-knowledge";
import { createApp } from "../../src/app";
import { fixtureBundle } from "../fixtures/knowledge-bundle";
import { type DatabaseKind, openTestDatabase } from "./databases";
import { buildIntegrationDeps } from "./integration-deps";
import { client, createTestKeys } from "./keys";

/**
 * What most integration files start from: a fresh database of `kind` with the fixture knowledge
 * synced, one API key per role, the app and a JSON client for it. Drop the database in afterAll.
 */
export async function openFixtureApp(kind: DatabaseKind, overrides: Partial<AppDeps> = {}) {
  const database = await openTestDatabase(kind);
  const bundle = fixtureBundle();
  const deps = buildIntegrationDeps(database, bundle, overrides);
  await syncKnowledge({ deps, input: { bundle } });
  const keys = await createTestKeys(deps);
  const app = createApp(deps);
  return { database, deps, keys, app, call: client(app) };
}

export type FixtureApp = Awaited<ReturnType<typeof openFixtureApp>>;

/**
 * openFixtureApp() for a whole describe block: opened in beforeAll, dropped in afterAll. Read the
 * fields inside tests (they are set once beforeAll has run).
 */
export function useFixtureApp(kind: DatabaseKind, overrides: Partial<AppDeps> = {}): FixtureApp {
  const fixture = {} as FixtureApp;
  beforeAll(async () => {
    Object.assign(fixture, await openFixtureApp(kind, overrides));
  });
  afterAll(async () => {
    await fixture.database?.drop();
  });
  return fixture;
}
