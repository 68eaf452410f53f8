import { z } from "zod";
import type { Principal } from "#domain/access";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "#domain/errors";
import { diffScripts, type FieldChange } from "#domain/knowledge/diff";
import { contentHash } from "#domain/knowledge/hash";
import { passagesOf, scriptContent } from "#domain/knowledge/passages";
import {
  type KnowledgeItem,
  type KnowledgeRepository,
  type PassageInput,
  SCRIPT_LIST_STATUSES,
  type ScriptContent,
  type ScriptSummary,
  type ScriptVersion,
} from "#domain/knowledge/repository";
import { ScriptSchema } from "#domain/knowledge/schema";
import type { Repositories } from "#domain/repositories";
import { maskPersonalData } from "#domain/text/pii";
import type { ServiceDeps } from "./deps";
import { chinaDate } from "./search-knowledge";

type EditDeps = Pick<ServiceDeps, "knowledge" | "transact" | "clock" | "embedder" | "segmenter" | "lexicon">;

export const ScriptContentSchema = ScriptSchema.omit({ id: true });

export interface ScriptView {
  item: KnowledgeItem;
  published: ScriptVersion | null;
  latest: ScriptVersion;
  /** Strong validator of the script's latest version; send it back as If-Match or baseVersion. */
  etag: string;
}

export function etagOf(item: Pick<KnowledgeItem, "id" | "latestVersion">): string {
  return `"${item.id}-v${item.latestVersion}"`;
}

async function loadView(knowledge: KnowledgeRepository, id: string): Promise<ScriptView> {
  const item = await knowledge.getItem(id);
  if (!item) throw new NotFoundError(`script ${id} does not exist`);
  const latest = await knowledge.getVersion(id, item.latestVersion);
  if (!latest) throw new NotFoundError(`script ${id} has no version ${item.latestVersion}`);
  const published =
    item.publishedVersion === null ? null : await knowledge.getVersion(id, item.publishedVersion);
  return { item, published, latest, etag: etagOf(item) };
}

export async function getScript({
  deps,
  input,
}: {
  deps: EditDeps;
  input: { id: string };
}): Promise<ScriptView> {
  return loadView(deps.knowledge, input.id);
}

async function requireVersion(
  knowledge: KnowledgeRepository,
  id: string,
  version: number,
): Promise<ScriptVersion> {
  const found = await knowledge.getVersion(id, version);
  if (!found) throw new NotFoundError(`script ${id} has no version ${version}`);
  return found;
}

export const CreateScriptInputSchema = ScriptSchema.extend({
  changeNote: z.string().max(500).transform(maskPersonalData).default(""),
  submit: z.boolean().default(true),
});

/**
 * Creates a new script as version 1, waiting for review (or as a draft with `submit: false`).
 * Nothing reaches agents until a different user approves and publishes it.
 */
export async function createScript({
  deps,
  input,
  actor,
}: {
  deps: EditDeps;
  input: z.input<typeof CreateScriptInputSchema>;
  actor: Principal;
}): Promise<ScriptView> {
  const { id, changeNote, submit, ...rest } = CreateScriptInputSchema.parse(input);
  const content = scriptContent(rest);
  await deps.transact(async ({ knowledge, audit }) => {
    if (await knowledge.getItem(id)) throw new ConflictError(`script ${id} already exists`);
    await knowledge.createItem(id);
    await knowledge.advanceLatestVersion(id, 0);
    const version = await knowledge.insertVersion({
      ...content,
      itemId: id,
      version: 1,
      state: submit ? "pending_review" : "draft",
      contentHash: contentHash(content),
      source: "api",
      author: actor.name,
      baseVersion: null,
      changeNote,
    });
    await audit.append(
      {
        actor: actor.name,
        action: "script.create",
        entityType: "script",
        entityId: id,
        after: { version: 1, state: version.state },
        reason: changeNote,
      },
      deps.clock.now(),
    );
  });
  return loadView(deps.knowledge, id);
}

