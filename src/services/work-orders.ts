import { z } from "zod";
import type { Principal } from "#domain/access";
import { isTaxonomyPath, type StoredCase } from "#domain/cases";
import { NotFoundError } from "#domain/errors";
import { contentHash, stableStringify } from "#domain/knowledge/hash";
import type { Repositories } from "#domain/repositories";
import { maskPersonalData } from "#domain/text/pii";
import {
  caseSourceOf,
  departmentsNamed,
  eventTime,
  explicitFeedback,
  foldOrder,
  labelOrder,
  MAX_EVENTS_PER_BATCH,
  type OrderLabels,
  type OrderStatus,
  type StoredWorkOrderEvent,
  type WorkOrderEvent,
  WorkOrderEventSchema,
  type WorkOrderState,
} from "#domain/work-orders";
import { recordRequestSignal } from "./analytics";
import type { ServiceDeps } from "./deps";

export { MAX_EVENTS_PER_BATCH };

type WorkOrderDeps = Pick<
  ServiceDeps,
  "workOrders" | "suggestions" | "cases" | "embedder" | "transact" | "clock" | "suggest"
>;
/** The intake also feeds the analytics. */
type IntakeDeps = WorkOrderDeps & Pick<ServiceDeps, "analytics" | "segmenter" | "lexicon">;

/** Event ids named in one batch's audit entry (the events table holds them all). */
const AUDITED_EVENT_IDS = 100;

export const WorkOrderBatchSchema = z.object({
  events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_BATCH),
});

/** What became of one event of a batch. */
export interface EventOutcome {
  /** Position in the batch (from 0). */
  index: number;
  eventId: string | null;
  orderId: string | null;
  /** stored: applied; duplicate: this id was already stored with the same content (nothing changed); rejected: not stored. */
  status: "stored" | "duplicate" | "rejected";
  /** The order's status after the event (stored and duplicate). */
  orderStatus?: OrderStatus;
  error?: { code: "BAD_REQUEST" | "UNPROCESSABLE" | "CONFLICT"; message: string };
}

export interface BatchReport {
  stored: number;
  duplicates: number;
  rejected: number;
  results: EventOutcome[];
}

/** The case id of a work order's labelled case. */
export const orderCaseId = (orderId: string) => `order-${orderId}`;

class EventRejected extends Error {
  constructor(
    readonly code: NonNullable<EventOutcome["error"]>["code"],
    message: string,
  ) {
    super(message);
  }
}

/** Free texts masked (review #2), and `at` resolved: the event as it is stored. */
function storedForm(event: WorkOrderEvent): StoredWorkOrderEvent {
  const at = new Date(eventTime(event)).toISOString();
  switch (event.kind) {
    case "created":
      return {
        ...event,
        at,
        receivedAt: new Date(event.receivedAt).toISOString(),
        text: maskPersonalData(event.text),
        ...(event.district === undefined ? {} : { district: maskPersonalData(event.district) }),
      };
    case "returned":
    case "reassigned":
      return { ...event, at, reason: maskPersonalData(event.reason) };
    case "closed":
      return { ...event, at, result: maskPersonalData(event.result) };
    default:
      return { ...event, at };
  }
}

function checkCatalogue(deps: Pick<WorkOrderDeps, "suggest">, event: WorkOrderEvent): void {
  for (const code of departmentsNamed(event)) {
    if (!deps.suggest.departmentNames.has(code))
      throw new EventRejected("UNPROCESSABLE", `unknown department code ${code}`);
  }
  if (event.kind === "closed" && !isTaxonomyPath(deps.suggest.categoryPaths, event.category))
    throw new EventRejected("UNPROCESSABLE", `category ${event.category.join("/")} is not in the taxonomy`);
  if (event.kind === "reassigned" && event.from === event.to)
    throw new EventRejected("UNPROCESSABLE", "a reassignment must name two different departments");
}

