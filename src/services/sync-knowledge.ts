import { contentHash } from "#domain/knowledge/hash";
import { lexiconHash } from "#domain/knowledge/lexicon";
import { type PassageDraft, passagesOf, scriptContent } from "#domain/knowledge/passages";
import type { CategoryRow, KnowledgeRepository, PassageInput } from "#domain/knowledge/repository";
import type { KnowledgeBundle, Script } from "#domain/knowledge/schema";
import { CANCELLED_ON_RETIRE, syncDecision } from "#domain/knowledge/workflow";
import type { Embedder, Segmenter } from "#domain/ports";
import type { Transact } from "#domain/repositories";

export const FILE_SYNC_SCOPE = "knowledge-files";
/**
 * The lexicon (dictionary, stop words, synonyms) the passages were cut with: a change re-tokenises
 * every indexed passage, not only those of changed scripts.
 */
export const LEXICON_SYNC_SCOPE = "knowledge-lexicon";
export const FILE_AUTHOR = "knowledge-files";
/** The audit actor of the file sync (the files' own authors are in git, not here). */
export const SYNC_ACTOR = "sync:knowledge-files";
const EMBED_CHUNK = 64;

export interface SyncDeps {
  knowledge: KnowledgeRepository;
  embedder: Embedder;
  segmenter: Segmenter;
  /** Writes, audit entries included, land in one transaction. */
  transact: Transact;
  clock: { now(): Date };
}

export interface SyncProgress {
  phase: "embedding" | "writing";
  done: number;
  total: number;
}

export interface SyncReport {
  changed: boolean;
  departments: number;
  categories: number;
  scripts: {
    total: number;
    created: number;
    updated: number;
    unchanged: number;
    retired: number;
    reembedded: number;
    /** Unchanged scripts whose passages were re-cut because the lexicon changed. */
    retokenised: number;
    /** Ids of retired scripts whose file changed: not synced, they stay retired (review #15). */
    skippedRetired: string[];
  };
  passagesEmbedded: number;
  durationMs: number;
}

function categoryRows(bundle: KnowledgeBundle): CategoryRow[] {
  const rows: CategoryRow[] = [];
  for (const level1 of bundle.taxonomy) {
    rows.push({ path: [level1.name], departments: [] });
    for (const level2 of level1.children) {
      rows.push({ path: [level1.name, level2.name], departments: [] });
      for (const leaf of level2.children) {
        rows.push({ path: [level1.name, level2.name, leaf.name], departments: leaf.departments });
      }
    }
  }
  return rows;
}

type Plan =
  | { kind: "create"; script: Script; hash: string }
  | { kind: "update"; script: Script; hash: string; latestVersion: number; publishedVersion: number | null }
  | { kind: "reembed"; script: Script; versionId: number }
  | { kind: "retokenise"; script: Script };

/**
 * Imports knowledge/ into the database idempotently. Keyed by script id + content hash + model id:
 * unchanged scripts are left alone, a changed script gets a new published version (file changes are
 * reviewed in code review), scripts deleted from the files are retired, and everything is
 * re-embedded when the model changes. Embeds first, then writes in one transaction, so a sync
 * killed halfway leaves the previous state and a rerun converges.
 *
 * Review #15: every version the sync creates, and every script it retires, gets its own audit
 * entry (actor `sync:knowledge-files`) in the same transaction, so each script's audit trail shows
 * it. A script retired in the database stays retired: a changed file for it is skipped and listed
 * in `scripts.skippedRetired` (un-retiring is not something a file can do).
 *
 * @example
 * const report = await syncKnowledge({ deps, input: { bundle }, onProgress: console.log });
 */
