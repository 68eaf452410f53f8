import { z } from "zod";
import { REQUEST_TYPES } from "./classifier/rules";
import { CALLER_TYPES, CHANNELS, InstantSchema, TextSchema } from "./values";

/*
 * Work orders as the centre's work-order platform (阳江 12345 / 粤省心) reports them: a stream of
 * events per order. Events are stored as they arrive; an order's state is always derived from all
 * of its events in event-time order, so late, out-of-order and replayed events lose nothing.
 */

/** Most events one request may carry; the backfill CLI sends batches of this size. */
export const MAX_EVENTS_PER_BATCH = 500;

/** 主办 = lead department, 协办 = assisting department (the platform's words). */
export const ORDER_DEPARTMENT_ROLES = ["主办", "协办"] as const;
export type OrderDepartmentRole = (typeof ORDER_DEPARTMENT_ROLES)[number];

/** The platform's satisfaction scale (回访). */
export const SATISFACTION_LEVELS = ["满意", "基本满意", "不满意"] as const;

export const WORK_ORDER_EVENT_KINDS = [
  "created",
  "dispatched",
  "returned",
  "reassigned",
  "closed",
  "rated",
] as const;
export type WorkOrderEventKind = (typeof WORK_ORDER_EVENT_KINDS)[number];

const DepartmentCode = TextSchema({ max: 20 });
const OrderDepartmentSchema = z.strictObject({
  code: DepartmentCode,
  role: z.enum(ORDER_DEPARTMENT_ROLES),
});

const base = {
  /** The platform's id of this event: a replay of the same id is recognised and changes nothing. */
  eventId: TextSchema({ max: 100 }),
  orderId: TextSchema({ max: 100 }),
};

/** One event as the platform sends it; `at` is when it happened on the platform. */
export const WorkOrderEventSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    ...base,
    kind: z.literal("created"),
    /** Defaults to receivedAt. */
    at: InstantSchema.optional(),
    receivedAt: InstantSchema,
    channel: z.enum(CHANNELS),
    text: TextSchema({ max: 5000 }),
    callerType: z.enum(CALLER_TYPES),
    district: TextSchema({ max: 20 }).optional(),
    /** The suggestion the agent's console got for this call (POST /v1/suggest), when there was one. */
    suggestionId: z.uuid().optional(),
  }),
  z.strictObject({
    ...base,
    kind: z.literal("dispatched"),
    at: InstantSchema,
    departments: z.array(OrderDepartmentSchema).min(1).max(10),
  }),
  z.strictObject({
    ...base,
    kind: z.literal("returned"),
    at: InstantSchema,
    department: DepartmentCode,
    reason: TextSchema({ max: 1000 }),
  }),
  z.strictObject({
    ...base,
    kind: z.literal("reassigned"),
    at: InstantSchema,
    from: DepartmentCode,
    to: DepartmentCode,
    reason: TextSchema({ max: 1000 }),
  }),
  z.strictObject({
    ...base,
    kind: z.literal("closed"),
    at: InstantSchema,
    /** The final category path, 1–3 levels of the taxonomy. */
    category: z
      .array(TextSchema({ max: 50 }))
      .min(1)
      .max(3),
    type: z.enum(REQUEST_TYPES),
    urgent: z.boolean(),
    marketEntity: z.boolean(),
    departments: z.array(OrderDepartmentSchema).min(1).max(10),
    /** 办理结果 as written by the department. */
    result: TextSchema({ max: 2000 }),
  }),
  z.strictObject({
    ...base,
    kind: z.literal("rated"),
    at: InstantSchema,
    satisfaction: z.enum(SATISFACTION_LEVELS),
  }),
]);
export type WorkOrderEvent = z.output<typeof WorkOrderEventSchema>;
export type WorkOrderEventInput = z.input<typeof WorkOrderEventSchema>;

/** An event as stored: its time resolved, its free texts already masked. */
export type StoredWorkOrderEvent = WorkOrderEvent & { at: string };

/** When the event happened (a `created` without `at` happened when the call was received). */
export function eventTime(event: WorkOrderEvent): string {
  return event.at ?? (event.kind === "created" ? event.receivedAt : "");
}

/** Department codes an event names (to check against the catalogue). */
export function departmentsNamed(event: WorkOrderEvent): string[] {
  switch (event.kind) {
    case "dispatched":
    case "closed":
      return event.departments.map((department) => department.code);
    case "returned":
      return [event.department];
    case "reassigned":
      return [event.from, event.to];
    default:
      return [];
  }
}

export type OrderStatus = "awaiting-created" | "open" | "dispatched" | "returned" | "closed";

export interface OrderDepartment {
  code: string;
  role: OrderDepartmentRole;
}

/** An order as derived from its events. */
export interface WorkOrderState {
  orderId: string;
  status: OrderStatus;
  created: {
    receivedAt: string;
    channel: string;
    text: string;
    callerType: string;
    district: string | null;
    suggestionId: string | null;
  } | null;
  /** Who holds the order now (after dispatches, 退单 and 改派), lead first. */
  departments: OrderDepartment[];
  returns: { department: string; reason: string; at: string }[];
  reassignments: { from: string; to: string; reason: string; at: string }[];
  closed: {
    category: string[];
    type: string;
    urgent: boolean;
    marketEntity: boolean;
    departments: OrderDepartment[];
    result: string;
    at: string;
  } | null;
  satisfaction: { level: string; at: string } | null;
  events: number;
  lastEventAt: string | null;
}

