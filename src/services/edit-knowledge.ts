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
  type ReviewStamp,
  SCRIPT_LIST_STATUSES,
  type ScriptContent,
  type ScriptSummary,
  type ScriptVersion,
} from "#domain/knowledge/repository";
import {
  ScriptContentSchema,
  ScriptFieldsSchema,
  scriptReferenceIssues,
  withScriptRules,
} from "#domain/knowledge/schema";
import {
  CANCELLED_ON_RETIRE,
  decideTransition,
  type WorkflowAction,
  type WorkflowDecision,
  type WorkflowSubject,
} from "#domain/knowledge/workflow";
import type { Repositories } from "#domain/repositories";
import { maskPersonalData } from "#domain/text/pii";
import type { ServiceDeps } from "./deps";
import { chinaDate } from "./search-knowledge";

type EditDeps = Pick<ServiceDeps, "knowledge" | "transact" | "clock" | "embedder" | "segmenter" | "lexicon"> &
  Partial<Pick<ServiceDeps, "suggest">>;

export { ScriptContentSchema };

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

/**
 * A script as its caller may see it. Editors, reviewers and admins get the newest version too;
 * agents (review #17) only ever see the published wording, and a script never published does not
 * exist for them.
 *
 * @example
 * const view = await getScript({ deps, input: { id: "shebao-card-lost" }, viewer: { role: "agent" } });
 */
export async function getScript({
  deps,
  input,
  viewer,
}: {
  deps: EditDeps;
  input: { id: string };
  viewer?: Pick<Principal, "role">;
}): Promise<ScriptView> {
  const view = await loadView(deps.knowledge, input.id);
  if (viewer === undefined || viewer.role !== "agent") return view;
  if (!view.published) throw new NotFoundError(`script ${input.id} does not exist`);
  return {
    item: { ...view.item, latestVersion: view.published.version },
    published: view.published,
    latest: view.published,
    etag: etagOf({ id: view.item.id, latestVersion: view.published.version }),
  };
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

/**
 * Asks the workflow table (`#domain/knowledge/workflow`) and turns a refusal into the matching
 * error: 403 for the role and the two-person rule, 404 for what does not exist, 409 otherwise.
 */
function enforce(
  action: WorkflowAction,
  actor: Principal,
  subject: WorkflowSubject,
  what: string,
): Extract<WorkflowDecision, { allowed: true }> {
  const decision = decideTransition(action, { role: actor.role, person: actor.person }, subject);
  if (decision.allowed) return decision;
  const message = `${what}: ${decision.message}`;
  switch (decision.reason) {
    case "role":
    case "own-version":
      throw new ForbiddenError(message);
    case "missing":
      throw new NotFoundError(message);
    default:
      throw new ConflictError(message);
  }
}

/** The review fields a decision writes: who (name and person), why, when. */
function stampOf(actor: Principal, comment: string | null, at: Date): ReviewStamp {
  return { reviewer: actor.name, reviewerPerson: actor.person, comment, at };
}

/** Locks the script's row for the rest of the transaction; every transition starts here. */
async function lockItem(knowledge: Repositories["knowledge"], id: string): Promise<KnowledgeItem> {
  const item = await knowledge.getItem(id, { forUpdate: true });
  if (!item) throw new NotFoundError(`script ${id} does not exist`);
  return item;
}

/**
 * Review #20: department codes must be in the dispatch catalogue and the category must be a leaf
 * of the taxonomy. Checked against what the server loaded (deps.suggest), when it has it.
 */
function checkReferences(deps: EditDeps, content: ScriptContent): void {
  const catalogue = deps.suggest;
  if (!catalogue) return;
  const issues = scriptReferenceIssues(content, {
    departments: new Set(catalogue.departmentNames.keys()),
    categoryLeaves: new Set(catalogue.categoryPaths.map((path) => path.join("/"))),
  });
  if (issues.length > 0) throw new ValidationError(issues.join("; "));
}

/** Parses a verb's input; a failure is 422 with every message (never an uncaught ZodError). */
function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new ValidationError(
      parsed.error.issues
        .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
        .join("; "),
    );
  }
  return parsed.data;
}

export const CreateScriptInputSchema = withScriptRules(
  ScriptFieldsSchema.extend({
    changeNote: z.string().max(500).transform(maskPersonalData).default(""),
    submit: z.boolean().default(true),
  }),
);

