import pino from "pino";
import type { AppDeps } from "#api/env";
import type { ApiKeyRepository, ConsoleSessionRepository } from "#domain/access";
import type { ReportRepository } from "#domain/analytics/report-repository";
import type { AuditRepository } from "#domain/audit";
import type { CaseRepository, SuggestionRepository } from "#domain/cases";
import type { ClassifierArtifact, ClassifierStore } from "#domain/classifier/artifact";
import { inProcessEngineTrainer } from "#domain/classifier/engine";
import type { ModelRepository } from "#domain/classifier/registry";
import type { HandlingRules } from "#domain/deadlines";
import { EMPTY_LEXICON } from "#domain/knowledge/lexicon";
import type { KnowledgeRepository } from "#domain/knowledge/repository";
import type { KnowledgeBundle } from "#domain/knowledge/schema";
import type { ReadinessCheck } from "#domain/ports";
import type { ReferenceRepository } from "#domain/reference";
import { UNCALIBRATED } from "#domain/retrieval/confidence";
import { buildScriptVocabulary } from "#domain/retrieval/coverage";
import { DEFAULT_FUSION } from "#domain/retrieval/fusion";
import { NO_TELEMETRY } from "#domain/telemetry";
import { buildUrgencyIndex } from "#domain/urgency/detect";
import type { WorkOrderRepository } from "#domain/work-orders";
import { createProcessLocks } from "#infra/db/client";
import { createInProcessQueue } from "#infra/jobs/in-process-queue";
import { createWebAssets } from "#infra/web-assets";
import { createChineseHolidaySource } from "#infra/work-calendar";
import { createSuggestContext } from "#services/signals";
import { createApp } from "../../src/app";
import { fixtureBundle } from "../fixtures/knowledge-bundle";
import { NO_ANALYTICS, NO_GAPS } from "./analytics";
import { MemoryCalendarRepository, MemoryCrisisRepository } from "./calendar";
import { MemoryEvalRunStore } from "./eval-runs";
import { FakeEmbedder, FakeSegmenter, FixedClock } from "./fakes";

/** A repository for tests that must not touch storage: any call fails the test loudly. */
function unused<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get: (_, property) => () => {
      throw new Error(`this test did not expect ${name}.${String(property)}()`);
    },
  });
}

/** Artifacts kept in memory (the newest saved is current). */
export class MemoryClassifierStore implements ClassifierStore {
  artifacts: ClassifierArtifact[] = [];
  async save(artifact: ClassifierArtifact): Promise<string> {
    this.artifacts.push(artifact);
    return `memory:${artifact.version}`;
  }
  async current(): Promise<ClassifierArtifact | null> {
    return this.artifacts.at(-1) ?? null;
  }
}

export function fixtureWithRules(
  bundle: KnowledgeBundle = fixtureBundle(),
): KnowledgeBundle & { rules: HandlingRules } {
  if (!bundle.rules) throw new Error("fixture without rules");
  return { ...bundle, rules: bundle.rules };
}

/** Deps built from fakes; override any part (integration tests pass a real repository). */
export function buildTestDeps(overrides: Partial<AppDeps> = {}): AppDeps {
  const readiness: ReadinessCheck[] = [{ name: "fake", check: async () => ({ ok: true }) }];
  const embedder = new FakeEmbedder();
  return {
    embedder,
    segmenter: new FakeSegmenter(),
    clock: new FixedClock(new Date("2026-03-02T09:00:00+08:00")),
    locks: { withLock: createProcessLocks() },
    readiness,
    logger: pino({ level: "silent" }),
    knowledge: unused<KnowledgeRepository>("knowledge"),
    audit: unused<AuditRepository>("audit"),
    keys: unused<ApiKeyRepository>("keys"),
    sessions: unused<ConsoleSessionRepository>("sessions"),
    transact: () => Promise.reject(new Error("this test did not expect a transaction")),
    cases: unused<CaseRepository>("cases"),
    suggestions: unused<SuggestionRepository>("suggestions"),
    classifiers: new MemoryClassifierStore(),
    models: unused<ModelRepository>("models"),
    jobs: createInProcessQueue(),
    trainer: inProcessEngineTrainer,
    calendar: createChineseHolidaySource(),
    calendarYears: new MemoryCalendarRepository(),
    crisis: new MemoryCrisisRepository(),
    analytics: NO_ANALYTICS,
    reports: unused<ReportRepository>("reports"),
    gaps: NO_GAPS,
    workOrders: unused<WorkOrderRepository>("workOrders"),
    reference: unused<ReferenceRepository>("reference"),
    webAssets: createWebAssets(),
    evalRuns: new MemoryEvalRunStore(),
    telemetry: NO_TELEMETRY,
    lexicon: EMPTY_LEXICON,
    fusion: { k: DEFAULT_FUSION.k, weights: { ...DEFAULT_FUSION.weights } },
    retrievalConfidence: UNCALIBRATED,
    scriptVocabulary: buildScriptVocabulary([]),
    emergencyCues: buildUrgencyIndex([]),
    ...overrides,
    suggest: overrides.suggest ?? createSuggestContext(fixtureWithRules(), overrides.embedder ?? embedder),
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
