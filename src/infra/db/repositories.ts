import type { Repositories, Transact } from "#domain/repositories";
import {
  createApiKeyRepository,
  createAuditRepository,
  createConsoleSessionRepository,
} from "./access-repository";
import { createAnalyticsRepository } from "./analytics-repository";
import { createCalendarRepository, createCrisisRepository } from "./calendar-repository";
import { createCaseRepository, createSuggestionRepository } from "./case-repository";
import type { Db } from "./client";
import { createGapRepository } from "./gap-repository";
import { createKnowledgeRepository } from "./knowledge-repository";
import { createModelRepository } from "./model-repository";
import { createReferenceRepository } from "./reference-repository";
import { createReportRepository } from "./report-repository";
import { createWorkOrderRepository } from "./work-order-repository";

export function createRepositories(db: Db): Repositories {
  return {
    knowledge: createKnowledgeRepository(db),
    audit: createAuditRepository(db),
    keys: createApiKeyRepository(db),
    sessions: createConsoleSessionRepository(db),
    cases: createCaseRepository(db),
    suggestions: createSuggestionRepository(db),
    calendarYears: createCalendarRepository(db),
    crisis: createCrisisRepository(db),
    analytics: createAnalyticsRepository(db),
    reports: createReportRepository(db),
    workOrders: createWorkOrderRepository(db),
    models: createModelRepository(db),
    gaps: createGapRepository(db),
    reference: createReferenceRepository(db),
  };
}

/** A transaction runner whose repositories share the transaction (nested calls use savepoints). */
export function createTransact(db: Db): Transact {
  return (work) => db.transaction((tx) => work(createRepositories(tx as unknown as Db)));
}
