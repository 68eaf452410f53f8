import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { ClassifierArtifact } from "#domain/classifier/artifact";
import { deserialiseEngine, serialiseEngine } from "#domain/classifier/engine";
import type {
  GateEvaluation,
  ModelRepository,
  ModelStatus,
  ModelSummary,
  PromotedClassifierStore,
} from "#domain/classifier/registry";
import { ConflictError, NotFoundError } from "#domain/errors";
import type { ReadinessCheck } from "#domain/ports";
import type { Db } from "./client";
import { models } from "./schema/index";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

type ModelRow = typeof models.$inferSelect;
const summaryColumns = {
  version: models.version,
  createdAt: models.createdAt,
  status: models.status,
  embeddingModel: models.embeddingModel,
  trainedOn: models.trainedOn,
  metrics: models.metrics,
  evaluation: models.evaluation,
  reasons: models.reasons,
  promotedAt: models.promotedAt,
  promotedBy: models.promotedBy,
  retiredAt: models.retiredAt,
  rolledBackAt: models.rolledBackAt,
};

function toSummary(row: Omit<ModelRow, "artifact">): ModelSummary {
  return {
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    status: row.status as ModelStatus,
    embeddingModel: row.embeddingModel,
    trainedOn: row.trainedOn as Record<string, unknown>,
    metrics: row.metrics as ClassifierArtifact["metrics"],
    evaluation: (row.evaluation as GateEvaluation | null) ?? null,
    reasons: row.reasons,
    promotedAt: row.promotedAt?.toISOString() ?? null,
    promotedBy: row.promotedBy,
    retiredAt: row.retiredAt?.toISOString() ?? null,
    rolledBackAt: row.rolledBackAt?.toISOString() ?? null,
  };
}

/** gzip-compressed JSON of the artifact (the engine's weights are mostly numbers: ~5× smaller). */
export async function encodeArtifact(artifact: ClassifierArtifact): Promise<Buffer> {
  const { model, ...summary } = artifact;
  return gzipAsync(Buffer.from(JSON.stringify({ ...summary, model: serialiseEngine(model) })));
}

export async function decodeArtifact(bytes: Uint8Array): Promise<ClassifierArtifact> {
  const raw = JSON.parse((await gunzipAsync(Buffer.from(bytes))).toString("utf8")) as Omit<
    ClassifierArtifact,
    "model"
  > & { model: unknown };
  if (typeof raw.version !== "string" || raw.model === undefined)
    throw new Error("not a classifier artifact");
  return { ...raw, model: deserialiseEngine(raw.model) };
}

/**
 * Models in the database (PGlite or PostgreSQL), shared by every replica.
 *
 * @example
 * const registry = createModelRepository(db);
 * await registry.insert(artifact, { status: "candidate", evaluation: null, reasons: [] });
 */
export function createModelRepository(db: Db): ModelRepository {
  return {
    async insert(artifact, entry) {
      await db.insert(models).values({
        version: artifact.version,
        createdAt: new Date(artifact.createdAt),
        status: entry.status,
        embeddingModel: artifact.embeddingModel,
        trainedOn: artifact.trainedOn,
        metrics: artifact.metrics,
        evaluation: entry.evaluation,
        reasons: entry.reasons,
        artifact: await encodeArtifact(artifact),
      });
    },
    async list(limit) {
      const rows = await db.select(summaryColumns).from(models).orderBy(desc(models.createdAt)).limit(limit);
      return rows.map(toSummary);
    },
    async get(version) {
      const [row] = await db.select(summaryColumns).from(models).where(eq(models.version, version));
      return row ? toSummary(row) : null;
    },
    async load(version) {
      const [row] = await db
        .select({ artifact: models.artifact })
        .from(models)
        .where(eq(models.version, version));
      return row ? decodeArtifact(row.artifact) : null;
    },
    async promotedVersion() {
      const [row] = await db
        .select({ version: models.version })
        .from(models)
        .where(eq(models.status, "promoted"));
      return row?.version ?? null;
    },
    async promote(version, at, by, options = {}) {
      return db.transaction(async (tx) => {
        // Lock the promoted row and the target: two promotions at once are serialised.
        const [current] = await tx
          .select({ version: models.version })
          .from(models)
          .where(eq(models.status, "promoted"))
          .for("update");
        const [target] = await tx
          .select({ status: models.status, embeddingModel: models.embeddingModel })
          .from(models)
          .where(eq(models.version, version))
          .for("update");
        if (!target) throw new NotFoundError(`no model version ${version}`);
        if (current?.version === version) throw new ConflictError(`${version} is already promoted`);
        if (current) {
          await tx
            .update(models)
            .set({
              status: "retired",
              retiredAt: at,
              ...(options.rollingBack ? { rolledBackAt: at } : {}),
              reasons: sql`${models.reasons} || ${JSON.stringify([
                options.rollingBack ? `rolled back to ${version} by ${by}` : `replaced by ${version}`,
              ])}::jsonb`,
            })
            .where(eq(models.version, current.version));
        }
        await tx
          .update(models)
          .set({
            status: "promoted",
            promotedAt: at,
            promotedBy: by,
            retiredAt: null,
            ...(options.reason
              ? { reasons: sql`${models.reasons} || ${JSON.stringify([options.reason])}::jsonb` }
              : {}),
          })
          .where(eq(models.version, version));
        return { previous: current?.version ?? null };
      });
    },
    async previousPromoted() {
      const [row] = await db
        .select({ version: models.version })
        .from(models)
        .where(
          and(
            eq(models.status, "retired"),
            isNull(models.rolledBackAt),
            sql`${models.promotedAt} is not null`,
          ),
        )
        .orderBy(desc(models.promotedAt))
        .limit(1);
      return row?.version ?? null;
    },
    async setStatus(version, status, reasons, evaluation) {
      await db
        .update(models)
        .set({ status, reasons, ...(evaluation ? { evaluation } : {}) })
        .where(eq(models.version, version));
    },
  };
}

