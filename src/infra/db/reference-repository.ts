import { and, desc, eq, inArray, lte, sql } from "drizzle-orm";
import { ConflictError } from "#domain/errors";
import {
  type EffectiveIds,
  REFERENCE_KINDS,
  type ReferenceKind,
  type ReferenceRepository,
  type ReferenceVersion,
} from "#domain/reference";
import type { Db } from "./client";
import { referenceVersions } from "./schema/index";

function toVersion(row: typeof referenceVersions.$inferSelect): ReferenceVersion {
  return {
    id: row.id,
    kind: row.kind as ReferenceKind,
    version: row.version,
    content: row.content,
    contentHash: row.contentHash,
    source: row.source === "files" ? "files" : "api",
    effectiveFrom: row.effectiveFrom.toISOString(),
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
    note: row.note,
  };
}

/** Reference-data versions in the shared database (see schema/reference-versions.ts). */
export function createReferenceRepository(db: Db): ReferenceRepository {
  return {
    async effectiveIds(at) {
      const rows = await db
        .selectDistinctOn([referenceVersions.kind], {
          kind: referenceVersions.kind,
          id: referenceVersions.id,
        })
        .from(referenceVersions)
        .where(lte(referenceVersions.effectiveFrom, at))
        .orderBy(referenceVersions.kind, desc(referenceVersions.effectiveFrom), desc(referenceVersions.id));
      const ids: EffectiveIds = {};
      for (const row of rows) {
        // A kind this release no longer knows is ignored rather than served.
        if ((REFERENCE_KINDS as readonly string[]).includes(row.kind))
          ids[row.kind as ReferenceKind] = row.id;
      }
      return ids;
    },
    async byIds(ids) {
      if (ids.length === 0) return [];
      const rows = await db
        .select()
        .from(referenceVersions)
        .where(inArray(referenceVersions.id, [...ids]));
      return rows.map(toVersion);
    },
    async history(kind, limit) {
      const rows = await db
        .select()
        .from(referenceVersions)
        .where(eq(referenceVersions.kind, kind))
        .orderBy(desc(referenceVersions.version))
        .limit(limit);
      return rows.map(toVersion);
    },
    async latestFromFiles(kind) {
      const [row] = await db
        .select()
        .from(referenceVersions)
        .where(and(eq(referenceVersions.kind, kind), eq(referenceVersions.source, "files")))
        .orderBy(desc(referenceVersions.version))
        .limit(1);
      return row ? toVersion(row) : null;
    },
    async insert(entry) {
      const [highest] = await db
        .select({ version: sql<number>`coalesce(max(${referenceVersions.version}), 0)`.mapWith(Number) })
        .from(referenceVersions)
        .where(eq(referenceVersions.kind, entry.kind));
      const version = (highest?.version ?? 0) + 1;
      // Two writers of one kind at once: the unique (kind, version) index lets one of them in.
      const [row] = await db
        .insert(referenceVersions)
        .values({ ...entry, version })
        .onConflictDoNothing()
        .returning();
      if (!row)
        throw new ConflictError(`${entry.kind} version ${version} was written meanwhile; send it again`);
      return toVersion(row);
    },
  };
}
