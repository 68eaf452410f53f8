import type { HandlingRules } from "#domain/deadlines";
import { ValidationError } from "#domain/errors";
import { buildLexicon, type Lexicon } from "#domain/knowledge/lexicon";
import type { KnowledgeBundle } from "#domain/knowledge/schema";
import type { Clock, Embedder } from "#domain/ports";
import {
  applyReference,
  type EffectiveIds,
  REFERENCE_FILES,
  REFERENCE_KINDS,
  type ReferenceKind,
  type ReferenceRepository,
  type ReferenceVersion,
  referenceFromBundle,
  referenceHash,
  validateReference,
} from "#domain/reference";
import type { ServiceDeps } from "./deps";
import { createSuggestContext, type SuggestContext } from "./signals";

/** Who the knowledge sync writes its versions as. */
export const REFERENCE_SYNC_ACTOR = "knowledge-sync";
/** How often a replica asks which versions are in force (one indexed query of a few rows). */
export const REFERENCE_POLL_MS = 2000;
/** An effective date this far in the past is a clock difference, taken as "now". */
const PAST_TOLERANCE_MS = 5 * 60_000;

/** What the suggest engine and query processing serve, from one set of reference versions. */
export interface ReferenceSnapshot {
  readonly suggest: SuggestContext;
  readonly lexicon: Lexicon;
  /** The knowledge bundle with the versions in force in place of the files' content. */
  readonly bundle: KnowledgeBundle & { rules: HandlingRules };
  /** The version id in force per kind (absent: the files' content, nothing stored yet). */
  readonly versions: EffectiveIds;
}

/**
 * The reference data this replica serves, swapped whole when another version comes into force:
 * a request takes one snapshot when it starts (see withRequestContext) and keeps it to the end.
 */
export interface LiveReference {
  current(): ReferenceSnapshot;
  /** Department codes of the dispatch catalogue, the fixed contract (departments.tsv). */
  readonly catalogueCodes: ReadonlySet<string>;
  /** Reads which versions are in force; builds and swaps in a new snapshot when they changed. */
  refresh(): Promise<boolean>;
  /** Refreshes every `intervalMs` until the returned function is called. */
  watch(intervalMs: number, onError: (error: unknown) => void): () => void;
}

/**
 * The live reference data of a replica, starting from the files' bundle (and, when given, the
 * suggest context already built from it). `refresh()` applies what the database holds.
 *
 * @example
 * const live = createLiveReference({ bundle, embedder, repository: deps.reference, clock });
 * await live.refresh();
 * const stop = live.watch(REFERENCE_POLL_MS, (error) => logger.warn({ err: error }));
 */