/** How long a replica trusts its idea of the promoted version before asking again (one tiny query). */
export const PROMOTED_CHECK_MS = 1000;

/**
 * The classifier a replica serves: the promoted row of the shared database. The version is asked
 * at most once per `checkMs` (an indexed one-row read); the artifact is loaded only when it
 * changed, so a promotion or rollback on any replica is served everywhere within about a second.
 * A version that cannot be decoded is reported once and the previous one kept.
 */
export function createDatabaseClassifierStore(
  registry: ModelRepository,
  options: { checkMs?: number; onInvalid?: (version: string, reason: string) => void } = {},
): PromotedClassifierStore & { rejected(): { version: string; reason: string }[] } {
  const checkMs = options.checkMs ?? PROMOTED_CHECK_MS;
  let loaded: ClassifierArtifact | null = null;
  let checkedAt = 0;
  let pending: Promise<ClassifierArtifact | null> | null = null;
  const bad = new Map<string, string>();

  const refresh = async (): Promise<ClassifierArtifact | null> => {
    let version: string | null;
    try {
      version = await registry.promotedVersion();
    } catch {
      // The database hiccupped: keep serving what is loaded, ask again at the next interval.
      checkedAt = Date.now();
      return loaded;
    }
    checkedAt = Date.now();
    if (version === null) {
      loaded = null;
      return null;
    }
    if (loaded?.version === version || bad.has(version)) return loaded;
    try {
      loaded = await registry.load(version);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      bad.set(version, reason);
      options.onInvalid?.(version, reason);
    }
    return loaded;
  };

  return {
    async save(artifact) {
      await registry.insert(artifact, { status: "candidate", evaluation: null, reasons: [] });
      return `database:${artifact.version}`;
    },
    async current() {
      if (Date.now() - checkedAt < checkMs) return loaded;
      // One refresh at a time: a burst of requests shares it.
      pending ??= refresh().finally(() => {
        pending = null;
      });
      return pending;
    },
    servedVersion: () => loaded?.version ?? null,
    rejected: () => [...bad.entries()].map(([version, reason]) => ({ version, reason })),
  };
}

/** Advisory `/readyz` check: which version is served, and any promoted one that could not be read. */
export function createModelCheck(store: ReturnType<typeof createDatabaseClassifierStore>): ReadinessCheck {
  return {
    name: "classifier",
    advisory: true,
    check: async () => {
      await store.current();
      const served = store.servedVersion();
      const serving = served ? `serving ${served}` : "no promoted classifier yet (suggestions untrained)";
      const rejected = store.rejected();
      if (rejected.length === 0) return { ok: true, detail: serving };
      return {
        ok: false,
        detail: `${serving}; could not read ${rejected.map(({ version, reason }) => `${version} (${reason.slice(0, 120)})`).join(", ")}: roll back or retrain`,
      };
    },
  };
}
