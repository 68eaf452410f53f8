import type { ApiKeyRepository, ConsoleSessionRepository } from "#domain/access";
import type { ReportRepository } from "#domain/analytics/report-repository";
import type { AnalyticsRepository } from "#domain/analytics/repository";
import type { AuditRepository } from "#domain/audit";
import type { CalendarRepository, HolidaySource } from "#domain/calendar";
import type { CaseRepository, SuggestionRepository } from "#domain/cases";
import type { ClassifierStore } from "#domain/classifier/artifact";
import type { EngineTrainer } from "#domain/classifier/engine";
import type { ModelRepository } from "#domain/classifier/registry";
import type { CrisisRepository } from "#domain/crisis";
import type { EvalRunStore } from "#domain/evaluation";
import type { JobQueue } from "#domain/jobs";
import type { GapRepository } from "#domain/knowledge/gaps";
import type { Lexicon } from "#domain/knowledge/lexicon";
import type { KnowledgeRepository } from "#domain/knowledge/repository";
import type { AlertSettings } from "#domain/outcomes";
import type { Clock, Embedder, Locks, ReadinessCheck, Segmenter } from "#domain/ports";
import type { ReferenceRepository } from "#domain/reference";
import type { Transact } from "#domain/repositories";
import type { RetrievalConfidence } from "#domain/retrieval/confidence";
import type { ScriptVocabulary } from "#domain/retrieval/coverage";
import type { FusionConfig } from "#domain/retrieval/fusion";
import type { Telemetry } from "#domain/telemetry";
import type { UrgencyIndex } from "#domain/urgency/detect";
import type { WorkOrderRepository } from "#domain/work-orders";
import type { LiveReference } from "./reference";
import type { SuggestContext } from "./signals";

/** Everything a service verb may use, as domain ports. Built by bootstrap.ts, faked in tests. */
export interface ServiceDeps {
  readonly embedder: Embedder;
  readonly segmenter: Segmenter;
  readonly clock: Clock;
  /** Named mutual exclusion across replicas (the hot-topic update). */
  readonly locks: Locks;
  readonly readiness: readonly ReadinessCheck[];
  readonly knowledge: KnowledgeRepository;
  readonly audit: AuditRepository;
  readonly keys: ApiKeyRepository;
  readonly sessions: ConsoleSessionRepository;
  readonly transact: Transact;
  readonly cases: CaseRepository;
  readonly suggestions: SuggestionRepository;
  readonly classifiers: ClassifierStore;
  /** Stored models with their status (candidate, promoted, refused, retired). */
  readonly models: ModelRepository;
  readonly trainer: EngineTrainer;
  /** The shipped holiday schedules (chinese-days); entered years in `calendarYears` are layered over it. */
  readonly calendar: HolidaySource;
  readonly calendarYears: CalendarRepository;
  readonly crisis: CrisisRepository;
  readonly analytics: AnalyticsRepository;
  /** What the daily report, the 专报 drafts and the boards read (#18). */
  readonly reports: ReportRepository;
  /** Questions no script answered confidently (the editors' 缺口 list). */
  readonly gaps: GapRepository;
  /** The reference data in force (one snapshot per request when `liveReference` is set). */
  readonly suggest: SuggestContext;
  readonly telemetry: Telemetry;
  readonly lexicon: Lexicon;
  readonly fusion: FusionConfig;
  /** "On topic" calibration of the search (knowledge/retrieval-confidence.yaml). */
  readonly retrievalConfidence: RetrievalConfidence;
  /** The scripts' words (knowledge files at start-up): the search's word coverage reads them. */
  readonly scriptVocabulary: ScriptVocabulary;
  /** The emergency list's cues, compiled without embeddings (the search's "calm" feature). */
  readonly emergencyCues: UrgencyIndex;
  /** Background jobs (pg-boss on PostgreSQL, in-process on the embedded database). */
  readonly jobs: JobQueue;
  /** Evaluation runs written by `npm run eval` (the /eval pages). */
  readonly evalRuns: EvalRunStore;
  /** Work orders from the platform (outcomes, #15). */
  readonly workOrders: WorkOrderRepository;
  /** When a head's weekly top-1 drop raises an alert; absent = DEFAULT_ALERT_SETTINGS. */
  readonly accuracyAlerts?: AlertSettings;
  /** Versions of the reference data (派单目录, 紧急项, 市场主体 rules, synonyms) in the database. */
  readonly reference: ReferenceRepository;
  /**
   * The reference versions this replica serves, swapped when a new one comes into force; absent
   * (tests, CLIs): `suggest` and `lexicon` are fixed.
   */
  readonly liveReference?: LiveReference;
}
