import { and, asc, desc, eq, inArray, ne, or, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { alias } from "drizzle-orm/pg-core";
import pgvector from "pgvector";
import { personIdentity } from "#domain/access";
import { formatBasis, parseLegacyBasis } from "#domain/knowledge/basis";
import { contentHash } from "#domain/knowledge/hash";
import {
  type CategoryRow,
  type HitTestRun,
  HYBRID_VERSIONS_PER_RESULT,
  type KnowledgeItem,
  type KnowledgeRepository,
  type NewVersion,
  type PublishedScript,
  type ScriptListFilters,
  type ScriptVersion,
  type SearchOptions,
} from "#domain/knowledge/repository";
import type { Department } from "#domain/knowledge/schema";
import { type Db, selectRows } from "./client";
import {
  categories,
  departments,
  hitTestRuns,
  knowledgeItems,
  knowledgePassages,
  knowledgeSyncState,
  knowledgeVersions,
} from "./schema/index";

type VersionRow = typeof knowledgeVersions.$inferSelect;
type ItemRow = typeof knowledgeItems.$inferSelect;
type RunRow = typeof hitTestRuns.$inferSelect;

function toRun(row: RunRow): HitTestRun {
  return {
    id: row.id,
    name: row.name,
    actor: row.actor,
    createdAt: row.createdAt.toISOString(),
    config: row.config as HitTestRun["config"],
    metrics: row.metrics as HitTestRun["metrics"],
    cases: row.cases as HitTestRun["cases"],
  };
}

/** A published version as hybridSearch's statement returns it (json_build_object, snake_case). */
interface PublishedScriptRow {
  item_id: string;
  version: number;
  title: string;
  question: string;
  answer: string;
  basis: string;
  basis_detail: ScriptVersion["basis"] | null;
  departments: string[];
  category: string[];
  region: string;
  valid_to: string | null;
}

/** Candidates taken from the HNSW index before filters; hnsw.ef_search is raised to match. */
export const VECTOR_CANDIDATES = 100;

function toVersion(row: VersionRow): ScriptVersion {
  return {
    versionId: row.id,
    itemId: row.itemId,
    version: row.version,
    state: row.state as ScriptVersion["state"],
    title: row.title,
    question: row.question,
    variants: row.variants,
    answer: row.answer,
    basis: row.basisDetail ?? parseLegacyBasis(row.basis),
    departments: row.departments,
    category: row.category as ScriptVersion["category"],
    region: row.region as ScriptVersion["region"],
    audience: row.audience as ScriptVersion["audience"],
    tags: row.tags,
    validFrom: row.validFrom,
    validTo: row.validTo,
    owner: row.owner,
    contentHash: row.contentHash,
    source: row.source as ScriptVersion["source"],
    author: row.author,
    // Rows from before persons existed carry only names: their person is the normalised name.
    authorPerson: row.authorPerson ?? personIdentity(row.author),
    baseVersion: row.baseVersion,
    changeNote: row.changeNote,
    reviewer: row.reviewer,
    reviewerPerson: row.reviewerPerson ?? (row.reviewer === null ? null : personIdentity(row.reviewer)),
    reviewComment: row.reviewComment,
    reviewedAt: row.reviewedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

function toItem(row: ItemRow): KnowledgeItem {
  return {
    id: row.id,
    status: row.status as KnowledgeItem["status"],
    publishedVersion: row.publishedVersion,
    latestVersion: row.latestVersion,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * A text[] built from a JSON parameter: the same on PGlite and node-postgres, whose array
 * parameter handling differs.
 */
function textArray(values: readonly string[]) {
  return sql`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;
}

/** SQL conditions shared by both searches: published, valid today, matching the filters. */
function visibleScript(options: SearchOptions) {
  const { filters, today } = options;
  const conditions = [
    sql`i.status = 'published'`,
    sql`v.valid_from <= ${today}::date`,
    sql`(v.valid_to is null or v.valid_to >= ${today}::date)`,
  ];
  if (filters.departments && filters.departments.length > 0) {
    conditions.push(sql`v.departments ?| ${textArray(filters.departments)}`);
  }
  if (filters.category && filters.category.length > 0) {
    conditions.push(sql`v.category @> ${JSON.stringify(filters.category)}::jsonb`);
    filters.category.forEach((level, index) => {
      conditions.push(sql`v.category ->> ${sql.raw(String(index))} = ${level}`);
    });
  }
  if (filters.region) conditions.push(sql`v.region in (${filters.region}, '全市')`);
  return sql.join(conditions, sql` and `);
}

/** The newest and the published version of a script, joined to its item in the script list. */
const latestVersions = alias(knowledgeVersions, "latest_version");
const publishedVersionRows = alias(knowledgeVersions, "published_version");

/** Joins a versions table (or alias) to the item's row for the version number in `which`. */
const versionOfItem = (versions: { itemId: AnyPgColumn; version: AnyPgColumn }, which: AnyPgColumn) =>
  and(eq(versions.itemId, knowledgeItems.id), eq(versions.version, which));

/** `text` as a LIKE pattern matching it anywhere, with LIKE's own characters taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** SQL conditions of the editors' script list. */
function scriptListConditions(filters: ScriptListFilters): SQL[] {
  const conditions: SQL[] = [];
  if (filters.text) {
    const pattern = containsPattern(filters.text);
    const text = or(
      sql`${knowledgeItems.id} ilike ${pattern}`,
      sql`${latestVersions.title} ilike ${pattern}`,
      sql`${latestVersions.question} ilike ${pattern}`,
      sql`${latestVersions.answer} ilike ${pattern}`,
      sql`${latestVersions.variants}::text ilike ${pattern}`,
    );
    if (text) conditions.push(text);
  }
  if (filters.department) {
    conditions.push(sql`${latestVersions.departments} @> ${JSON.stringify([filters.department])}::jsonb`);
  }
  filters.category?.forEach((level, index) => {
    conditions.push(sql`${latestVersions.category} ->> ${sql.raw(String(index))} = ${level}`);
  });
  switch (filters.status) {
    case "published":
    case "retired":
      conditions.push(eq(knowledgeItems.status, filters.status));
      break;
    case "pending_review":
    case "draft":
    case "rejected":
      conditions.push(eq(latestVersions.state, filters.status));
      break;
    case undefined:
      break;
  }
  if (filters.validToBetween) {
    const { from, to } = filters.validToBetween;
    conditions.push(eq(knowledgeItems.status, "published"));
    conditions.push(sql`${publishedVersionRows.validTo} between ${from}::date and ${to}::date`);
  }
  return conditions;
}

/**
 * The knowledge repository over drizzle; the same SQL runs on PGlite and PostgreSQL.
 *
 * @example
 * const repository = createKnowledgeRepository(database.db);
 * const hits = await repository.vectorSearch(vector, { limit: 10, filters: {}, today: "2026-03-02" });
 */
export function createKnowledgeRepository(db: Db): KnowledgeRepository {
  const repository: KnowledgeRepository = {
    async replaceDepartments(list: readonly Department[]) {
      const codes = list.map((department) => department.code);
      for (const department of list) {
        const row = {
          ...department,
          validTo: department.validTo ?? null,
          contentHash: contentHash(department),
        };
        await db
          .insert(departments)
          .values(row)
          .onConflictDoUpdate({
            target: departments.code,
            set: { ...row, updatedAt: new Date() },
            setWhere: ne(departments.contentHash, row.contentHash),
          });
      }
      if (codes.length > 0) {
        await db.execute(sql`delete from departments where not (code = any(${textArray(codes)}))`);
      }
    },

    async replaceCategories(rows: readonly CategoryRow[]) {
      const paths = rows.map((row) => row.path.join("/"));
      for (const row of rows) {
        const path = row.path.join("/");
        const values = {
          path,
          name: row.path.at(-1) ?? path,
          level: row.path.length,
          parentPath: row.path.length > 1 ? row.path.slice(0, -1).join("/") : null,
          departments: row.departments,
          contentHash: contentHash(row),
        };
        await db
          .insert(categories)
          .values(values)
          .onConflictDoUpdate({
            target: categories.path,
            set: { ...values, updatedAt: new Date() },
            setWhere: ne(categories.contentHash, values.contentHash),
          });
      }
      if (paths.length > 0) {
        await db.execute(sql`delete from categories where not (path = any(${textArray(paths)}))`);
      }
    },

    async listDepartments() {
      const rows = await db.select().from(departments).orderBy(asc(departments.code));
      return rows.map((row) => ({
        code: row.code,
        name: row.name,
        aliases: row.aliases,
        level: row.level as Department["level"],
        district: row.district as Department["district"],
        duties: row.duties,
        keywords: row.keywords,
        examples: row.examples,
        validFrom: row.validFrom,
        validTo: row.validTo,
      }));
    },

    async getSyncState(scope) {
      const [row] = await db.select().from(knowledgeSyncState).where(eq(knowledgeSyncState.scope, scope));
      return row ? { contentHash: row.contentHash, embeddingModel: row.embeddingModel } : null;
    },

    async setSyncState(scope, hash, embeddingModel) {
      await db
        .insert(knowledgeSyncState)
        .values({ scope, contentHash: hash, embeddingModel })
        .onConflictDoUpdate({
          target: knowledgeSyncState.scope,
          set: { contentHash: hash, embeddingModel, syncedAt: new Date() },
        });
    },

    async listItems() {
      const rows = await db.select().from(knowledgeItems).orderBy(asc(knowledgeItems.id));
      return rows.map(toItem);
    },

    async listScripts(filters, page) {
      const rows = await db
        .select({
          item: knowledgeItems,
          latest: latestVersions,
          publishedId: publishedVersionRows.id,
          publishedValidTo: publishedVersionRows.validTo,
          // Counted before LIMIT/OFFSET: the number of matching scripts on every row.
          total: sql<number>`count(*) over()`.mapWith(Number),
        })
        .from(knowledgeItems)
        .innerJoin(latestVersions, versionOfItem(latestVersions, knowledgeItems.latestVersion))
        .leftJoin(publishedVersionRows, versionOfItem(publishedVersionRows, knowledgeItems.publishedVersion))
        .where(and(...scriptListConditions(filters)))
        .orderBy(
          ...(filters.validToBetween
            ? [asc(publishedVersionRows.validTo), asc(knowledgeItems.id)]
            : [desc(knowledgeItems.updatedAt), asc(knowledgeItems.id)]),
        )
        .limit(page.limit)
        .offset(page.offset);
      if (rows.length === 0 && page.offset > 0) {
        // Paged past the end: the rows carry no total, so count from the start.
        const { total } = await repository.listScripts(filters, { limit: 1, offset: 0 });
        return { total, scripts: [] };
      }
      return {
        total: rows[0]?.total ?? 0,
        scripts: rows.map(({ item, latest, publishedId, publishedValidTo }) => ({
          id: item.id,
          status: item.status as KnowledgeItem["status"],
          publishedVersion: item.publishedVersion,
          latestVersion: item.latestVersion,
          latestState: latest.state as ScriptVersion["state"],
          latestAuthor: latest.author,
          title: latest.title,
          question: latest.question,
          departments: latest.departments,
          category: latest.category,
          region: latest.region,
          validTo: publishedId === null ? latest.validTo : publishedValidTo,
          updatedAt: item.updatedAt.toISOString(),
        })),
      };
    },

    async getItem(id, options) {
      const query = db.select().from(knowledgeItems).where(eq(knowledgeItems.id, id));
      const [row] = options?.forUpdate ? await query.for("update") : await query;
      return row ? toItem(row) : null;
    },

    async createItem(id) {
      const rows = await db
        .insert(knowledgeItems)
        .values({ id, status: "draft", latestVersion: 0 })
        .onConflictDoNothing()
        .returning({ id: knowledgeItems.id });
      return rows.length === 1;
    },

    async advanceLatestVersion(id, expected) {
      const rows = await db
        .update(knowledgeItems)
        .set({ latestVersion: expected + 1, updatedAt: new Date() })
        .where(and(eq(knowledgeItems.id, id), eq(knowledgeItems.latestVersion, expected)))
        .returning({ id: knowledgeItems.id });
      return rows.length === 1;
    },

    async setItemStatus(id, status, publishedVersion) {
      await db
        .update(knowledgeItems)
        .set({ status, publishedVersion, updatedAt: new Date() })
        .where(eq(knowledgeItems.id, id));
    },

    async insertVersion(version: NewVersion) {
      const [row] = await db
        .insert(knowledgeVersions)
        .values({
          ...version,
          basis: formatBasis(version.basis),
          basisDetail: version.basis,
          validTo: version.validTo ?? null,
        })
        .returning();
      if (!row) throw new Error(`inserting version ${version.version} of ${version.itemId} returned nothing`);
      return toVersion(row);
    },

    async getVersion(itemId, version) {
      const [row] = await db
        .select()
        .from(knowledgeVersions)
        .where(and(eq(knowledgeVersions.itemId, itemId), eq(knowledgeVersions.version, version)));
      return row ? toVersion(row) : null;
    },

    async listVersions(itemId) {
      const rows = await db
        .select()
        .from(knowledgeVersions)
        .where(eq(knowledgeVersions.itemId, itemId))
        .orderBy(asc(knowledgeVersions.version));
      return rows.map(toVersion);
    },

    async fileVersionHashes(itemId) {
      const rows = await db
        .select({ contentHash: knowledgeVersions.contentHash })
        .from(knowledgeVersions)
        .where(and(eq(knowledgeVersions.itemId, itemId), eq(knowledgeVersions.source, "file")));
      return rows.map((row) => row.contentHash);
    },

    async setVersionState(versionId, state, review) {
      await db
        .update(knowledgeVersions)
        .set({
          state,
          ...(review
            ? {
                reviewer: review.reviewer,
                reviewerPerson: review.reviewerPerson,
                reviewComment: review.comment,
                reviewedAt: review.at,
              }
            : {}),
        })
        .where(eq(knowledgeVersions.id, versionId));
    },

    async transitionVersionState(versionId, from, to, review) {
      const rows = await db
        .update(knowledgeVersions)
        .set({
          state: to,
          ...(review
            ? {
                reviewer: review.reviewer,
                reviewerPerson: review.reviewerPerson,
                reviewComment: review.comment,
                reviewedAt: review.at,
              }
            : {}),
        })
        .where(and(eq(knowledgeVersions.id, versionId), eq(knowledgeVersions.state, from)))
        .returning({ id: knowledgeVersions.id });
      return rows.length === 1;
    },

    async listVersionsInState(state) {
      const rows = await db
        .select()
        .from(knowledgeVersions)
        .where(eq(knowledgeVersions.state, state))
        .orderBy(asc(knowledgeVersions.createdAt));
      return rows.map(toVersion);
    },

    async replacePassages(itemId, versionId, passages) {
      await db.delete(knowledgePassages).where(eq(knowledgePassages.itemId, itemId));
      if (passages.length === 0) return;
      for (const passage of passages) {
        await db.execute(sql`
          insert into knowledge_passages (item_id, version_id, kind, text, tokens, embedding, embedding_model, content_hash)
          values (${itemId}, ${versionId}, ${passage.kind}, ${passage.text}, to_tsvector('simple', ${passage.tokens}),
                  ${pgvector.toSql(Array.from(passage.embedding))}::vector, ${passage.embeddingModel},
                  ${passage.contentHash})`);
      }
    },

    async retokenisePassages(itemId, passages) {
      for (const passage of passages) {
        await db.execute(sql`
          update knowledge_passages set tokens = to_tsvector('simple', ${passage.tokens})
          where item_id = ${itemId} and text = ${passage.text}`);
      }
    },

    async deletePassages(itemId) {
      await db.delete(knowledgePassages).where(eq(knowledgePassages.itemId, itemId));
    },

    async countPassagesNotEmbeddedWith(modelId) {
      const rows = await selectRows<{ count: number }>(
        db,
        sql`select count(*)::int as count from knowledge_passages where embedding_model <> ${modelId}`,
      );
      return Number(rows[0]?.count ?? 0);
    },

    async vectorSearch(vector, options) {
      const literal = pgvector.toSql(Array.from(vector));
      const rows = await selectRows<{ item_id: string; text: string; similarity: number }>(
        db,
        sql`
          with nearest as materialized (
            select p.item_id, p.version_id, p.text, p.embedding <=> ${literal}::vector as distance
            from knowledge_passages p
            order by p.embedding <=> ${literal}::vector
            limit ${VECTOR_CANDIDATES}
          )
          select n.item_id, n.text, 1 - n.distance as similarity
          from nearest n
          join knowledge_items i on i.id = n.item_id
          join knowledge_versions v on v.id = n.version_id
          where ${visibleScript(options)}
          order by n.distance
          limit ${options.limit * 5}`,
      );
      return rows.map((row) => ({
        itemId: row.item_id,
        score: Number(row.similarity),
        matchedText: row.text,
      }));
    },

    async fulltextSearch(terms, options) {
      if (terms.length === 0) return [];
      // Terms contain only letters and digits (see searchTerms), so they are safe tsquery lexemes.
      const query = terms.map((term) => `'${term}'`).join(" | ");
      const rows = await selectRows<{ item_id: string; text: string; rank: number }>(
        db,
        sql`
          with matches as materialized (
            select p.id, p.item_id, p.version_id, p.text, ts_rank(p.tokens, to_tsquery('simple', ${query})) as rank
            from knowledge_passages p
            where p.tokens @@ to_tsquery('simple', ${query})
          )
          select m.item_id, m.text, m.rank
          from matches m
          join knowledge_items i on i.id = m.item_id
          join knowledge_versions v on v.id = m.version_id
          where ${visibleScript(options)}
          order by m.rank desc, m.id
          limit ${options.limit * 10}`,
      );
      return rows.map((row) => ({ itemId: row.item_id, score: Number(row.rank), matchedText: row.text }));
    },

    async hybridSearch(vector, terms, options, fusion) {
      const literal = pgvector.toSql(Array.from(vector));
      // Terms contain only letters and digits (see searchTerms), so they are safe tsquery lexemes.
      const query = terms.length > 0 ? terms.map((term) => `'${term}'`).join(" | ") : null;
      const rows = await selectRows<{
        source: "vector" | "fulltext" | "version";
        item_id: string;
        text: string | null;
        score: number | null;
        version: PublishedScriptRow | null;
      }>(
        db,
        sql`
          with nearest as materialized (
            select p.item_id, p.version_id, p.text, p.embedding <=> ${literal}::vector as distance
            from knowledge_passages p
            order by p.embedding <=> ${literal}::vector
            limit ${VECTOR_CANDIDATES}
          ),
          vector_hits as (
            select n.item_id, n.text, 1 - n.distance as score, row_number() over (order by n.distance) as position
            from nearest n
            join knowledge_items i on i.id = n.item_id
            join knowledge_versions v on v.id = n.version_id
            where ${visibleScript(options)}
            order by n.distance
            limit ${options.limit * 5}
          ),
          matches as materialized (
            select p.id, p.item_id, p.version_id, p.text,
                   ts_rank(p.tokens, to_tsquery('simple', ${query})) as rank
            from knowledge_passages p
            where ${query}::text is not null and p.tokens @@ to_tsquery('simple', ${query})
          ),
          fulltext_hits as (
            select m.item_id, m.text, m.rank as score, row_number() over (order by m.rank desc, m.id) as position
            from matches m
            join knowledge_items i on i.id = m.item_id
            join knowledge_versions v on v.id = m.version_id
            where ${visibleScript(options)}
            order by m.rank desc, m.id
            limit ${options.limit * 10}
          ),
          -- fuseRankings over each item's best hit, to read only the versions of the first items.
          ranked as (
            select item_id, ${fusion.weights.vector}::float8 / (${fusion.k} + row_number() over (order by max(score) desc, item_id)) as part
            from vector_hits group by item_id
            union all
            select item_id, ${fusion.weights.fulltext}::float8 / (${fusion.k} + row_number() over (order by max(score) desc, item_id))
            from fulltext_hits group by item_id
          ),
          first_items as (
            select item_id from ranked group by item_id
            order by sum(part) desc, item_id
            limit ${options.limit * HYBRID_VERSIONS_PER_RESULT}
          )
          select 'vector' as source, item_id, text, score, position, null::json as version from vector_hits
          union all
          select 'fulltext', item_id, text, score, position, null::json from fulltext_hits
          union all
          select 'version', v.item_id, null, null, null,
                 json_build_object('item_id', v.item_id, 'version', v.version, 'title', v.title,
                   'question', v.question, 'answer', v.answer, 'basis', v.basis,
                   'basis_detail', v.basis_detail, 'departments', v.departments,
                   'category', v.category, 'region', v.region, 'valid_to', v.valid_to)
          from knowledge_versions v
          join knowledge_items i on i.id = v.item_id and v.version = i.published_version
          where v.item_id in (select item_id from first_items)
          order by 1, 5`,
      );
      const hit = (row: (typeof rows)[number]) => ({
        itemId: row.item_id,
        score: Number(row.score),
        matchedText: row.text ?? "",
      });
      return {
        vector: rows.filter((row) => row.source === "vector").map(hit),
        fulltext: rows.filter((row) => row.source === "fulltext").map(hit),
        versions: rows.flatMap((row) => {
          if (row.source !== "version" || !row.version) return [];
          const version =
            typeof row.version === "string" ? (JSON.parse(row.version) as PublishedScriptRow) : row.version;
          return [
            {
              itemId: version.item_id,
              version: version.version,
              title: version.title,
              question: version.question,
              answer: version.answer,
              basis: version.basis_detail ?? parseLegacyBasis(version.basis),
              departments: version.departments,
              category: version.category as PublishedScript["category"],
              region: version.region as PublishedScript["region"],
              validTo: version.valid_to,
            },
          ];
        }),
      };
    },

    async publishedVersions(itemIds) {
      if (itemIds.length === 0) return [];
      const rows = await db
        .select({ version: knowledgeVersions })
        .from(knowledgeVersions)
        .innerJoin(knowledgeItems, versionOfItem(knowledgeVersions, knowledgeItems.publishedVersion))
        .where(inArray(knowledgeVersions.itemId, [...itemIds]));
      return rows.map((row) => toVersion(row.version));
    },

    async expiringBetween(from, to) {
      const rows = await db
        .select({ version: knowledgeVersions })
        .from(knowledgeVersions)
        .innerJoin(knowledgeItems, versionOfItem(knowledgeVersions, knowledgeItems.publishedVersion))
        .where(
          and(
            eq(knowledgeItems.status, "published"),
            sql`${knowledgeVersions.validTo} between ${from}::date and ${to}::date`,
          ),
        )
        .orderBy(asc(knowledgeVersions.validTo));
      return rows.map((row) => toVersion(row.version));
    },

    async saveHitTestRun(run) {
      const [row] = await db.insert(hitTestRuns).values(run).returning();
      if (!row) throw new Error("saving a hit-test run returned nothing");
      return toRun(row);
    },

    async listHitTestRuns(limit) {
      const rows = await db
        .select({
          id: hitTestRuns.id,
          name: hitTestRuns.name,
          actor: hitTestRuns.actor,
          createdAt: hitTestRuns.createdAt,
          config: hitTestRuns.config,
          metrics: hitTestRuns.metrics,
        })
        .from(hitTestRuns)
        .orderBy(desc(hitTestRuns.id))
        .limit(limit);
      return rows.map((row) => {
        const { cases: _cases, ...run } = toRun({ ...row, cases: [] });
        return run;
      });
    },

    async getHitTestRun(id) {
      const [row] = await db.select().from(hitTestRuns).where(eq(hitTestRuns.id, id));
      return row ? toRun(row) : null;
    },
  };
  return repository;
}