/** The labelled case an order makes (null while there is nothing to learn). */
function orderCase(state: WorkOrderState, labels: OrderLabels): (StoredCase & { text: string }) | null {
  const source = caseSourceOf(labels);
  if (!state.created || !source) return null;
  const labelSources = Object.fromEntries(
    (["category", "type", "urgent", "marketEntity", "departments"] as const).flatMap((field) => {
      const label = labels[field];
      return label ? [[field, label.source]] : [];
    }),
  );
  const content = {
    text: state.created.text,
    category: labels.category?.value ?? [],
    departments: labels.departments?.value ?? [],
    type: labels.type?.value ?? null,
    urgent: labels.urgent?.value ?? null,
    marketEntity: labels.marketEntity?.value ?? null,
    receivedAt: state.created.receivedAt,
  };
  return {
    id: orderCaseId(state.orderId),
    ...content,
    source,
    contentHash: contentHash({ ...content, labelSources, rejected: labels.rejectedDepartments }),
    orderId: state.orderId,
    labelSources,
    rejectedDepartments: labels.rejectedDepartments,
  };
}

/** The order's state, labels and case from its stored events plus (optionally) one more. */
async function derive(
  repositories: Pick<Repositories, "workOrders" | "suggestions">,
  orderId: string,
  extra: StoredWorkOrderEvent | null,
) {
  const events = await repositories.workOrders.events(orderId);
  const all = extra && !events.some((event) => event.eventId === extra.eventId) ? [...events, extra] : events;
  const state = foldOrder(orderId, all);
  const suggestionId = state.created?.suggestionId;
  const suggestion = suggestionId ? await repositories.suggestions.get(suggestionId) : null;
  const labels = labelOrder(state, explicitFeedback(suggestion?.feedback));
  return { state, labels, events: all, feedback: suggestion?.feedback ?? null };
}

/** Embedding is slow: it is done before the transaction, from what the order will look like. */
async function prepareOrderCase(
  deps: WorkOrderDeps,
  orderId: string,
  extra: StoredWorkOrderEvent | null,
): Promise<{ text: string; embedding: Float32Array } | null> {
  const preview = await derive(deps, orderId, extra);
  const labelled = orderCase(preview.state, preview.labels);
  if (!labelled) return null;
  // An event that changes no label (a rating, a replay) needs no new embedding.
  const existing = await deps.cases.existingHashes([labelled.id]);
  if (existing.get(labelled.id) === labelled.contentHash) return null;
  const [embedding] = await deps.embedder.embed([labelled.text]);
  return embedding ? { text: labelled.text, embedding } : null;
}

/**
 * Re-derives the order from its stored events and writes it with its labelled case, inside the
 * caller's transaction (the order's lock is taken first).
 */
async function writeOrder(
  deps: WorkOrderDeps,
  repositories: Repositories,
  orderId: string,
  prepared: { text: string; embedding: Float32Array } | null,
): Promise<WorkOrderState> {
  await repositories.workOrders.lock(orderId);
  const { state, labels } = await derive(repositories, orderId, null);
  await repositories.workOrders.save(state, deps.clock.now());
  const labelled = orderCase(state, labels);
  const existing = labelled
    ? await repositories.cases.existingHashes([labelled.id])
    : new Map<string, string>();
  // Rewriting an unchanged case would only churn the vector index.
  if (labelled && existing.get(labelled.id) !== labelled.contentHash) {
    const embedding =
      prepared?.text === labelled.text ? prepared.embedding : (await deps.embedder.embed([labelled.text]))[0];
    if (!embedding) throw new Error(`no embedding for ${labelled.id}`);
    await repositories.cases.upsert([{ ...labelled, embedding, embeddingModel: deps.embedder.modelId }]);
  }
  // The order's case carries the agent's feedback labels too: one case per call, not two.
  if (labelled && state.created?.suggestionId)
    await repositories.cases.remove([`feedback-${state.created.suggestionId}`]);
  return state;
}

