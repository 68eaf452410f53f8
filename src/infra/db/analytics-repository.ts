import { and, asc, eq, getTableColumns, gte, inArray, isNull, lt, ne, sql } from "drizzle-orm";
import pgvector from "pgvector";
import type { Topic } from "#domain/analytics/hot-topics";
import type { AnalyticsRepository, RequestSignal } from "#domain/analytics/repository";
import { type Db, selectRows } from "./client";
import { hotTopics, requestSignals } from "./schema/index";

type SignalRow = typeof requestSignals.$inferSelect;
type TopicRow = typeof hotTopics.$inferSelect;

function toSignal(row: SignalRow): RequestSignal {
  return { ...signalFields(row), embedding: Float32Array.from(row.embedding) };
}

/** A stored signal's fields but its vector. */
function signalFields(row: Omit<SignalRow, "embedding">): Omit<RequestSignal, "embedding"> {
  return {
    id: row.id,
    source: row.source as RequestSignal["source"],
    sourceId: row.sourceId,
    at: row.at,
    summary: row.summary,
    places: row.places,
    districts: row.districts,
    terms: row.terms,
    category: row.category,
    department: row.department,
    likes: row.likes,
    topicId: row.topicId,
    closedAt: row.closedAt,
  };
}

/** A stored topic as the clustering reads it (shared with the report repository). */
export function toTopic(row: TopicRow, memberIds: string[]): Topic {
  return {
    id: row.id,
    centroidSum: Float32Array.from(row.centroidSum),
    size: row.size,
    firstAt: row.firstAt,
    lastAt: row.lastAt,
    termCounts: new Map(Object.entries(row.termCounts)),
    placeCounts: new Map(Object.entries(row.placeCounts)),
    districtCounts: new Map(Object.entries(row.districtCounts)),
    likes: row.likes,
    memberIds,
  };
}

/** Topics per multi-row upsert (each carries a 512-number centroid). */
const SAVE_BATCH = 100;
/** Signal → topic pairs per update statement. */
const ASSIGN_BATCH = 1000;