export const EditScriptInputSchema = z.object({
  id: z.string(),
  baseVersion: z.number().int().min(1),
  content: ScriptContentSchema,
  changeNote: z.string().max(500).transform(maskPersonalData).default(""),
  submit: z.boolean().default(true),
});

/**
 * Saves an edit as a new version. The edit names the version it was based on; if someone else
 * saved a newer version meanwhile, nothing is written and a 409 carries the current version.
 * The published version stays live until the new one is approved and published.
 */
export async function editScript({
  deps,
  input,
  actor,
}: {
  deps: EditDeps;
  input: z.input<typeof EditScriptInputSchema>;
  actor: Principal;
}): Promise<ScriptView> {
  const { id, baseVersion, content: raw, changeNote, submit } = EditScriptInputSchema.parse(input);
  const content = scriptContent(raw);
  await deps.transact(async ({ knowledge, audit }) => {
    const item = await knowledge.getItem(id);
    if (!item) throw new NotFoundError(`script ${id} does not exist`);
    if (item.status === "retired") throw new ConflictError(`script ${id} is retired`);
    if (!(await knowledge.advanceLatestVersion(id, baseVersion))) {
      const current = await knowledge.getItem(id);
      const latest = current ? await knowledge.getVersion(id, current.latestVersion) : null;
      throw new ConflictError(
        `script ${id} was changed by someone else: your edit is based on version ${baseVersion}, the latest is ${current?.latestVersion}`,
        { currentVersion: current?.latestVersion, current: latest, etag: current ? etagOf(current) : null },
      );
    }
    const version = await knowledge.insertVersion({
      ...content,
      itemId: id,
      version: baseVersion + 1,
      state: submit ? "pending_review" : "draft",
      contentHash: contentHash(content),
      source: "api",
      author: actor.name,
      baseVersion,
      changeNote,
    });
    await audit.append(
      {
        actor: actor.name,
        action: "script.edit",
        entityType: "script",
        entityId: id,
        before: { version: baseVersion },
        after: { version: version.version, state: version.state },
        reason: changeNote,
      },
      deps.clock.now(),
    );
  });
  return loadView(deps.knowledge, id);
}

/** Sends a draft to the review queue. */
export async function submitVersion({
  deps,
  input,
  actor,
}: {
  deps: EditDeps;
  input: { id: string; version: number };
  actor: Principal;
}): Promise<ScriptView> {
  await deps.transact(async ({ knowledge, audit }) => {
    const version = await requireVersion(knowledge, input.id, input.version);
    if (version.state !== "draft" && version.state !== "rejected") {
      throw new ConflictError(`version ${input.version} of ${input.id} is ${version.state}, not a draft`);
    }
    await knowledge.setVersionState(version.versionId, "pending_review");
    await audit.append(
      {
        actor: actor.name,
        action: "script.submit",
        entityType: "script",
        entityId: input.id,
        after: { version: input.version },
      },
      deps.clock.now(),
    );
  });
  return loadView(deps.knowledge, input.id);
}

export const ReviewInputSchema = z
  .object({
    id: z.string(),
    version: z.number().int().min(1),
    decision: z.enum(["approve", "reject"]),
    comment: z.string().max(1000).transform(maskPersonalData).default(""),
    /** Approve and publish in one step (the usual case). */
    publish: z.boolean().default(true),
  })
  .refine((input) => input.decision === "approve" || input.comment.trim().length > 0, {
    message: "a rejection needs a comment",
    path: ["comment"],
  });

/**
 * A reviewer approves or rejects a version waiting for review. Two-person rule: the author of a
 * version can never approve it.
 */
