import { index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Every event the work-order platform sent, as received (free texts masked), keyed by the
 * platform's event id: a replay finds its row and changes nothing. The order's state is derived
 * from all of its rows, in event time order.
 */
export const workOrderEvents = pgTable(
  "work_order_events",
  {
    eventId: text().primaryKey(),
    orderId: text().notNull(),
    /** created | dispatched | returned | reassigned | closed | rated */
    kind: text().notNull(),
    /** When it happened on the platform. */
    at: timestamp({ withTimezone: true }).notNull(),
    /** The validated event, texts masked. */
    payload: jsonb().notNull(),
    /** The integration key that sent it (or `cli:<user>` for a backfill). */
    actor: text().notNull(),
    storedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("work_order_events_order_idx").on(table.orderId, table.at)],
);

/** Each order's state as derived from its events (rewritten whenever one of its events arrives). */
export const workOrders = pgTable(
  "work_orders",
  {
    orderId: text().primaryKey(),
    /** awaiting-created | open | dispatched | returned | closed */
    status: text().notNull(),
    receivedAt: timestamp({ withTimezone: true }),
    suggestionId: text(),
    closedAt: timestamp({ withTimezone: true }),
    /** The derived WorkOrderState (src/domain/work-orders.ts). */
    state: jsonb().notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [
    index("work_orders_received_idx").on(table.receivedAt),
    index("work_orders_suggestion_idx").on(table.suggestionId),
  ],
);
