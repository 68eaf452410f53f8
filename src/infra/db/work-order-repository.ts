import { and, asc, eq, gte, isNotNull, lt, sql } from "drizzle-orm";
import type { StoredWorkOrderEvent, WorkOrderRepository, WorkOrderState } from "#domain/work-orders";
import type { Db } from "./client";
import { suggestions, workOrderEvents, workOrders } from "./schema/index";

/** A json value selected through `sql` (drivers return it parsed, or as text). */
function parsed(value: unknown): unknown {
  return typeof value === "string" ? JSON.parse(value) : value;
}

/**
 * Work-order events and the orders derived from them.
 *
 * @example
 * const repository = createWorkOrderRepository(db);
 * await repository.insertEvent({ eventId: "e1", orderId: "A1", kind: "created", at, payload, actor: "platform" });
 */
export function createWorkOrderRepository(db: Db): WorkOrderRepository {
  return {
    async lock(orderId) {
      await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`work-order:${orderId}`}))`);
    },
    async insertEvent(event) {
      const inserted = await db
        .insert(workOrderEvents)
        .values(event)
        .onConflictDoNothing({ target: workOrderEvents.eventId })
        .returning({ eventId: workOrderEvents.eventId });
      if (inserted.length > 0) return { inserted: true };
      const [existing] = await db
        .select({ payload: workOrderEvents.payload })
        .from(workOrderEvents)
        .where(eq(workOrderEvents.eventId, event.eventId));
      return { inserted: false, existing: existing?.payload ?? null };
    },
    async events(orderId) {
      const rows = await db
        .select({ payload: workOrderEvents.payload })
        .from(workOrderEvents)
        .where(eq(workOrderEvents.orderId, orderId))
        .orderBy(asc(workOrderEvents.at), asc(workOrderEvents.eventId));
      return rows.map((row) => row.payload as StoredWorkOrderEvent);
    },
    async save(state, at) {
      const row = {
        orderId: state.orderId,
        status: state.status,
        receivedAt: state.created ? new Date(state.created.receivedAt) : null,
        suggestionId: state.created?.suggestionId ?? null,
        closedAt: state.closed ? new Date(state.closed.at) : null,
        state,
        updatedAt: at,
      };
      const { orderId: _key, ...changes } = row;
      await db
        .insert(workOrders)
        .values(row)
        .onConflictDoUpdate({ target: workOrders.orderId, set: changes });
    },
    async get(orderId) {
      const [row] = await db
        .select({ state: workOrders.state })
        .from(workOrders)
        .where(eq(workOrders.orderId, orderId));
      return row ? (row.state as WorkOrderState) : null;
    },
    async orderOfSuggestion(suggestionId) {
      const [row] = await db
        .select({ orderId: workOrders.orderId })
        .from(workOrders)
        .where(eq(workOrders.suggestionId, suggestionId))
        .limit(1);
      return row?.orderId ?? null;
    },
    async closedWithSuggestions(from, to) {
      // Only what accuracy needs: a stored suggestion also holds scripts and similar cases, and an
      // order its text; months of orders would otherwise be gigabytes of JSON (#15).
      const rows = await db
        .select({
          state: sql<unknown>`${workOrders.state} #- '{created,text}' #- '{closed,result}'`,
          result: sql<unknown>`jsonb_build_object(
            'category', ${suggestions.result}->'category',
            'type', ${suggestions.result}->'type',
            'departments', ${suggestions.result}->'departments',
            'urgent', ${suggestions.result}->'urgent',
            'marketEntity', ${suggestions.result}->'marketEntity')`,
          found: sql<boolean>`${suggestions.id} is not null`,
        })
        .from(workOrders)
        .leftJoin(suggestions, eq(suggestions.id, workOrders.suggestionId))
        .where(
          and(
            eq(workOrders.status, "closed"),
            isNotNull(workOrders.suggestionId),
            gte(workOrders.receivedAt, from),
            lt(workOrders.receivedAt, to),
          ),
        )
        .orderBy(asc(workOrders.receivedAt), asc(workOrders.orderId));
      return rows.map((row) => ({
        state: parsed(row.state) as WorkOrderState,
        suggestion: row.found ? parsed(row.result) : null,
        feedback: null,
      }));
    },
  };
}