export async function reviewVersion({
  deps,
  input,
  actor,
}: {
  deps: EditDeps;
  input: z.input<typeof ReviewInputSchema>;
  actor: Principal;
}): Promise<ScriptView> {
  const parsed = ReviewInputSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(parsed.error.issues.map((issue) => issue.message).join("; "));
  const { id, version: number, decision, comment, publish } = parsed.data;
  const version = await requireVersion(deps.knowledge, id, number);
  if (version.state !== "pending_review") {
    throw new ConflictError(`version ${number} of ${id} is ${version.state}, not waiting for review`);
  }
  if (samePerson(version.author, actor.name)) {
    throw new ForbiddenError(`two-person rule: ${actor.name} wrote version ${number} and cannot review it`);
  }
  if (decision === "reject") {
    await deps.transact(async ({ knowledge, audit }) => {
      await lockLiveItem(knowledge, id);
      const decided = await knowledge.transitionVersionState(
        version.versionId,
        "pending_review",
        "rejected",
        {
          reviewer: actor.name,
          comment,
          at: deps.clock.now(),
        },
      );
      if (!decided)
        throw new ConflictError(`version ${number} of ${id} was decided by someone else meanwhile`);
      await audit.append(
        {
          actor: actor.name,
          action: "script.reject",
          entityType: "script",
          entityId: id,
          after: { version: number },
          reason: comment,
        },
        deps.clock.now(),
      );
    });
    return loadView(deps.knowledge, id);
  }
  const passages = publish ? await embedPassages(deps, version) : null;
  await deps.transact(async (repositories) => {
    await lockLiveItem(repositories.knowledge, id);
    const decided = await repositories.knowledge.transitionVersionState(
      version.versionId,
      "pending_review",
      "approved",
      { reviewer: actor.name, comment: comment || null, at: deps.clock.now() },
    );
    if (!decided) throw new ConflictError(`version ${number} of ${id} was decided by someone else meanwhile`);
    await repositories.audit.append(
      {
        actor: actor.name,
        action: "script.approve",
        entityType: "script",
        entityId: id,
        after: { version: number },
        reason: comment,
      },
      deps.clock.now(),
    );
    if (passages)
      await publishInTransaction(deps, repositories, { ...version, state: "approved" }, passages, actor);
  });
  return loadView(deps.knowledge, id);
}

/**
 * Locks the item for the rest of the transaction and refuses a retired one (review #6: neither a
 * version pending before the retirement nor a rollback may bring the script back).
 */
async function lockLiveItem(knowledge: Repositories["knowledge"], id: string): Promise<KnowledgeItem> {
  const item = await knowledge.getItem(id, { forUpdate: true });
  if (!item) throw new NotFoundError(`script ${id} does not exist`);
  if (item.status === "retired") throw new ConflictError(`script ${id} is retired`);
  return item;
}

/**
 * Review #12: the two-person rule compares people, not key spellings — "Mallory", "mallory" and
 * "ＭＡＬＬＯＲＹ " are one person.
 */
export function samePerson(a: string, b: string): boolean {
  const identity = (name: string) => name.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();
  return identity(a) === identity(b);
}

/** Publishes an approved version: it becomes the wording agents see, the previous one is superseded. */
export async function publishVersion({
  deps,
  input,
  actor,
}: {
  deps: EditDeps;
  input: { id: string; version: number };
  actor: Principal;
}): Promise<ScriptView> {
  const version = await requireVersion(deps.knowledge, input.id, input.version);
  if (version.state !== "approved") {
    throw new ConflictError(
      `version ${input.version} of ${input.id} is ${version.state}; only approved versions can be published`,
    );
  }
  const passages = await embedPassages(deps, version);
  await deps.transact((repositories) => publishInTransaction(deps, repositories, version, passages, actor));
  return loadView(deps.knowledge, input.id);
}

async function embedPassages(deps: EditDeps, version: ScriptContent): Promise<PassageInput[]> {
  const drafts = passagesOf(version, (text) => deps.segmenter.cutForSearch(text), deps.lexicon.stopWords);
  const vectors = await deps.embedder.embed(drafts.map((draft) => draft.text));
  return drafts.map((draft, index) => {
    const embedding = vectors[index];
    if (!embedding) throw new Error(`no embedding for passage ${index}`);
    return { ...draft, embedding, embeddingModel: deps.embedder.modelId };
  });
}

