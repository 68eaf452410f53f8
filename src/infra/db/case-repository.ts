import { and, asc, desc, eq, gte, inArray, isNull, lt, ne, or, sql } from "drizzle-orm";
import pgvector from "pgvector";
import {
  type CaseRepository,
  type CaseWithEmbedding,
  FORGOTTEN_REASON,
  type StoredCase,
  type SuggestionRepository,
} from "#domain/cases";
import { type Db, selectRows } from "./client";
import { cases, dispatchEvents, suggestions } from "./schema/index";

type CaseRow = typeof cases.$inferSelect;

type LabelProvenance = "orderId" | "labelSources" | "rejectedDepartments";

function toStored(
  row: Omit<
    CaseRow,
    "embedding" | "embeddingModel" | "createdAt" | "assistingDepartments" | LabelProvenance
  > &
    Partial<Pick<CaseRow, LabelProvenance>> & { assistingDepartments?: string[] | null },
): StoredCase {
  return {
    id: row.id,
    text: row.text,
    category: row.category,
    departments: row.departments,
    ...(row.assistingDepartments && row.assistingDepartments.length > 0
      ? { assistingDepartments: row.assistingDepartments }
      : {}),
    type: row.type,
    urgent: row.urgent,
    marketEntity: row.marketEntity,
    receivedAt: row.receivedAt?.toISOString() ?? null,
    source: row.source as StoredCase["source"],
    contentHash: row.contentHash,
    orderId: row.orderId ?? null,
    labelSources: row.labelSources ?? null,
    rejectedDepartments: row.rejectedDepartments ?? [],
  };
}

const UPSERT_BATCH = 50;

export function createCaseRepository(db: Db): CaseRepository {
  return {
    async upsert(list) {
      // Small statements: on the embedded database each one holds the event loop while the vector
      // index takes its rows, so large ones would stall the server's other requests for seconds.
      for (let offset = 0; offset < list.length; offset += UPSERT_BATCH) {
        const rows = list.slice(offset, offset + UPSERT_BATCH).map((item) => ({
          id: item.id,
          text: item.text,
          category: item.category,
          departments: item.departments,
          assistingDepartments: item.assistingDepartments ?? [],
          type: item.type,
          urgent: item.urgent,
          marketEntity: item.marketEntity,
          receivedAt: item.receivedAt ? new Date(item.receivedAt) : null,
          source: item.source,
          contentHash: item.contentHash,
          embedding: Array.from(item.embedding),
          embeddingModel: item.embeddingModel,
          orderId: item.orderId ?? null,
          labelSources: item.labelSources ?? null,
          rejectedDepartments: item.rejectedDepartments ?? [],
        }));
        await db
          .insert(cases)
          .values(rows)
          .onConflictDoUpdate({
            target: cases.id,
            set: {
              text: sql`excluded.text`,
              category: sql`excluded.category`,
              departments: sql`excluded.departments`,
              assistingDepartments: sql`excluded.assisting_departments`,
              type: sql`excluded.type`,
              urgent: sql`excluded.urgent`,
              marketEntity: sql`excluded.market_entity`,
              receivedAt: sql`excluded.received_at`,
              source: sql`excluded.source`,
              contentHash: sql`excluded.content_hash`,
              embedding: sql`excluded.embedding`,
              embeddingModel: sql`excluded.embedding_model`,
              orderId: sql`excluded.order_id`,
              labelSources: sql`excluded.label_sources`,
              rejectedDepartments: sql`excluded.rejected_departments`,
            },
          });
      }
    },
    async existingHashes(ids) {
      const found = new Map<string, string>();
      for (let offset = 0; offset < ids.length; offset += 1000) {
        const rows = await db
          .select({ id: cases.id, contentHash: cases.contentHash })
          .from(cases)
          .where(inArray(cases.id, ids.slice(offset, offset + 1000) as string[]));
        for (const row of rows) found.set(row.id, row.contentHash);
      }
      return found;
    },
    async count() {
      const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(cases);
      return Number(row?.count ?? 0);
    },
    async nearest(vector, k) {
      const literal = pgvector.toSql(Array.from(vector));
      const rows = await selectRows<{
        id: string;
        text: string;
        category: string[];
        departments: string[];
        type: string | null;
        urgent: boolean | null;
        market_entity: boolean | null;
        received_at: string | null;
        source: string;
        content_hash: string;
        distance: number;
      }>(
        db,
        sql`select id, text, category, departments, type, urgent, market_entity, received_at, source, content_hash,
                   embedding <=> ${literal}::vector as distance
            from cases order by embedding <=> ${literal}::vector limit ${k}`,
      );
      return rows.map((row) => ({
        similarity: 1 - Number(row.distance),
        stored: toStored({
          id: row.id,
          text: row.text,
          category: row.category,
          departments: row.departments,
          type: row.type,
          urgent: row.urgent,
          marketEntity: row.market_entity,
          receivedAt: row.received_at ? new Date(row.received_at) : null,
          source: row.source,
          contentHash: row.content_hash,
        }),
      }));
    },
    async clear() {
      await db.delete(cases);
    },
    async remove(ids) {
      if (ids.length === 0) return 0;
      const removed = await db
        .delete(cases)
        .where(inArray(cases.id, [...ids]))
        .returning({ id: cases.id });
      return removed.length;
    },
    async receivedSince(since, sources) {
      const rows = await db
        .select()
        .from(cases)
        .where(
          and(
            gte(cases.receivedAt, since),
            sources && sources.length > 0 ? inArray(cases.source, [...sources]) : undefined,
          ),
        )
        .orderBy(desc(cases.receivedAt), asc(cases.id));
      return rows.map(
        (row): CaseWithEmbedding => ({ ...toStored(row), embedding: Float32Array.from(row.embedding) }),
      );
    },
    async all() {
      const rows = await db.select().from(cases).orderBy(asc(cases.id));
      return rows.map(
        (row): CaseWithEmbedding => ({ ...toStored(row), embedding: Float32Array.from(row.embedding) }),
      );
    },
  };
}

