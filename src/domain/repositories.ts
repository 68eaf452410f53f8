import type { ApiKeyRepository, ConsoleSessionRepository } from "./access";
import type { ReportRepository } from "./analytics/report-repository";
import type { AnalyticsRepository } from "./analytics/repository";
import type { AuditRepository } from "./audit";
import type { CalendarRepository } from "./calendar";
import type { CaseRepository, SuggestionRepository } from "./cases";
import type { ModelRepository } from "./classifier/registry";
import type { CrisisRepository } from "./crisis";
import type { GapRepository } from "./knowledge/gaps";
import type { KnowledgeRepository } from "./knowledge/repository";
import type { ReferenceRepository } from "./reference";
import type { WorkOrderRepository } from "./work-orders";

/** Every repository, bound to one connection or one transaction. */
export interface Repositories {
  knowledge: KnowledgeRepository;
  audit: AuditRepository;
  keys: ApiKeyRepository;
  sessions: ConsoleSessionRepository;
  cases: CaseRepository;
  suggestions: SuggestionRepository;
  /** Entered 放假/调休 years (knowledge/calendar.yaml and the admin API). */
  calendarYears: CalendarRepository;
  /** The declared crisis (应急状态). */
  crisis: CrisisRepository;
  /** Requests as the centre's analytics read them, and hot topics. */
  analytics: AnalyticsRepository;
  /** What the daily report, the 专报 drafts and the boards read. */
  reports: ReportRepository;
  /** Work-order events from the platform and the orders derived from them. */
  workOrders: WorkOrderRepository;
  /** Trained classifiers and which one is promoted (shared by every replica). */
  models: ModelRepository;
  /** Questions no script answered confidently (the editors' 缺口 list). */
  gaps: GapRepository;
  /** Versions of the reference data (派单目录, 紧急项, rules, synonyms) every replica serves. */
  reference: ReferenceRepository;
}

/** Runs `work` in one database transaction: all its writes land together or not at all. */
export type Transact = <T>(work: (repositories: Repositories) => Promise<T>) => Promise<T>;