async function publishInTransaction(
  deps: EditDeps,
  { knowledge, audit }: Repositories,
  version: ScriptVersion,
  passages: PassageInput[],
  actor: Principal,
): Promise<void> {
  const item = await lockLiveItem(knowledge, version.itemId);
  if (item.publishedVersion !== null && item.publishedVersion >= version.version) {
    throw new ConflictError(
      `version ${version.version} of ${version.itemId} is older than the published version ${item.publishedVersion}; roll back instead`,
    );
  }
  if (item.publishedVersion !== null) {
    const previous = await knowledge.getVersion(version.itemId, item.publishedVersion);
    if (previous) await knowledge.setVersionState(previous.versionId, "superseded");
  }
  await knowledge.setVersionState(version.versionId, "published");
  await knowledge.setItemStatus(version.itemId, "published", version.version);
  await knowledge.replacePassages(version.itemId, version.versionId, passages);
  await audit.append(
    {
      actor: actor.name,
      action: "script.publish",
      entityType: "script",
      entityId: version.itemId,
      before: { publishedVersion: item.publishedVersion },
      after: { publishedVersion: version.version },
    },
    deps.clock.now(),
  );
}

/**
 * Restores the wording of an earlier version as a new version (history is never rewritten) and
 * publishes it at once: the restored wording was reviewed when it was first published.
 */
export async function rollbackScript({
  deps,
  input,
  actor,
}: {
  deps: EditDeps;
  input: { id: string; toVersion: number; reason: string };
  actor: Principal;
}): Promise<ScriptView> {
  input = { ...input, reason: maskPersonalData(input.reason) }; // stored and audited: no personal data
  const target = await requireVersion(deps.knowledge, input.id, input.toVersion);
  // Review #3: only wording that once passed review (approved, published, superseded) or came
  // from the files may be restored; a rejected version has a reviewer too, so state decides.
  const restorable =
    target.source === "file" || ["approved", "published", "superseded"].includes(target.state);
  if (!restorable) {
    throw new ConflictError(
      `version ${input.toVersion} of ${input.id} is ${target.state} and was never approved; it cannot be restored`,
    );
  }
  const content = scriptContent(target);
  const passages = await embedPassages(deps, content);
  await deps.transact(async (repositories) => {
    const { knowledge } = repositories;
    const item = await lockLiveItem(knowledge, input.id);
    if (!(await knowledge.advanceLatestVersion(input.id, item.latestVersion))) {
      throw new ConflictError(`script ${input.id} changed during the rollback; try again`);
    }
    const restored = await knowledge.insertVersion({
      ...content,
      itemId: input.id,
      version: item.latestVersion + 1,
      state: "approved",
      contentHash: contentHash(content),
      source: "api",
      // The wording is the original author's; who rolled back is the reviewer field and the audit.
      author: target.author,
      baseVersion: item.latestVersion,
      changeNote: `rollback to version ${input.toVersion} by ${actor.name}: ${input.reason}`,
    });
    await knowledge.setVersionState(restored.versionId, "approved", {
      reviewer: actor.name,
      comment: `rollback to version ${input.toVersion}`,
      at: deps.clock.now(),
    });
    await repositories.audit.append(
      {
        actor: actor.name,
        action: "script.rollback",
        entityType: "script",
        entityId: input.id,
        before: { publishedVersion: item.publishedVersion },
        after: { version: restored.version, restoredFrom: input.toVersion },
        reason: input.reason,
      },
      deps.clock.now(),
    );
    await publishInTransaction(deps, repositories, restored, passages, actor);
  });
  return loadView(deps.knowledge, input.id);
}