/**
 * Creates a new script as version 1, waiting for review (or as a draft with `submit: false`).
 * Nothing reaches agents until a different person approves and publishes it.
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
  const { id, changeNote, submit, ...rest } = parseInput(CreateScriptInputSchema, input);
  const content = scriptContent(rest);
  checkReferences(deps, content);
  await deps.transact(async ({ knowledge, audit }) => {
    enforce("save", actor, { item: null }, `script ${id}`);
    // The insert is the condition: of two concurrent creates of one id exactly one succeeds.
    if (!(await knowledge.createItem(id))) throw new ConflictError(`script ${id} already exists`);
    await knowledge.advanceLatestVersion(id, 0);
    const version = await knowledge.insertVersion({
      ...content,
      itemId: id,
      version: 1,
      state: submit ? "pending_review" : "draft",
      contentHash: contentHash(content),
      source: "api",
      author: actor.name,
      authorPerson: actor.person,
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
  const { id, baseVersion, content: raw, changeNote, submit } = parseInput(EditScriptInputSchema, input);
  const content = scriptContent(raw);
  checkReferences(deps, content);
  await deps.transact(async ({ knowledge, audit }) => {
    // Locked, so a retirement cannot slip in between this check and the new version.
    const item = await lockItem(knowledge, id);
    enforce("save", actor, { item }, `script ${id}`);
    if (!(await knowledge.advanceLatestVersion(id, baseVersion))) {
      const latest = await knowledge.getVersion(id, item.latestVersion);
      throw new ConflictError(
        `script ${id} was changed by someone else: your edit is based on version ${baseVersion}, the latest is ${item.latestVersion}`,
        { currentVersion: item.latestVersion, current: latest, etag: etagOf(item) },
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
      authorPerson: actor.person,
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
    const item = await lockItem(knowledge, input.id);
    const version = await requireVersion(knowledge, input.id, input.version);
    const what = `version ${input.version} of ${input.id}`;
    const { from, to } = enforce("submit", actor, { item, version }, what);
    if (!from || !to || !(await knowledge.transitionVersionState(version.versionId, from, to))) {
      throw new ConflictError(`${what} was changed by someone else meanwhile`);
    }
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
    comment: z.string().trim().max(1000).transform(maskPersonalData).default(""),
    /** Approve and publish in one step (the usual case). */
    publish: z.boolean().default(true),
  })
  .refine((input) => input.decision === "approve" || input.comment.length > 0, {
    message: "a rejection needs a comment",
    path: ["comment"],
  });

/**
 * A reviewer approves or rejects a version waiting for review. Two-person rule: the author of a
 * version (the same person, whichever key they use) can never decide on it. The decision is a
 * conditional update inside the transaction: of two concurrent decisions, or a decision and a
 * retirement, exactly one wins and the other gets 409.
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
  const { id, version: number, decision, comment, publish } = parseInput(ReviewInputSchema, input);
  const action = decision === "approve" ? "approve" : "reject";
  const what = `version ${number} of ${id}`;
  // Checked once before the slow embedding (to fail fast), and again on locked rows below.
  const item = await deps.knowledge.getItem(id);
  if (!item) throw new NotFoundError(`script ${id} does not exist`);
  const version = await requireVersion(deps.knowledge, id, number);
  enforce(action, actor, { item, version }, what);
  const passages = action === "approve" && publish ? await embedPassages(deps, version) : null;
  await deps.transact(async (repositories) => {
    const { knowledge, audit } = repositories;
    const locked = await lockItem(knowledge, id);
    const current = await requireVersion(knowledge, id, number);
    const { from, to } = enforce(action, actor, { item: locked, version: current }, what);
    const stamp = stampOf(actor, action === "reject" ? comment : comment || null, deps.clock.now());
    if (!from || !to || !(await knowledge.transitionVersionState(current.versionId, from, to, stamp))) {
      throw new ConflictError(`${what} was decided by someone else meanwhile`);
    }
    await audit.append(
      {
        actor: actor.name,
        action: `script.${action}`,
        entityType: "script",
        entityId: id,
        after: { version: number },
        reason: comment,
      },
      deps.clock.now(),
    );
    if (passages) await publishInTransaction(deps, repositories, id, number, passages, actor);
  });
  return loadView(deps.knowledge, id);
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
  const item = await deps.knowledge.getItem(input.id);
  if (!item) throw new NotFoundError(`script ${input.id} does not exist`);
  const version = await requireVersion(deps.knowledge, input.id, input.version);
  enforce("publish", actor, { item, version }, `version ${input.version} of ${input.id}`);
  const passages = await embedPassages(deps, version);
  await deps.transact((repositories) =>
    publishInTransaction(deps, repositories, input.id, input.version, passages, actor),
  );
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

/**
 * The shared publish step (approve, publish, rollback): re-reads the item and the version on
 * locked rows, asks the workflow, and moves both versions with conditional updates.
 */