export async function syncKnowledge({
  deps,
  input,
  onProgress,
}: {
  deps: SyncDeps;
  input: { bundle: KnowledgeBundle; force?: boolean };
  onProgress?: (progress: SyncProgress) => void;
}): Promise<SyncReport> {
  const started = performance.now();
  const { bundle } = input;
  const { knowledge, embedder, segmenter } = deps;
  const fingerprint = contentHash(bundle);
  const report: SyncReport = {
    changed: false,
    departments: bundle.departments.length,
    categories: 0,
    scripts: {
      total: bundle.scripts.length,
      created: 0,
      updated: 0,
      unchanged: 0,
      retired: 0,
      reembedded: 0,
      retokenised: 0,
      skippedRetired: [],
    },
    passagesEmbedded: 0,
    durationMs: 0,
  };
  const previous = await knowledge.getSyncState(FILE_SYNC_SCOPE);
  const staleEmbeddings = await knowledge.countPassagesNotEmbeddedWith(embedder.modelId);
  const lexicon = lexiconHash(bundle);
  // Unknown (a database synced before the lexicon was tracked) counts as changed: re-cut once.
  const lexiconChanged = (await knowledge.getSyncState(LEXICON_SYNC_SCOPE))?.contentHash !== lexicon;
  if (
    !input.force &&
    !lexiconChanged &&
    previous?.contentHash === fingerprint &&
    previous.embeddingModel === embedder.modelId &&
    staleEmbeddings === 0
  ) {
    report.durationMs = Math.round(performance.now() - started);
    return report;
  }
  report.changed = true;
  const stopWords = new Set(bundle.stopWords);
  const segment = (text: string) => segmenter.cutForSearch(text);

  // 1. Decide what each script needs.
  const plans: Plan[] = [];
  const itemsById = new Map((await knowledge.listItems()).map((item) => [item.id, item]));
  const modelChanged =
    staleEmbeddings > 0 || (previous !== null && previous.embeddingModel !== embedder.modelId);
  for (const script of bundle.scripts) {
    const hash = contentHash(scriptContent(script));
    const item = itemsById.get(script.id) ?? null;
    const decision = syncDecision(item);
    if (!item || decision === "create") {
      plans.push({ kind: "create", script, hash });
      continue;
    }
    const known = await knowledge.fileVersionHashes(script.id);
    // A file that equals the live wording (e.g. exported after an editor's change) is no change.
    const live =
      item.publishedVersion === null ? null : await knowledge.getVersion(script.id, item.publishedVersion);
    if (!known.includes(hash) && live?.contentHash !== hash) {
      if (decision === "skip-retired") {
        report.scripts.skippedRetired.push(script.id);
        continue;
      }
      plans.push({
        kind: "update",
        script,
        hash,
        latestVersion: item.latestVersion,
        publishedVersion: item.publishedVersion,
      });
    } else if (modelChanged && item.publishedVersion !== null && item.status === "published") {
      const published = await knowledge.getVersion(script.id, item.publishedVersion);
      if (published) {
        plans.push({
          kind: "reembed",
          script: { id: script.id, ...published },
          versionId: published.versionId,
        });
      }
    } else if (lexiconChanged && item.publishedVersion !== null && item.status === "published") {
      const published = await knowledge.getVersion(script.id, item.publishedVersion);
      if (published) plans.push({ kind: "retokenise", script: { id: script.id, ...published } });
    } else {
      report.scripts.unchanged += 1;
    }
  }

  // 2. Embed every passage that will be written (outside the transaction: it is the slow part).
  const drafts = new Map<string, PassageDraft[]>();
  for (const plan of plans) drafts.set(plan.script.id, passagesOf(plan.script, segment, stopWords));
  // Re-cut passages keep their embeddings (the text, hence its meaning, is the same).
  const embedIds = new Set(plans.filter((plan) => plan.kind !== "retokenise").map((plan) => plan.script.id));
  const allTexts = [...drafts.entries()]
    .filter(([id]) => embedIds.has(id))
    .flatMap(([, list]) => list.map((draft) => draft.text));
  const vectors = new Map<string, Float32Array>();
  for (let offset = 0; offset < allTexts.length; offset += EMBED_CHUNK) {
    const chunk = allTexts.slice(offset, offset + EMBED_CHUNK);
    const embedded = await embedder.embed(chunk);
    chunk.forEach((text, index) => {
      const vector = embedded[index];
      if (vector) vectors.set(text, vector);
    });
    onProgress?.({
      phase: "embedding",
      done: Math.min(offset + EMBED_CHUNK, allTexts.length),
      total: allTexts.length,
    });
  }
  report.passagesEmbedded = allTexts.length;
  const passagesFor = (id: string): PassageInput[] =>
    (drafts.get(id) ?? []).map((draft) => {
      const embedding = vectors.get(draft.text);
      if (!embedding) throw new Error(`no embedding for passage "${draft.text}" of ${id}`);
      return { ...draft, embedding, embeddingModel: embedder.modelId };
    });

  // 3. Write everything in one transaction.
  const fileIds = new Set(bundle.scripts.map((script) => script.id));
  await deps.transact(async ({ knowledge: repository, audit }) => {
    const now = deps.clock.now();
    await repository.replaceDepartments(bundle.departments);
    const categories = categoryRows(bundle);
    report.categories = categories.length;
    await repository.replaceCategories(categories);

    let written = 0;
    for (const plan of plans) {
      const content = scriptContent(plan.script);
      if (plan.kind === "retokenise") {
        const passages = (drafts.get(plan.script.id) ?? []).map(({ text, tokens }) => ({ text, tokens }));
        await repository.retokenisePassages(plan.script.id, passages);
        report.scripts.retokenised += 1;
      } else if (plan.kind === "reembed") {
        await repository.replacePassages(plan.script.id, plan.versionId, passagesFor(plan.script.id));
        report.scripts.reembedded += 1;
      } else {
        const latest = plan.kind === "create" ? 0 : plan.latestVersion;
        if (plan.kind === "create" && !(await repository.createItem(plan.script.id))) {
          throw new Error(`script ${plan.script.id} was created while syncing; run the sync again`);
        }
        if (!(await repository.advanceLatestVersion(plan.script.id, latest))) {
          throw new Error(`script ${plan.script.id} changed while syncing; run the sync again`);
        }
        if (plan.kind === "update" && plan.publishedVersion !== null) {
          const old = await repository.getVersion(plan.script.id, plan.publishedVersion);
          if (old) await repository.transitionVersionState(old.versionId, "published", "superseded");
        }
        const version = await repository.insertVersion({
          ...content,
          itemId: plan.script.id,
          version: latest + 1,
          state: "published",
          contentHash: plan.hash,
          source: "file",
          author: FILE_AUTHOR,
          authorPerson: FILE_AUTHOR,
          baseVersion: plan.kind === "update" ? plan.publishedVersion : null,
          changeNote: "synced from knowledge files",
        });
        await repository.setItemStatus(plan.script.id, "published", version.version);
        await repository.replacePassages(plan.script.id, version.versionId, passagesFor(plan.script.id));
        await audit.append(
          {
            actor: SYNC_ACTOR,
            action: plan.kind === "create" ? "script.sync-create" : "script.sync-update",
            entityType: "script",
            entityId: plan.script.id,
            before: plan.kind === "update" ? { publishedVersion: plan.publishedVersion } : null,
            after: { version: version.version, publishedVersion: version.version, contentHash: plan.hash },
            reason: "synced from knowledge files",
          },
          now,
        );
        report.scripts[plan.kind === "create" ? "created" : "updated"] += 1;
      }
      written += 1;
      onProgress?.({ phase: "writing", done: written, total: plans.length });
    }

    // Scripts whose live wording came from a file that no longer exists are retired.
    for (const item of itemsById.values()) {
      if (fileIds.has(item.id) || item.status !== "published" || item.publishedVersion === null) continue;
      const published = await repository.getVersion(item.id, item.publishedVersion);
      if (published?.source !== "file") continue;
      await repository.setItemStatus(item.id, "retired", item.publishedVersion);
      await repository.deletePassages(item.id);
      // As a retirement through the API: pending wording dies with the script (review #6).
      for (const version of await repository.listVersions(item.id)) {
        if (!CANCELLED_ON_RETIRE.includes(version.state)) continue;
        await repository.transitionVersionState(version.versionId, version.state, "rejected", {
          reviewer: SYNC_ACTOR,
          reviewerPerson: SYNC_ACTOR,
          comment: "口径已停用：知识文件已删除",
          at: now,
        });
      }
      await audit.append(
        {
          actor: SYNC_ACTOR,
          action: "script.sync-retire",
          entityType: "script",
          entityId: item.id,
          before: { status: item.status },
          after: { status: "retired" },
          reason: "its file was removed from knowledge/",
        },
        now,
      );
      report.scripts.retired += 1;
    }
    await repository.setSyncState(FILE_SYNC_SCOPE, fingerprint, embedder.modelId);
    await repository.setSyncState(LEXICON_SYNC_SCOPE, lexicon, embedder.modelId);
  });
  report.durationMs = Math.round(performance.now() - started);
  return report;
}