export function createAnalyticsRepository(db: Db): AnalyticsRepository {
  async function membersOf(
    topicIds: string[],
    from?: Date,
    to?: Date,
  ): Promise<Map<string, { id: string; at: Date }[]>> {
    const members = new Map<string, { id: string; at: Date }[]>();
    if (topicIds.length === 0) return members;
    const rows = await db
      .select({ id: requestSignals.id, at: requestSignals.at, topicId: requestSignals.topicId })
      .from(requestSignals)
      .where(
        and(
          inArray(requestSignals.topicId, topicIds),
          from ? gte(requestSignals.at, from) : undefined,
          to ? lt(requestSignals.at, to) : undefined,
        ),
      )
      .orderBy(asc(requestSignals.at));
    for (const row of rows) {
      if (!row.topicId) continue;
      const list = members.get(row.topicId) ?? [];
      list.push({ id: row.id, at: row.at });
      members.set(row.topicId, list);
    }
    return members;
  }

  return {
    async saveSignal(signal) {
      const values = { ...signal, embedding: Array.from(signal.embedding) };
      await db
        .insert(requestSignals)
        .values(values)
        .onConflictDoUpdate({
          target: requestSignals.id,
          set: {
            summary: values.summary,
            places: values.places,
            districts: values.districts,
            terms: values.terms,
            category: values.category,
            department: values.department,
            likes: values.likes,
            closedAt: values.closedAt,
          },
        });
    },
    async markClosed(id, closedAt) {
      await db.update(requestSignals).set({ closedAt }).where(eq(requestSignals.id, id));
    },
    async forgetSummariesBefore(before) {
      const rows = await db
        .update(requestSignals)
        .set({ summary: "" })
        .where(and(lt(requestSignals.at, before), ne(requestSignals.summary, "")))
        .returning({ id: requestSignals.id });
      return rows.length;
    },
    async unclustered(limit) {
      const rows = await db
        .select()
        .from(requestSignals)
        .where(isNull(requestSignals.topicId))
        .orderBy(asc(requestSignals.at))
        .limit(limit);
      return rows.map(toSignal);
    },
    async activeTopics(since) {
      const rows = await db.select().from(hotTopics).where(gte(hotTopics.lastAt, since));
      // Member lists are not needed to join a topic; saveClustering appends the new ones.
      return rows.map((row) => toTopic(row, []));
    },
    async saveClustering(topics, assignments) {
      // Multi-row statements, not one round trip per topic and per topic's members: an update
      // touches hundreds of topics, and each round trip waits its turn on a loaded database.
      const now = new Date();
      const rows = topics.map((topic) => ({
        id: topic.id,
        centroidSum: Array.from(topic.centroidSum),
        size: topic.size,
        firstAt: topic.firstAt,
        lastAt: topic.lastAt,
        termCounts: Object.fromEntries(topic.termCounts),
        placeCounts: Object.fromEntries(topic.placeCounts),
        districtCounts: Object.fromEntries(topic.districtCounts),
        likes: topic.likes,
        updatedAt: now,
      }));
      const pairs = [...assignments];
      await db.transaction(async (tx) => {
        for (let offset = 0; offset < rows.length; offset += SAVE_BATCH) {
          await tx
            .insert(hotTopics)
            .values(rows.slice(offset, offset + SAVE_BATCH))
            .onConflictDoUpdate({
              target: hotTopics.id,
              set: {
                centroidSum: sql`excluded.centroid_sum`,
                size: sql`excluded.size`,
                firstAt: sql`excluded.first_at`,
                lastAt: sql`excluded.last_at`,
                termCounts: sql`excluded.term_counts`,
                placeCounts: sql`excluded.place_counts`,
                districtCounts: sql`excluded.district_counts`,
                likes: sql`excluded.likes`,
                updatedAt: sql`excluded.updated_at`,
              },
            });
        }
        for (let offset = 0; offset < pairs.length; offset += ASSIGN_BATCH) {
          const slice = pairs.slice(offset, offset + ASSIGN_BATCH);
          const signalIds = JSON.stringify(slice.map(([signalId]) => signalId));
          const topicIds = JSON.stringify(slice.map(([, topicId]) => topicId));
          await tx.execute(
            sql`update request_signals set topic_id = placed.topic_id
                from (select signal_id, topic_id
                      from jsonb_array_elements_text(${signalIds}::jsonb) with ordinality as s(signal_id, n)
                      join jsonb_array_elements_text(${topicIds}::jsonb) with ordinality as t(topic_id, m)
                        on s.n = t.m) as placed
                where request_signals.id = placed.signal_id`,
          );
        }
      });
    },
    async topicsBetween(from, to) {
      const ids = await db
        .selectDistinct({ topicId: requestSignals.topicId })
        .from(requestSignals)
        .where(
          and(
            gte(requestSignals.at, from),
            lt(requestSignals.at, to),
            sql`${requestSignals.topicId} is not null`,
          ),
        );
      const topicIds = ids.map((row) => row.topicId).filter((id): id is string => id !== null);
      if (topicIds.length === 0) return [];
      const members = await membersOf(topicIds, from, to);
      const rows = await db.select().from(hotTopics).where(inArray(hotTopics.id, topicIds));
      return rows.map((row) => ({
        topic: toTopic(
          row,
          (members.get(row.id) ?? []).map((m) => m.id),
        ),
        members: members.get(row.id) ?? [],
      }));
    },
    async termFrequencies(from, to) {
      const rows = await selectRows<{ term: string; count: number; total: number }>(
        db,
        sql`with window_signals as (
              select terms from request_signals where at >= ${from.toISOString()} and at < ${to.toISOString()})
            select term, count(*)::int as count, (select count(*)::int from window_signals) as total
            from window_signals, jsonb_array_elements_text(terms) as term group by term`,
      );
      return {
        total: Number(rows[0]?.total ?? 0),
        counts: new Map(rows.map((row) => [row.term, Number(row.count)])),
      };
    },
    async nearestOpen(embedding, since, limit, excludeId) {
      const literal = pgvector.toSql(Array.from(embedding));
      const { embedding: _vector, ...columns } = getTableColumns(requestSignals);
      const distance = sql<number>`${requestSignals.embedding} <=> ${literal}::vector`;
      const rows = await db
        .select({ ...columns, distance })
        .from(requestSignals)
        .where(
          and(
            gte(requestSignals.at, since),
            isNull(requestSignals.closedAt),
            excludeId ? sql`${requestSignals.id} <> ${excludeId}` : undefined,
          ),
        )
        .orderBy(distance)
        .limit(limit);
      return rows.map(({ distance: found, ...row }) => ({
        ...signalFields(row),
        similarity: 1 - Number(found),
      }));
    },
    async keyedEvents(from, to) {
      const rows = await db
        .select({
          at: requestSignals.at,
          department: requestSignals.department,
          category: requestSignals.category,
          districts: requestSignals.districts,
          topicId: requestSignals.topicId,
        })
        .from(requestSignals)
        .where(and(gte(requestSignals.at, from), lt(requestSignals.at, to)));
      return rows.flatMap((row) => {
        const keys = [
          row.department ? `department:${row.department}` : null,
          row.category.length > 0 ? `category:${row.category.slice(0, 2).join("/")}` : null,
          ...row.districts.map((district) => `district:${district}`),
          row.topicId ? `topic:${row.topicId}` : null,
        ];
        return keys.filter((key): key is string => key !== null).map((key) => ({ key, at: row.at }));
      });
    },
  };
}
