import type { Topic } from "./hot-topics";
import type { DisputeEvent, OrderView, SuggestionView } from "./reports";

/** A request of a hot topic, as a 专报 reads it (summary masked; emptied by retention). */
export interface TopicMember {
  id: string;
  source: "suggestion" | "order";
  sourceId: string;
  at: Date;
  summary: string;
  department: string | null;
}

/** What the reports and boards read (work orders, suggestions, topics), by time range. */
export interface ReportRepository {
  /** Orders received in [from, to). */
  ordersReceived(from: Date, to: Date): Promise<OrderView[]>;
  /** Orders received before `at` and not closed by then. */
  ordersOpenAt(at: Date): Promise<OrderView[]>;
  /** Orders closed in [from, to). */
  ordersClosed(from: Date, to: Date): Promise<OrderView[]>;
  /** Orders whose id or whose call's suggestion id is given. */
  ordersOf(orderIds: readonly string[], suggestionIds: readonly string[]): Promise<OrderView[]>;
  /** 退单 and 改派 events that happened in [from, to). */
  disputes(from: Date, to: Date): Promise<DisputeEvent[]>;
  /** Departments given an order (dispatch events) in [from, to). */
  assignments(from: Date, to: Date): Promise<{ orderId: string; department: string }[]>;
  /** Suggestions served in [from, to), with their feedback. */
  suggestionsBetween(from: Date, to: Date): Promise<SuggestionView[]>;
  /** One hot topic and all its requests (oldest first), or null. */
  topic(id: string): Promise<{ topic: Topic; members: TopicMember[] } | null>;
}