async function publishInTransaction(
  deps: EditDeps,
  { knowledge, audit }: Repositories,
  id: string,
  number: number,
  passages: PassageInput[],
  actor: Principal,
): Promise<void> {
  const what = `version ${number} of ${id}`;
  const item = await lockItem(knowledge, id);
  const version = await requireVersion(knowledge, id, number);
  const { from, to } = enforce("publish", actor, { item, version }, what);
  if (item.publishedVersion !== null) {
    const previous = await knowledge.getVersion(id, item.publishedVersion);
    if (previous) await knowledge.transitionVersionState(previous.versionId, "published", "superseded");
  }
  if (!from || !to || !(await knowledge.transitionVersionState(version.versionId, from, to))) {
    throw new ConflictError(`${what} was changed by someone else meanwhile`);
  }
  await knowledge.setItemStatus(id, "published", number);
  await knowledge.replacePassages(id, version.versionId, passages);
  await audit.append(
    {
      actor: actor.name,
      action: "script.publish",
      entityType: "script",
      entityId: id,
      before: { publishedVersion: item.publishedVersion },
      after: { publishedVersion: number },
    },
    deps.clock.now(),
  );
}

/** A reason that says something: whitespace alone is refused (review #20). */
const ReasonTextSchema = z
  .string()
  .trim()
  .min(1, "a reason is required")
  .max(500)
  .transform(maskPersonalData); // stored and audited: no personal data

export const RollbackInputSchema = z.object({
  id: z.string(),
  toVersion: z.number().int().min(1),
  reason: ReasonTextSchema,
});

/**
 * Restores the wording of an earlier version as a new version (history is never rewritten) and
 * publishes it at once: only wording that once passed review (approved, published, superseded) or
 * came from the files may be restored (review #3), and never on a retired script (review #6).
 */
export async function rollbackScript({
  deps,
  input,
  actor,
}: {
  deps: EditDeps;
  input: z.input<typeof RollbackInputSchema>;
  actor: Principal;
}): Promise<ScriptView> {
  const { id, toVersion, reason } = parseInput(RollbackInputSchema, input);
  const what = `script ${id}`;
  const item = await deps.knowledge.getItem(id);
  if (!item) throw new NotFoundError(`script ${id} does not exist`);
  const target = await requireVersion(deps.knowledge, id, toVersion);
  enforce("rollback", actor, { item, version: target }, what);
  const content = scriptContent(target);
  const passages = await embedPassages(deps, content);
  await deps.transact(async (repositories) => {
    const { knowledge } = repositories;
    const locked = await lockItem(knowledge, id);
    enforce("rollback", actor, { item: locked, version: target }, what);
    if (!(await knowledge.advanceLatestVersion(id, locked.latestVersion))) {
      throw new ConflictError(`script ${id} changed during the rollback; try again`);
    }
    const restored = await knowledge.insertVersion({
      ...content,
      itemId: id,
      version: locked.latestVersion + 1,
      state: "approved",
      contentHash: contentHash(content),
      source: "api",
      // The wording is the original author's; who rolled back is the reviewer field and the audit.
      author: target.author,
      authorPerson: target.authorPerson,
      baseVersion: locked.latestVersion,
      changeNote: `rollback to version ${toVersion} by ${actor.name}: ${reason}`,
    });
    await knowledge.setVersionState(
      restored.versionId,
      "approved",
      stampOf(actor, `rollback to version ${toVersion}`, deps.clock.now()),
    );
    await repositories.audit.append(
      {
        actor: actor.name,
        action: "script.rollback",
        entityType: "script",
        entityId: id,
        before: { publishedVersion: locked.publishedVersion },
        after: { version: restored.version, restoredFrom: toVersion },
        reason,
      },
      deps.clock.now(),
    );
    await publishInTransaction(deps, repositories, id, restored.version, passages, actor);
  });
  return loadView(deps.knowledge, id);
}

export const RetireInputSchema = z.object({ id: z.string(), reason: ReasonTextSchema });

/**
 * Takes a script out of service for good: agents no longer see it, its drafts and pending versions
 * are cancelled (rejected), and no later approval, publish, rollback or file sync brings it back.
 * Its history stays.
 */
export async function retireScript({
  deps,
  input,
  actor,
}: {
  deps: EditDeps;
  input: z.input<typeof RetireInputSchema>;
  actor: Principal;
}): Promise<ScriptView> {
  const { id, reason } = parseInput(RetireInputSchema, input);
  await deps.transact(async ({ knowledge, audit }) => {
    const item = await lockItem(knowledge, id);
    enforce("retire", actor, { item }, `script ${id}`);
    await knowledge.setItemStatus(id, "retired", item.publishedVersion);
    await knowledge.deletePassages(id);
    const cancelled: number[] = [];
    for (const version of await knowledge.listVersions(id)) {
      if (!CANCELLED_ON_RETIRE.includes(version.state)) continue;
      const stamp = stampOf(actor, `口径已停用：${reason}`, deps.clock.now());
      if (await knowledge.transitionVersionState(version.versionId, version.state, "rejected", stamp)) {
        cancelled.push(version.version);
      }
    }
    await audit.append(
      {
        actor: actor.name,
        action: "script.retire",
        entityType: "script",
        entityId: id,
        before: { status: item.status },
        after: { status: "retired", cancelledVersions: cancelled },
        reason,
      },
      deps.clock.now(),
    );
  });
  return loadView(deps.knowledge, id);
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