/** Takes a script out of service: agents no longer see it; its history stays. */
export async function retireScript({
  deps,
  input,
  actor,
}: {
  deps: EditDeps;
  input: { id: string; reason: string };
  actor: Principal;
}): Promise<ScriptView> {
  input = { ...input, reason: maskPersonalData(input.reason) }; // stored and audited: no personal data
  await deps.transact(async ({ knowledge, audit }) => {
    const item = await knowledge.getItem(input.id, { forUpdate: true });
    if (!item) throw new NotFoundError(`script ${input.id} does not exist`);
    if (item.status === "retired") throw new ConflictError(`script ${input.id} is already retired`);
    await knowledge.setItemStatus(input.id, "retired", item.publishedVersion);
    await knowledge.deletePassages(input.id);
    // Review #6: pending versions die with the script, so no later approval can bring it back.
    for (const version of await knowledge.listVersions(input.id)) {
      if (version.state !== "pending_review" && version.state !== "draft") continue;
      await knowledge.transitionVersionState(version.versionId, version.state, "rejected", {
        reviewer: actor.name,
        comment: `口径已停用：${input.reason}`,
        at: deps.clock.now(),
      });
    }
    await audit.append(
      {
        actor: actor.name,
        action: "script.retire",
        entityType: "script",
        entityId: input.id,
        before: { status: item.status },
        after: { status: "retired" },
        reason: input.reason,
      },
      deps.clock.now(),
    );
  });
  return loadView(deps.knowledge, input.id);
}

export async function scriptHistory({
  deps,
  input,
}: {
  deps: EditDeps;
  input: { id: string };
}): Promise<ScriptVersion[]> {
  if (!(await deps.knowledge.getItem(input.id))) throw new NotFoundError(`script ${input.id} does not exist`);
  return deps.knowledge.listVersions(input.id);
}

export async function diffVersions({
  deps,
  input,
}: {
  deps: EditDeps;
  input: { id: string; from: number; to: number };
}): Promise<{ from: number; to: number; changes: FieldChange[] }> {
  const [from, to] = await Promise.all([
    requireVersion(deps.knowledge, input.id, input.from),
    requireVersion(deps.knowledge, input.id, input.to),
  ]);
  return { from: input.from, to: input.to, changes: diffScripts(scriptContent(from), scriptContent(to)) };
}

export async function reviewQueue({ deps }: { deps: EditDeps }): Promise<ScriptVersion[]> {
  return deps.knowledge.listVersionsInState("pending_review");
}

/** Published scripts whose validity ends within `days` days from today (China time). */
export async function expiringScripts({
  deps,
  input,
}: {
  deps: EditDeps;
  input: { days: number };
}): Promise<ScriptVersion[]> {
  const today = chinaDate(deps.clock.now());
  const until = chinaDate(new Date(deps.clock.now().getTime() + input.days * 86_400_000));
  return deps.knowledge.expiringBetween(today, until);
}

export const ListScriptsInputSchema = z.object({
  /** Part of the id, title, question, a variant or the answer. */
  q: z.string().trim().max(100).optional(),
  department: z.string().max(20).optional(),
  /** Category path prefix, 1 to 3 levels. */
  category: z.array(z.string().min(1).max(50)).min(1).max(3).optional(),
  status: z.enum(SCRIPT_LIST_STATUSES).optional(),
  /** Only published scripts whose validity ends within this many days from today (China time). */
  expiringWithinDays: z.number().int().min(0).max(3650).optional(),
  limit: z.number().int().min(1).max(200).default(50),
  offset: z.number().int().min(0).default(0),
});

/**
 * The editors' script list: every script (drafts, waiting for review, retired too, unlike search),
 * narrowed by text, department, category, status and coming expiry; recently changed first, or
 * soonest to expire first when `expiringWithinDays` is given.
 *
 * @example
 * const { total, scripts } = await listScripts({ deps, input: { department: "rsj", status: "pending_review" } });
 */
export async function listScripts({
  deps,
  input,
}: {
  deps: Pick<EditDeps, "knowledge" | "clock">;
  input: z.input<typeof ListScriptsInputSchema>;
}): Promise<{ total: number; scripts: ScriptSummary[] }> {
  const { q, department, category, status, expiringWithinDays, limit, offset } =
    ListScriptsInputSchema.parse(input);
  const now = deps.clock.now();
  return deps.knowledge.listScripts(
    {
      text: q || undefined,
      department,
      category,
      status,
      validToBetween:
        expiringWithinDays === undefined
          ? undefined
          : {
              from: chinaDate(now),
              to: chinaDate(new Date(now.getTime() + expiringWithinDays * 86_400_000)),
            },
    },
    { limit, offset },
  );
}