export function createSuggestionRepository(db: Db): SuggestionRepository {
  return {
    async insert(record) {
      await db.insert(suggestions).values({
        id: record.id,
        createdAt: record.createdAt,
        text: record.text,
        request: record.request,
        result: record.result,
        modelVersion: record.modelVersion,
        actor: record.actor,
        actorKeyId: record.actorKeyId,
      });
    },
    async get(id) {
      const [row] = await db.select().from(suggestions).where(eq(suggestions.id, id));
      return row
        ? {
            id: row.id,
            createdAt: row.createdAt.toISOString(),
            text: row.text,
            request: row.request,
            result: row.result,
            modelVersion: row.modelVersion,
            actor: row.actor,
            actorKeyId: row.actorKeyId,
            feedback: row.feedback,
          }
        : null;
    },
    async setFeedback(id, feedback, at) {
      await db.update(suggestions).set({ feedback, feedbackAt: at }).where(eq(suggestions.id, id));
    },
    async forgetPersonalDataBefore(before) {
      // The stored result holds other citizens' (masked) texts as similar cases: they go too.
      const forgotten = await db
        .update(suggestions)
        .set({
          text: null,
          result: sql`jsonb_set(${suggestions.result}, '{similarCases}', '[]'::jsonb)`,
        })
        .where(
          sql`${lt(suggestions.createdAt, before)} and (${suggestions.text} is not null or coalesce(${suggestions.result}->'similarCases', '[]'::jsonb) <> '[]'::jsonb)`,
        )
        .returning({ id: suggestions.id });
      // A case made from feedback is a copy of the citizen's text (and its embedding): deleted.
      const feedbackCases = await db
        .delete(cases)
        .where(
          and(
            eq(cases.source, "feedback"),
            // A work order's case (source feedback while its order is open) follows the work-order
            // data, which retention does not cover yet, rather than disappearing half-way (#15).
            isNull(cases.orderId),
            or(lt(cases.receivedAt, before), lt(cases.createdAt, before)),
          ),
        )
        .returning({ id: cases.id });
      const reasons = await db
        .update(dispatchEvents)
        .set({ reason: FORGOTTEN_REASON })
        .where(and(lt(dispatchEvents.at, before), ne(dispatchEvents.reason, FORGOTTEN_REASON)))
        .returning({ id: dispatchEvents.id });
      return {
        suggestions: forgotten.length,
        feedbackCases: feedbackCases.length,
        dispatchReasons: reasons.length,
      };
    },
    async insertDispatchEvent(event) {
      const [row] = await db.insert(dispatchEvents).values(event).returning({ id: dispatchEvents.id });
      if (!row) throw new Error("inserting a dispatch event returned nothing");
      return row;
    },
    async disputeCounts() {
      const rows = await selectRows<{
        from_department: string;
        to_department: string | null;
        kind: string;
        count: number;
      }>(
        db,
        sql`select from_department, to_department, kind, count(*)::int as count
            from dispatch_events group by from_department, to_department, kind order by count desc`,
      );
      return rows.map((row) => ({
        fromDepartment: row.from_department,
        toDepartment: row.to_department,
        kind: row.kind,
        count: Number(row.count),
      }));
    },
    async scriptMarks() {
      const rows = await selectRows<{
        script_id: string;
        dismissed: number;
        accepted: number;
        last_at: unknown;
      }>(
        db,
        sql`select script_id,
                   sum(case when kind = 'dismissed' then 1 else 0 end)::int as dismissed,
                   sum(case when kind = 'accepted' then 1 else 0 end)::int as accepted,
                   max(feedback_at) as last_at
            from (
              select jsonb_array_elements_text(coalesce(feedback -> 'dismissedScriptIds', '[]'::jsonb)) as script_id,
                     'dismissed' as kind, feedback_at
              from suggestions where feedback is not null
              union all
              select jsonb_array_elements_text(coalesce(feedback -> 'acceptedScriptIds', '[]'::jsonb)),
                     'accepted', feedback_at
              from suggestions where feedback is not null
            ) marks
            group by script_id
            order by dismissed desc, script_id`,
      );
      return rows.map((row) => ({
        scriptId: row.script_id,
        dismissed: Number(row.dismissed),
        accepted: Number(row.accepted),
        lastAt: row.last_at === null ? null : new Date(row.last_at as string).toISOString(),
      }));
    },
  };
}