/**
 * Feedback given after the platform reported the suggestion's order: the order's case is relabelled
 * (with the new feedback, below any closure) inside the feedback's own transaction. The returned
 * `write` does it with the transaction's repositories; null when no order names the suggestion.
 *
 * @example
 * const relabel = await prepareOrderRelabel({ deps, input: { suggestionId } });
 * await deps.transact(async (repositories) => { …; await relabel?.write(repositories); });
 */
export async function prepareOrderRelabel({
  deps,
  input,
}: {
  deps: WorkOrderDeps;
  input: { suggestionId: string };
}): Promise<{ caseId: string; write(repositories: Repositories): Promise<void> } | null> {
  const orderId = await deps.workOrders.orderOfSuggestion(input.suggestionId);
  if (!orderId) return null;
  const prepared = await prepareOrderCase(deps, orderId, null);
  return {
    caseId: orderCaseId(orderId),
    write: async (repositories) => {
      await writeOrder(deps, repositories, orderId, prepared);
    },
  };
}

async function applyEvent(
  deps: WorkOrderDeps,
  event: WorkOrderEvent,
  actor: Pick<Principal, "name">,
): Promise<{ status: "stored" | "duplicate"; orderStatus: OrderStatus }> {
  const stored = storedForm(event);
  const prepared = await prepareOrderCase(deps, event.orderId, stored);

  return deps.transact(async (repositories) => {
    await repositories.workOrders.lock(event.orderId);
    const insert = await repositories.workOrders.insertEvent({
      eventId: stored.eventId,
      orderId: stored.orderId,
      kind: stored.kind,
      at: new Date(stored.at),
      payload: stored,
      actor: actor.name,
    });
    if (!insert.inserted) {
      if (stableStringify(insert.existing) !== stableStringify(stored))
        throw new EventRejected(
          "CONFLICT",
          `event ${stored.eventId} was already stored with different content; an event id names one event`,
        );
      const current = await repositories.workOrders.get(event.orderId);
      return { status: "duplicate", orderStatus: current?.status ?? "awaiting-created" };
    }
    const state = await writeOrder(deps, repositories, event.orderId, prepared);
    return { status: "stored", orderStatus: state.status };
  });
}

/**
 * Takes a batch of work-order events from the platform. Each event is validated (shape, department
 * codes and category path against the catalogue), masked and stored in a transaction of its own,
 * together with the order's state re-derived from all of its events in event-time order and the
 * order's labelled case. Replays (same event id, same content) change nothing; events that arrive
 * before their order's `created`, or out of order, are stored and folded in when the rest comes.
 * A bad event is listed with its reason and nothing of it is stored; the others still apply.
 *
 * @example
 * const report = await ingestWorkOrderEvents({ deps, input: { events }, actor: principal });
 * report.results.filter((result) => result.status === "rejected");
 */
export async function ingestWorkOrderEvents({
  deps,
  input,
  actor,
}: {
  deps: IntakeDeps;
  input: { events: readonly unknown[] };
  actor: Pick<Principal, "name">;
}): Promise<BatchReport> {
  const { events } = WorkOrderBatchSchema.parse(input);
  const results: EventOutcome[] = [];
  const storedEvents: WorkOrderEvent[] = [];
  for (const [index, raw] of events.entries()) {
    const ids = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
    const named = {
      index,
      eventId: typeof ids.eventId === "string" ? ids.eventId : null,
      orderId: typeof ids.orderId === "string" ? ids.orderId : null,
    };
    const parsed = WorkOrderEventSchema.safeParse(raw);
    if (!parsed.success) {
      const message = parsed.error.issues
        .map((issue) => `${issue.path.join(".") || "(event)"}: ${issue.message}`)
        .join("; ");
      results.push({ ...named, status: "rejected", error: { code: "BAD_REQUEST", message } });
      continue;
    }
    try {
      checkCatalogue(deps, parsed.data);
      const applied = await applyEvent(deps, parsed.data, actor);
      if (applied.status === "stored") storedEvents.push(parsed.data);
      results.push({ ...named, status: applied.status, orderStatus: applied.orderStatus });
    } catch (error) {
      if (!(error instanceof EventRejected)) throw error;
      results.push({ ...named, status: "rejected", error: { code: error.code, message: error.message } });
    }
  }
  await feedAnalytics(deps, storedEvents);
  const report = {
    stored: results.filter((result) => result.status === "stored").length,
    duplicates: results.filter((result) => result.status === "duplicate").length,
    rejected: results.filter((result) => result.status === "rejected").length,
    results,
  };
  // One entry per batch, not per event: a backfill of a year is millions of events, and the
  // events table already keeps each one with its sender. No texts: the audit log is never erased.
  if (report.stored > 0) {
    const stored = results.filter((result) => result.status === "stored");
    await deps.transact((repositories) =>
      repositories.audit.append(
        {
          actor: actor.name,
          action: "work-orders.events",
          entityType: "work-orders",
          entityId: stored[0]?.orderId ?? "",
          after: {
            stored: report.stored,
            duplicates: report.duplicates,
            rejected: report.rejected,
            eventIds: stored.slice(0, AUDITED_EVENT_IDS).map((result) => result.eventId),
          },
        },
        deps.clock.now(),
      ),
    );
  }
  return report;
}