// Events at the same instant apply in lifecycle order, then by id, so the fold is deterministic.
const KIND_ORDER: Record<WorkOrderEventKind, number> = {
  created: 0,
  dispatched: 1,
  returned: 2,
  reassigned: 3,
  closed: 4,
  rated: 5,
};

function compareEvents(a: StoredWorkOrderEvent, b: StoredWorkOrderEvent): number {
  const time = Date.parse(a.at) - Date.parse(b.at);
  if (time !== 0) return time;
  const kind = KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  if (kind !== 0) return kind;
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

/** Lead first, each code once (a later role for the same code replaces the earlier one). */
function mergeDepartments(current: OrderDepartment[], added: readonly OrderDepartment[]): OrderDepartment[] {
  const byCode = new Map(current.map((department) => [department.code, department.role] as const));
  for (const department of added) byCode.set(department.code, department.role);
  return leadFirst([...byCode].map(([code, role]) => ({ code, role })));
}

function leadFirst(list: OrderDepartment[]): OrderDepartment[] {
  return [...list.filter((d) => d.role === "主办"), ...list.filter((d) => d.role === "协办")];
}

/**
 * An order's state from all its events, whatever order they arrived in: they are applied in event
 * time order (ties: lifecycle order, then event id). Events of an order whose `created` has not
 * arrived yet are kept and applied; the status says `awaiting-created` until it comes.
 *
 * @example
 * foldOrder("A1", [closedEvent, createdEvent]).status; // "closed"
 */
export function foldOrder(orderId: string, events: readonly StoredWorkOrderEvent[]): WorkOrderState {
  const state: WorkOrderState = {
    orderId,
    status: "awaiting-created",
    created: null,
    departments: [],
    returns: [],
    reassignments: [],
    closed: null,
    satisfaction: null,
    events: events.length,
    lastEventAt: null,
  };
  for (const event of [...events].sort(compareEvents)) {
    state.lastEventAt = event.at;
    switch (event.kind) {
      case "created":
        state.created = {
          receivedAt: event.receivedAt,
          channel: event.channel,
          text: event.text,
          callerType: event.callerType,
          district: event.district ?? null,
          suggestionId: event.suggestionId ?? null,
        };
        break;
      case "dispatched":
        state.departments = mergeDepartments(state.departments, event.departments);
        break;
      case "returned":
        state.returns.push({ department: event.department, reason: event.reason, at: event.at });
        state.departments = state.departments.filter((department) => department.code !== event.department);
        break;
      case "reassigned": {
        state.reassignments.push({ from: event.from, to: event.to, reason: event.reason, at: event.at });
        const role = state.departments.find((department) => department.code === event.from)?.role ?? "主办";
        state.departments = mergeDepartments(
          state.departments.filter((department) => department.code !== event.from),
          [{ code: event.to, role }],
        );
        break;
      }
      case "closed":
        state.closed = {
          category: event.category,
          type: event.type,
          urgent: event.urgent,
          marketEntity: event.marketEntity,
          departments: leadFirst(event.departments),
          result: event.result,
          at: event.at,
        };
        break;
      case "rated":
        state.satisfaction = { level: event.satisfaction, at: event.at };
        break;
    }
  }
  state.status = !state.created
    ? "awaiting-created"
    : state.closed
      ? "closed"
      : state.departments.length > 0
        ? "dispatched"
        : state.returns.length > 0 || state.reassignments.length > 0
          ? "returned"
          : "open";
  return state;
}

/** Where a label came from, strongest first: the closed order, the agent's feedback, a dispatch. */
export const LABEL_SOURCES = ["closed", "feedback", "dispatch"] as const;
export type LabelSource = (typeof LABEL_SOURCES)[number];

/** The fields an agent explicitly set or confirmed in the console (see FeedbackInputSchema.confirmed). */
export const FEEDBACK_FIELDS = ["category", "departments", "type"] as const;
export type FeedbackField = (typeof FEEDBACK_FIELDS)[number];

/** What the agent explicitly said about a suggestion (untouched preselections are not in it). */
export interface ExplicitFeedback {
  category?: string[];
  departments?: string[];
  type?: string;
}

export interface Labelled<T> {
  value: T;
  source: LabelSource;
}

export interface OrderLabels {
  category: Labelled<string[]> | null;
  type: Labelled<string> | null;
  urgent: Labelled<boolean> | null;
  marketEntity: Labelled<boolean> | null;
  /** Lead first. */
  departments: Labelled<string[]> | null;
  /**
   * Departments the order was returned by (退单) or reassigned away from (改派), unless the final
   * closure names them: evidence against them, so they are never a label of this case.
   */
  rejectedDepartments: string[];
}

/**
 * An order's training labels, each with its source. Precedence per field: the closed order's final
 * value, then the agent's explicit feedback, then the dispatch (for departments only). A department
 * that returned the order or was reassigned away from is removed from feedback and dispatch labels
 * (the closure, being final, may still name it). Urgency and the 2135 flag come only from the
 * closure: the model's own guess is never a label.
 *
 * @example
 * labelOrder(state, { departments: ["cgj"] }).departments; // { value: ["cgj"], source: "feedback" } unless cgj returned it
 */
export function labelOrder(state: WorkOrderState, feedback: ExplicitFeedback | null): OrderLabels {
  const closed = state.closed;
  const finalCodes = new Set(closed?.departments.map((department) => department.code) ?? []);
  const rejected = [
    ...new Set([
      ...state.returns.map((entry) => entry.department),
      ...state.reassignments.map((entry) => entry.from),
    ]),
  ].filter((code) => !finalCodes.has(code));
  const notRejected = (codes: readonly string[]) => codes.filter((code) => !rejected.includes(code));

  const feedbackDepartments = notRejected(feedback?.departments ?? []);
  const dispatchDepartments = notRejected(state.departments.map((department) => department.code));
  const departments: Labelled<string[]> | null = closed
    ? { value: closed.departments.map((department) => department.code), source: "closed" }
    : feedbackDepartments.length > 0
      ? { value: feedbackDepartments, source: "feedback" }
      : dispatchDepartments.length > 0
        ? { value: dispatchDepartments, source: "dispatch" }
        : null;
  return {
    category: closed
      ? { value: closed.category, source: "closed" }
      : feedback?.category
        ? { value: feedback.category, source: "feedback" }
        : null,
    type: closed
      ? { value: closed.type, source: "closed" }
      : feedback?.type
        ? { value: feedback.type, source: "feedback" }
        : null,
    urgent: closed ? { value: closed.urgent, source: "closed" } : null,
    marketEntity: closed ? { value: closed.marketEntity, source: "closed" } : null,
    departments,
    rejectedDepartments: rejected,
  };
}

/** The case's overall source: the strongest source among its labels (null: nothing to learn). */
export function caseSourceOf(labels: OrderLabels): LabelSource | null {
  const sources = [labels.category, labels.type, labels.urgent, labels.marketEntity, labels.departments]
    .flatMap((label) => (label ? [label.source] : []))
    .map((source) => LABEL_SOURCES.indexOf(source));
  return sources.length === 0 ? null : (LABEL_SOURCES[Math.min(...sources)] ?? null);
}

/**
 * The explicit part of a stored feedback record: only the fields the agent touched or confirmed.
 * Records with a `confirmed` list count only those fields; older records (no list) count the final
 * values they carry, since they were sent on purpose.
 *
 * @example
 * explicitFeedback({ finalCategory: ["a"], finalType: "投诉", confirmed: ["type"] }); // { type: "投诉" }
 */
export function explicitFeedback(record: unknown): ExplicitFeedback | null {
  if (!record || typeof record !== "object") return null;
  const stored = record as {
    finalCategory?: string[];
    finalDepartments?: string[];
    finalType?: string;
    confirmed?: string[];
  };
  const counts = (field: FeedbackField) => !stored.confirmed || stored.confirmed.includes(field);
  const explicit: ExplicitFeedback = {};
  if (stored.finalCategory && counts("category")) explicit.category = stored.finalCategory;
  if (stored.finalDepartments && counts("departments")) explicit.departments = stored.finalDepartments;
  if (stored.finalType && counts("type")) explicit.type = stored.finalType;
  return Object.keys(explicit).length > 0 ? explicit : null;
}

/** A stored order with the suggestion made for it (if it was linked and still exists). */
export interface OrderWithSuggestion {
  /** The derived order; for accuracy its free texts (created.text, closed.result) may be left out. */
  state: WorkOrderState;
  /** The ranked heads of the stored suggestion (category, type, departments, urgent, marketEntity), or null. */
  suggestion: unknown;
  /** The stored suggestion's feedback record, when loaded; null otherwise. */
  feedback: unknown;
}

export interface WorkOrderRepository {
  /**
   * Takes the order's lock for the rest of the transaction, so two events of one order never fold
   * without seeing each other.
   */
  lock(orderId: string): Promise<void>;
  /** Stores an event, or returns the payload already stored under its id. */
  insertEvent(event: {
    eventId: string;
    orderId: string;
    kind: WorkOrderEventKind;
    at: Date;
    payload: StoredWorkOrderEvent;
    actor: string;
  }): Promise<{ inserted: true } | { inserted: false; existing: unknown }>;
  events(orderId: string): Promise<StoredWorkOrderEvent[]>;
  save(state: WorkOrderState, at: Date): Promise<void>;
  get(orderId: string): Promise<WorkOrderState | null>;
  /** The order whose `created` named this suggestion, if any. */
  orderOfSuggestion(suggestionId: string): Promise<string | null>;
  /** Closed orders received in [from, to) that name a suggestion, with that suggestion. */
  closedWithSuggestions(from: Date, to: Date): Promise<OrderWithSuggestion[]>;
}
