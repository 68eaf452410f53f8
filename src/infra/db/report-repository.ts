import { and, asc, eq, gte, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { ReportRepository } from "#domain/analytics/report-repository";
import { type DisputeEvent, type OrderView, suggestedHeads } from "#domain/analytics/reports";
import type { StoredWorkOrderEvent, WorkOrderState } from "#domain/work-orders";
import { toTopic } from "./analytics-repository";
import type { Db } from "./client";
import { hotTopics, requestSignals, suggestions, workOrderEvents, workOrders } from "./schema/index";

/** A json value selected through `sql` (drivers return it parsed, or as text). */
function parsed(value: unknown): unknown {
  return typeof value === "string" ? JSON.parse(value) : value;
}

/**
 * Reads for the reports and boards. A stored suggestion also holds scripts and similar cases:
 * only the heads and the deadline are selected, so a month of orders stays small.
 */
export function createReportRepository(db: Db): ReportRepository {
  async function orders(where: SQL | undefined): Promise<OrderView[]> {
    const rows = await db
      .select({
        orderId: workOrders.orderId,
        receivedAt: workOrders.receivedAt,
        closedAt: workOrders.closedAt,
        state: sql<unknown>`${workOrders.state} #- '{closed,result}'`,
        result: sql<unknown>`jsonb_build_object(
          'category', ${suggestions.result}->'category',
          'type', ${suggestions.result}->'type',
          'departments', ${suggestions.result}->'departments',
          'urgent', ${suggestions.result}->'urgent',
          'marketEntity', ${suggestions.result}->'marketEntity',
          'deadlines', ${suggestions.result}->'deadlines')`,
        found: sql<boolean>`${suggestions.id} is not null`,
      })
      .from(workOrders)
      .leftJoin(suggestions, eq(suggestions.id, workOrders.suggestionId))
      .where(where)
      .orderBy(asc(workOrders.receivedAt), asc(workOrders.orderId));
    return rows.map((row) => ({
      orderId: row.orderId,
      receivedAt: row.receivedAt,
      closedAt: row.closedAt,
      state: parsed(row.state) as WorkOrderState,
      suggestion: row.found ? suggestedHeads(parsed(row.result)) : null,
    }));
  }

  async function eventsOf(kinds: string[], from: Date, to: Date): Promise<StoredWorkOrderEvent[]> {
    const rows = await db
      .select({ payload: workOrderEvents.payload })
      .from(workOrderEvents)
      .where(
        and(inArray(workOrderEvents.kind, kinds), gte(workOrderEvents.at, from), lt(workOrderEvents.at, to)),
      )
      .orderBy(asc(workOrderEvents.at), asc(workOrderEvents.eventId));
    return rows.map((row) => parsed(row.payload) as StoredWorkOrderEvent);
  }

  return {
    ordersReceived: (from, to) =>
      orders(and(gte(workOrders.receivedAt, from), lt(workOrders.receivedAt, to))),
    ordersOpenAt: (at) =>
      orders(
        and(lt(workOrders.receivedAt, at), or(isNull(workOrders.closedAt), gte(workOrders.closedAt, at))),
      ),
    ordersClosed: (from, to) => orders(and(gte(workOrders.closedAt, from), lt(workOrders.closedAt, to))),
    async ordersOf(orderIds, suggestionIds) {
      if (orderIds.length + suggestionIds.length === 0) return [];
      return orders(
        or(
          orderIds.length > 0 ? inArray(workOrders.orderId, [...orderIds]) : undefined,
          suggestionIds.length > 0 ? inArray(workOrders.suggestionId, [...suggestionIds]) : undefined,
        ),
      );
    },
    async disputes(from, to) {
      return (await eventsOf(["returned", "reassigned"], from, to)).flatMap((event): DisputeEvent[] =>
        event.kind === "returned"
          ? [
              {
                kind: "returned" as const,
                orderId: event.orderId,
                department: event.department,
                at: event.at,
              },
            ]
          : event.kind === "reassigned"
            ? [
                {
                  kind: "reassigned" as const,
                  orderId: event.orderId,
                  from: event.from,
                  to: event.to,
                  at: event.at,
                },
              ]
            : [],
      );
    },
    async assignments(from, to) {
      return (await eventsOf(["dispatched"], from, to)).flatMap((event) =>
        event.kind === "dispatched"
          ? event.departments.map((department) => ({ orderId: event.orderId, department: department.code }))
          : [],
      );
    },
    async suggestionsBetween(from, to) {
      const rows = await db
        .select({
          id: suggestions.id,
          actor: suggestions.actor,
          createdAt: suggestions.createdAt,
          feedbackAt: suggestions.feedbackAt,
          text: suggestions.text,
          feedback: suggestions.feedback,
          result: sql<unknown>`jsonb_build_object(
            'category', ${suggestions.result}->'category',
            'type', ${suggestions.result}->'type',
            'departments', ${suggestions.result}->'departments',
            'urgent', ${suggestions.result}->'urgent',
            'marketEntity', ${suggestions.result}->'marketEntity',
            'deadlines', ${suggestions.result}->'deadlines')`,
        })
        .from(suggestions)
        .where(and(gte(suggestions.createdAt, from), lt(suggestions.createdAt, to)))
        .orderBy(asc(suggestions.createdAt), asc(suggestions.id));
      return rows.map((row) => ({
        id: row.id,
        actor: row.actor,
        createdAt: row.createdAt,
        feedbackAt: row.feedbackAt,
        text: row.text,
        feedback: parsed(row.feedback) ?? null,
        heads: suggestedHeads(parsed(row.result)),
      }));
    },
    async topic(id) {
      const [row] = await db.select().from(hotTopics).where(eq(hotTopics.id, id));
      if (!row) return null;
      const members = await db
        .select({
          id: requestSignals.id,
          source: requestSignals.source,
          sourceId: requestSignals.sourceId,
          at: requestSignals.at,
          summary: requestSignals.summary,
          department: requestSignals.department,
        })
        .from(requestSignals)
        .where(eq(requestSignals.topicId, id))
        .orderBy(asc(requestSignals.at), asc(requestSignals.id));
      return {
        topic: toTopic(
          row,
          members.map((member) => member.id),
        ),
        members: members.map((member) => ({
          ...member,
          source: member.source === "order" ? ("order" as const) : ("suggestion" as const),
        })),
      };
    },
  };
}