/**
 * Orders are requests for the analytics (hot topics, spikes, 并单) like the suggestions are: a
 * `created` without a suggestion becomes a request of its own (`order:<id>`, its masked text
 * embedded here, in one call per batch); one made from a suggestion is that suggestion's request
 * already. A closed order's request stops being offered as a possible duplicate.
 */
async function feedAnalytics(deps: IntakeDeps, stored: readonly WorkOrderEvent[]): Promise<void> {
  const touched = [
    ...new Set(
      stored.filter((event) => event.kind === "created" || event.kind === "closed").map((e) => e.orderId),
    ),
  ];
  if (touched.length === 0) return;
  const createdHere = new Set(stored.filter((event) => event.kind === "created").map((e) => e.orderId));
  const orders = (await Promise.all(touched.map((orderId) => deps.workOrders.get(orderId)))).filter(
    (order): order is WorkOrderState & { created: NonNullable<WorkOrderState["created"]> } =>
      order?.created != null,
  );
  const fresh = orders.filter((order) => createdHere.has(order.orderId) && !order.created.suggestionId);
  const vectors = fresh.length > 0 ? await deps.embedder.embed(fresh.map((order) => order.created.text)) : [];
  for (const [index, order] of fresh.entries()) {
    const embedding = vectors[index];
    if (!embedding) continue;
    await recordRequestSignal({
      deps,
      input: {
        source: "order",
        sourceId: order.orderId,
        at: new Date(order.created.receivedAt),
        text: order.created.text,
        district: order.created.district,
        embedding,
        category: order.closed?.category ?? [],
        department: (order.closed?.departments ?? order.departments)[0]?.code ?? null,
        closedAt: order.closed ? new Date(order.closed.at) : null,
      },
    });
  }
  for (const order of orders) {
    if (!order.closed) continue;
    const signalId = order.created.suggestionId
      ? `suggestion:${order.created.suggestionId}`
      : `order:${order.orderId}`;
    await deps.analytics.markClosed(signalId, new Date(order.closed.at));
  }
}

/**
 * One order as derived from its events, with its events (event-time order), its labels with their
 * sources, and the console feedback of its suggestion (kept beside any 改派: neither overwrites the other).
 *
 * @example
 * const order = await getWorkOrder({ deps, input: { orderId: "YJ2026030200001" } });
 */
export async function getWorkOrder({
  deps,
  input,
}: {
  deps: Pick<WorkOrderDeps, "workOrders" | "suggestions">;
  input: { orderId: string };
}) {
  const { state, labels, events, feedback } = await derive(deps, input.orderId, null);
  if (events.length === 0) throw new NotFoundError(`work order ${input.orderId} does not exist`);
  return {
    order: state,
    labels,
    events: [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)),
    feedback,
  };
}