export function createLiveReference(options: {
  bundle: KnowledgeBundle & { rules: HandlingRules };
  embedder: Embedder;
  repository: ReferenceRepository;
  clock: Clock;
  /** The context already built from `bundle` (start-up), reused until a version replaces it. */
  suggest?: SuggestContext;
  lexicon?: Lexicon;
  onSwap?: (versions: EffectiveIds, skipped: { id: number; kind: ReferenceKind; message: string }[]) => void;
}): LiveReference {
  const base = options.bundle;
  let snapshot: ReferenceSnapshot = {
    suggest: options.suggest ?? createSuggestContext(base, options.embedder),
    lexicon: options.lexicon ?? buildLexicon(base),
    bundle: base,
    versions: {},
  };
  let refreshing: Promise<boolean> | null = null;

  const build = async (ids: EffectiveIds): Promise<boolean> => {
    const versions = await options.repository.byIds(Object.values(ids));
    const { bundle, skipped } = applyReference(base, versions);
    const previous = snapshot;
    const same = (kind: ReferenceKind) =>
      referenceHash(referenceFromBundle(bundle, kind)) ===
      referenceHash(referenceFromBundle(previous.bundle, kind));
    const fresh = createSuggestContext(bundle, options.embedder);
    // Parts of unchanged kinds are kept, with the embeddings they already hold.
    const suggest: SuggestContext = {
      ...fresh,
      ...(same("departments")
        ? {
            catalogue: previous.suggest.catalogue,
            departmentNames: previous.suggest.departmentNames,
            labelIndex: previous.suggest.labelIndex,
          }
        : {}),
      ...(same("emergencies")
        ? { emergencies: previous.suggest.emergencies, urgencyIndex: previous.suggest.urgencyIndex }
        : {}),
      ...(same("duties") ? { duties: previous.suggest.duties ?? null } : {}),
      ...(same("market-entity") ? { marketEntity: previous.suggest.marketEntity ?? null } : {}),
    };
    // Embedded before the swap, so no request waits for the new labels or phrasings.
    await Promise.all([suggest.labelIndex(), suggest.urgencyIndex()]);
    snapshot = {
      suggest,
      lexicon: same("synonyms") ? previous.lexicon : buildLexicon(bundle),
      bundle,
      versions: ids,
    };
    options.onSwap?.(ids, skipped);
    return true;
  };

  const refresh = async (): Promise<boolean> => {
    const ids = await options.repository.effectiveIds(options.clock.now());
    const current = snapshot.versions;
    const changed =
      REFERENCE_KINDS.some((kind) => ids[kind] !== current[kind]) ||
      Object.keys(ids).length !== Object.keys(current).length;
    return changed ? build(ids) : false;
  };

  return {
    current: () => snapshot,
    catalogueCodes: new Set(base.departments.map((department) => department.code)),
    refresh() {
      // One refresh at a time: a poll during a slow rebuild joins it.
      refreshing ??= refresh().finally(() => {
        refreshing = null;
      });
      return refreshing;
    },
    watch(intervalMs, onError) {
      const timer = setInterval(() => {
        this.refresh().catch(onError);
      }, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

/**
 * Deps for one request: the suggest context and lexicon of the snapshot in force when it
 * started, so a version swapped in meanwhile never mixes with the old one inside a request.
 * The copy is made once per snapshot, not per request.
 *
 * @example
 * c.set("deps", pinReference(deps));
 */
export function referencePinner<D extends { suggest: SuggestContext; lexicon: Lexicon }>(
  deps: D,
  live: LiveReference | undefined,
): () => D {
  if (!live) return () => deps;
  let pinnedFor: ReferenceSnapshot | null = null;
  let pinned = deps;
  return () => {
    const snapshot = live.current();
    if (snapshot !== pinnedFor) {
      pinned = { ...deps, suggest: snapshot.suggest, lexicon: snapshot.lexicon };
      pinnedFor = snapshot;
    }
    return pinned;
  };
}

/** What `GET /v1/admin/reference/{kind}` shows. */
export interface ReferenceView {
  kind: ReferenceKind;
  file: string;
  /** The version in force (null: none stored yet; the files' content is served). */
  current: ReferenceVersion | null;
  /** What this replica serves now (its snapshot's content of the kind). */
  served: { versionId: number | null; content: unknown };
  /** Versions with a future effective date, soonest first. */
  scheduled: Omit<ReferenceVersion, "content">[];
  /** Every version, newest first (without content). */
  history: Omit<ReferenceVersion, "content">[];
}

function withoutContent({ content: _content, ...rest }: ReferenceVersion): Omit<ReferenceVersion, "content"> {
  return rest;
}

/**
 * A kind's version in force, scheduled versions and history.
 *
 * @example
 * const view = await getReference({ deps, input: { kind: "departments" } });
 */
export async function getReference({
  deps,
  input,
}: {
  deps: Pick<ServiceDeps, "reference" | "clock" | "liveReference">;
  input: { kind: ReferenceKind; historyLimit?: number };
}): Promise<ReferenceView> {
  const now = deps.clock.now();
  const ids = await deps.reference.effectiveIds(now);
  const id = ids[input.kind];
  const [current] = id === undefined ? [] : await deps.reference.byIds([id]);
  const history = await deps.reference.history(input.kind, input.historyLimit ?? 50);
  const snapshot = deps.liveReference?.current();
  return {
    kind: input.kind,
    file: REFERENCE_FILES[input.kind],
    current: current ?? null,
    served: {
      versionId: snapshot?.versions[input.kind] ?? null,
      content: snapshot ? referenceFromBundle(snapshot.bundle, input.kind) : (current?.content ?? null),
    },
    scheduled: history
      .filter((version) => new Date(version.effectiveFrom) > now)
      .sort((left, right) => left.effectiveFrom.localeCompare(right.effectiveFrom))
      .map(withoutContent),
    history: history.map(withoutContent),
  };
}

/**
 * Stores a new version of a kind from an admin: checked with the schema and cross-file rules of
 * `knowledge:check` against the data in force (department codes must be the catalogue's),
 * audited, in force from `effectiveFrom` (default now) on every replica. This replica applies it
 * at once; the others on their next poll.
 *
 * @example
 * await putReference({ deps, input: { kind: "synonyms", content, note: "新增口语说法" }, actor: "admin" });
 */
export async function putReference({
  deps,
  input,
  actor,
}: {
  deps: Pick<ServiceDeps, "transact" | "clock" | "liveReference">;
  input: {
    kind: ReferenceKind;
    content: unknown;
    effectiveFrom?: string | undefined;
    note?: string | undefined;
  };
  actor: string;
}): Promise<ReferenceVersion> {
  const live = deps.liveReference;
  if (!live) throw new ValidationError("reference data is not served from the database here");
  const now = deps.clock.now();
  let effectiveFrom = now;
  if (input.effectiveFrom !== undefined) {
    const at = new Date(input.effectiveFrom);
    if (Number.isNaN(at.getTime()))
      throw new ValidationError(`effectiveFrom ${input.effectiveFrom} is not a time`);
    // A past date would sit behind the version in force and never apply: refused, not guessed.
    if (at.getTime() < now.getTime() - PAST_TOLERANCE_MS)
      throw new ValidationError(`effectiveFrom ${input.effectiveFrom} is in the past; leave it out for now`);
    if (at > now) effectiveFrom = at;
  }
  const { content, issues } = validateReference(
    input.kind,
    input.content,
    live.current().bundle,
    live.catalogueCodes,
  );
  if (issues.length > 0) {
    throw new ValidationError(
      `${REFERENCE_FILES[input.kind]}: ${issues
        .slice(0, 10)
        .map((issue) => issue.message)
        .join("; ")}${issues.length > 10 ? `; … ${issues.length - 10} more` : ""}`,
      { issues },
    );
  }
  const stored = await deps.transact(async ({ reference, audit }) => {
    const inForce = (await reference.effectiveIds(now))[input.kind];
    const [before] = inForce === undefined ? [] : await reference.byIds([inForce]);
    const version = await reference.insert({
      kind: input.kind,
      content,
      contentHash: referenceHash(content),
      source: "api",
      effectiveFrom,
      createdBy: actor,
      note: input.note ?? null,
    });
    await audit.append(
      {
        actor,
        action: "reference.put",
        entityType: "reference",
        entityId: input.kind,
        before: before ? summary(before) : null,
        after: summary(version),
        ...(input.note ? { reason: input.note } : {}),
      },
      now,
    );
    return version;
  });
  if (effectiveFrom <= now) await live.refresh();
  return stored;
}

function summary(version: ReferenceVersion) {
  return {
    id: version.id,
    version: version.version,
    contentHash: version.contentHash,
    source: version.source,
    effectiveFrom: version.effectiveFrom,
  };
}

/**
 * Brings the reviewed files into the versions: a kind whose file content differs from the last
 * version the sync wrote gets a new version, in force now (and so over an admin's version; the
 * files stay the reviewed source). Unchanged files write nothing. Run under the sync's lock.
 *
 * @example
 * const { written } = await syncReference({ deps, input: { bundle } });
 */
export async function syncReference({
  deps,
  input,
}: {
  deps: Pick<ServiceDeps, "transact" | "clock">;
  input: { bundle: KnowledgeBundle };
}): Promise<{ written: { kind: ReferenceKind; version: number }[] }> {
  const now = deps.clock.now();
  return deps.transact(async ({ reference, audit }) => {
    const written: { kind: ReferenceKind; version: number }[] = [];
    for (const kind of REFERENCE_KINDS) {
      const content = referenceFromBundle(input.bundle, kind);
      if (content === null) continue; // an optional file that is not there
      const hash = referenceHash(content);
      if ((await reference.latestFromFiles(kind))?.contentHash === hash) continue;
      const version = await reference.insert({
        kind,
        content,
        contentHash: hash,
        source: "files",
        effectiveFrom: now,
        createdBy: REFERENCE_SYNC_ACTOR,
        note: `knowledge/${REFERENCE_FILES[kind]}`,
      });
      await audit.append(
        {
          actor: REFERENCE_SYNC_ACTOR,
          action: "reference.sync",
          entityType: "reference",
          entityId: kind,
          after: summary(version),
        },
        now,
      );
      written.push({ kind, version: version.version });
    }
    return { written };
  });
}
