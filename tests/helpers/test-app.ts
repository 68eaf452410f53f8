import pino from "pino";
import type { AppDeps } from "#api/env";
import type { ReadinessCheck } from "#domain/ports";
import { createApp } from "../../src/app";
import { FakeEmbedder, FakeSegmenter, FixedClock } from "./fakes";

/** Deps built from fakes; override any part. */
export function buildTestDeps(overrides: Partial<AppDeps> = {}): AppDeps {
  const readiness: ReadinessCheck[] = [{ name: "fake", check: async () => ({ ok: true }) }];
  return {
    embedder: new FakeEmbedder(),
    segmenter: new FakeSegmenter(),
    clock: new FixedClock(new Date("2026-03-02T09:00:00+08:00")),
    readiness,
    logger: pino({ level: "silent" }),
    ...overrides,
  };
}

export function buildTestApp(overrides: Partial<AppDeps> = {}) {
  return createApp(buildTestDeps(overrides));
}

/** Asserts the one error shape and returns it, with the body in the failure message. */
export async function expectErrorShape(response: Response, status: number, code: string) {
  const text = await response.text();
  if (response.status !== status) throw new Error(`expected ${status}, received ${response.status}: ${text}`);
  const body = JSON.parse(text) as { error: { code: string; message: string; requestId: string } };
  if (body.error?.code !== code || typeof body.error.message !== "string" || !body.error.requestId) {
    throw new Error(`expected error shape with code ${code}, received ${text}`);
  }
  return body.error;
}
