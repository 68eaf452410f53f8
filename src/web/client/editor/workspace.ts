/**
 * The right column: one script — its edit form, the diff against the published wording, review,
 * history with rollback, the audit trail — and the conflict panel when someone else saved first.
 */
import { EMPTY_BASIS } from "../../../domain/knowledge/basis";
import { ApiFailure, api } from "../lib/api";
import { byId, formatDateTime, h, render } from "../lib/dom";
import { diffContents, displayValue, renderChanges } from "./diff-view";
import type { ScriptForm } from "./form";
import type { Pane, Sidebar } from "./sidebar";
import { stateBadge } from "./sidebar";
import { tabList } from "./tabs";
import {
  AUDIT_ACTIONS,
  type AuditEntry,
  CONTENT_FIELDS,
  type ConflictDetails,
  type Content,
  type ContentField,
  chinaToday,
  contentOf,
  daysUntil,
  type EditorBootstrap,
  FIELD_LABELS,
  type ScriptVersion,
  type ScriptView,
  STATE_LABELS,
  STATUS_LABELS,
  sameValue,
} from "./types";

/** A script whose validity ends this soon gets a warning in its header. */
const EXPIRY_WARNING_DAYS = 30;

export interface Workspace {
  open(id: string, pane?: Pane): Promise<void>;
  /** A blank script, or one prefilled from a knowledge gap's example questions (缺口). */
  newScript(prefill?: { questions: readonly string[] }): void;
  save(submit: boolean): Promise<void>;
  showPane(pane: Pane): void;
  /** True when a script (or a new one) is open. */
  isOpen(): boolean;
  dirty(): boolean;
  /** The form changed: refresh the unsaved marker and a visible diff. */
  changed(): void;
}

type Describe = (field: ContentField, value: string) => string;

function failureText(error: unknown): string {
  if (error instanceof ApiFailure) {
    if (error.unavailable) return `服务暂时不可用（${error.message}），请稍后重试；你的修改仍在页面上。`;
    if (error.status === 403) return `没有权限：${error.message}`;
    return `操作失败：${error.message}`;
  }
  return "操作失败，请稍后重试。";
}

function conflictOf(error: unknown): ConflictDetails | null {
  if (!(error instanceof ApiFailure) || error.status !== 409) return null;
  const details = (error.body as { error?: { details?: Partial<ConflictDetails> } } | null)?.error?.details;
  return details?.current && typeof details.currentVersion === "number" ? (details as ConflictDetails) : null;
}

export function createWorkspace(options: {
  bootstrap: EditorBootstrap;
  form: ScriptForm;
  sidebar: Sidebar;
  describe: Describe;
  departmentNames: (codes: readonly string[]) => string;
}): Workspace {
  const { bootstrap, form, sidebar, describe, departmentNames } = options;
  const emptyState = byId("empty-state");
  const scriptView = byId("script-view");
  const head = byId("script-head");
  const message = byId("message");
  const conflict = byId("conflict");
  const reviewBox = byId("review-box");
  const diffPane = byId("diff");
  const historyPane = byId("history");
  const auditPane = byId("audit");
  const formError = byId("form-error");
  const dirtyFlag = byId("dirty-flag");
  const actionButtons = ["show-diff", "save-draft", "submit-review", "discard-edit"].map((id) =>
    byId<HTMLButtonElement>(id),
  );

  /** The script as the server last showed it; null while a new script is being written. */
  let loaded: { view: ScriptView; versions: ScriptVersion[] } | null = null;
  /** The version the form's edit started from (sent as baseVersion) and its wording. */
  let base: { version: number; content: Content } | null = null;
  let isNew = false;
  /** The diff pane shows two stored versions instead of the published one vs the edit. */
  let versionPair: [number, number] | null = null;

  function setMessage(text: string, tone: "ok" | "error" | "info" = "info") {
    render(message, text ? h("p", { class: `msg msg-${tone}` }, text) : null);
  }
  function showFormError(text: string | null) {
    formError.hidden = text === null;
    formError.textContent = text ?? "";
  }
  function busy(on: boolean) {
    for (const button of [...actionButtons, ...reviewBox.querySelectorAll("button")]) button.disabled = on;
  }
  const canEditScript = () => bootstrap.canEdit && loaded?.view.item.status !== "retired";
  const versionContent = (number: number) => {
    const version = loaded?.versions.find((entry) => entry.version === number);
    return version ? contentOf(version) : null;
  };

  // ----- header -----

  function renderHead() {
    if (isNew || !loaded) {
      render(
        head,
        h("h1", { "data-testid": "script-title" }, "新建口径"),
        h("p", { class: "muted small" }, "保存后生成 v1；经另一位审核员通过并发布后，话务员才能看到。"),
      );
      return;
    }
    const { item, latest, published } = loaded.view;
    const current = published ?? latest;
    const left = current.validTo ? daysUntil(current.validTo) : null;
    render(
      head,
      h(
        "div",
        { class: "head-line" },
        h("h1", { "data-testid": "script-title" }, latest.title),
        h("span", { class: "muted" }, item.id),
        h(
          "span",
          { class: "badges", "data-testid": "script-status" },
          item.status === "retired"
            ? h("span", { class: "state state-retired" }, "已停用")
            : item.publishedVersion === null
              ? h("span", { class: "state state-draft" }, STATUS_LABELS.draft)
              : stateBadge("published", item.publishedVersion),
          latest.version !== item.publishedVersion ? stateBadge(latest.state, latest.version) : null,
          left !== null && left >= 0 && left <= EXPIRY_WARNING_DAYS
            ? h("span", { class: "state state-rejected" }, `${left} 天后到期`)
            : left !== null && left < 0
              ? h("span", { class: "state state-retired" }, "已过期")
              : null,
        ),
        h("span", { class: "muted small updated" }, `更新于 ${formatDateTime(item.updatedAt)}`),
        bootstrap.canReview && item.status !== "retired"
          ? h(
              "button",
              { type: "button", class: "link retire", "data-testid": "retire", onclick: () => askRetire() },
              "停用此口径",
            )
          : null,
      ),
      h(
        "p",
        { class: "head-meta muted small" },
        [
          `部门：${departmentNames(current.departments)}`,
          `分类：${current.category.join(" / ")}`,
          `区域：${describe("region", current.region)}`,
          `有效期：${current.validFrom} 至 ${current.validTo ?? "长期"}`,
          `负责人：${current.owner}`,
        ].join(" · "),
      ),
      h("div", { id: "retire-form", class: "inline-form", hidden: true }),
    );
  }

  function askRetire() {
    const holder = byId("retire-form");
    const reason = h("input", {
      "aria-label": "停用原因",
      placeholder: "停用原因（必填）",
      "data-testid": "retire-reason",
    });
    render(
      holder,
      reason,
      h(
        "button",
        {
          type: "button",
          class: "danger",
          "data-testid": "retire-confirm",
          onclick: async () => {
            if (!reason.value.trim()) {
              reason.focus();
              setMessage("请填写停用原因。", "error");
              return;
            }
            await act(
              () =>
                api<ScriptView>("POST", `/v1/knowledge/scripts/${loaded?.view.item.id}/retire`, {
                  body: { reason: reason.value.trim() },
                }),
              () => "已停用：话务员不会再看到这条口径，历史版本仍保留。",
            );
          },
        },
        "确认停用",
      ),
      h(
        "button",
        {
          type: "button",
          onclick: () => {
            holder.hidden = true;
          },
        },
        "取消",
      ),
    );
    holder.hidden = false;
    reason.focus();
  }

  // ----- review -----

  function renderReviewBox() {
    const latest = loaded?.view.latest;
    if (isNew || !latest) {
      reviewBox.hidden = true;
      return;
    }
    if (loaded?.view.item.status === "retired") {
      reviewBox.hidden = false;
      reviewBox.className = "card review-box retired";
      render(reviewBox, h("p", {}, "此口径已停用：话务员看不到它，也不能再修改；停用原因见审计记录。"));
      return;
    }
    reviewBox.hidden = false;
    reviewBox.className = "card review-box";
    const submitted = `由 ${latest.author} 提交于 ${formatDateTime(latest.createdAt)}`;
    const note = latest.changeNote ? h("p", { class: "note" }, `修改说明：${latest.changeNote}`) : null;
    if (latest.state === "pending_review") {
      if (!bootstrap.canReview || latest.authorPerson === bootstrap.person) {
        reviewBox.classList.add("waiting");
        render(
          reviewBox,
          h("p", {}, stateBadge("pending_review", latest.version), ` ${submitted}。`),
          note,
          h(
            "p",
            { class: "muted small" },
            latest.authorPerson === bootstrap.person
              ? "双人复核：此版本需由另一位审核员审核，你不能审核自己的修改。"
              : "等待审核员审核；通过前话务员看到的仍是已发布版本。",
          ),
        );
        return;
      }
      const comment = h("textarea", {
        id: "review-comment",
        rows: 2,
        maxlength: 1000,
        "data-testid": "review-comment",
        placeholder: "审核意见（驳回时必填）",
        "aria-label": "审核意见",
      });
      const error = h("p", { class: "alert", role: "alert", hidden: true, "data-testid": "review-error" });
      render(
        reviewBox,
        h(
          "div",
          { class: "review-head" },
          h("h2", {}, "审核 ", stateBadge("pending_review", latest.version)),
          h("span", { class: "muted small" }, submitted),
          h(
            "button",
            { type: "button", class: "link", onclick: () => showPane("diff") },
            "查看与已发布版本的差异",
          ),
        ),
        note,
        comment,
        error,
        h(
          "div",
          { class: "row" },
          h(
            "button",
            {
              type: "button",
              class: "primary",
              "data-testid": "approve",
              onclick: () => void review("approve", comment, error),
            },
            "通过并发布",
          ),
          h(
            "button",
            {
              type: "button",
              class: "danger",
              "data-testid": "reject",
              onclick: () => void review("reject", comment, error),
            },
            "驳回",
          ),
        ),
      );
      return;
    }
    if (latest.state === "rejected") {
      reviewBox.classList.add("rejected");
      render(
        reviewBox,
        h(
          "p",
          { "data-testid": "rejection" },
          stateBadge("rejected", latest.version),
          ` ${latest.reviewer ?? ""} 于 ${formatDateTime(latest.reviewedAt)} 驳回：`,
          h("b", {}, latest.reviewComment ?? ""),
        ),
        h("p", { class: "muted small" }, "按意见修改后再次提交审核即可；已发布版本不受影响。"),
      );
      return;
    }
    if (latest.state === "draft") {
      reviewBox.classList.add("waiting");
      render(
        reviewBox,
        h(
          "p",
          {},
          stateBadge("draft", latest.version),
          ` 由 ${latest.author} 保存于 ${formatDateTime(latest.createdAt)}，尚未提交审核。`,
        ),
        note,
        bootstrap.canEdit
          ? h(
              "button",
              {
                type: "button",
                class: "secondary",
                "data-testid": "submit-draft",
                onclick: () =>
                  void act(
                    () =>
                      api<ScriptView>(
                        "POST",
                        `/v1/knowledge/scripts/${latest.itemId}/versions/${latest.version}/submit`,
                      ),
                    (view) => `已提交审核：v${view.latest.version}。`,
                  ),
              },
              "提交此草稿审核",
            )
          : null,
      );
      return;
    }
    reviewBox.hidden = true;
  }

  async function review(decision: "approve" | "reject", comment: HTMLTextAreaElement, error: HTMLElement) {
    const latest = loaded?.view.latest;
    if (!latest) return;
    const text = comment.value.trim();
    if (decision === "reject" && !text) {
      error.hidden = false;
      error.textContent = "驳回时必须填写审核意见，说明需要如何修改。";
      comment.focus();
      return;
    }
    error.hidden = true;
    await act(
      () =>
        api<ScriptView>("POST", `/v1/knowledge/scripts/${latest.itemId}/versions/${latest.version}/review`, {
          body: { decision, comment: text },
        }),
      (view) =>
        decision === "approve"
          ? `已通过并发布 v${view.published?.version ?? latest.version}：话务员现在看到的是新口径。`
          : `已驳回 v${latest.version}。作者会在页面和历史版本中看到你的意见。`,
    );
  }

  /** Runs a state change, then shows the script as it is now; the form keeps an unsaved edit. */
  async function act(call: () => Promise<ScriptView>, success: (view: ScriptView) => string) {
    busy(true);
    try {
      const view = await call();
      const keepEdit = form.dirty();
      await showScript(view, { fillForm: !keepEdit });
      setMessage(success(view), "ok");
      void sidebar.refresh();
    } catch (error) {
      setMessage(failureText(error), "error");
    } finally {
      busy(false);
    }
  }

  // ----- diff -----

  function renderDiff() {
    if (versionPair && loaded) {
      const [from, to] = versionPair;
      render(
        diffPane,
        h(
          "div",
          { class: "diff-head" },
          h("h2", {}, `v${from} → v${to}`),
          h(
            "button",
            {
              type: "button",
              class: "link",
              onclick: () => {
                versionPair = null;
                renderDiff();
              },
            },
            "改为与已发布版本对比",
          ),
        ),
        renderChanges(
          diffContents(versionContent(from), versionContent(to) ?? contentOf(loaded.view.latest)),
          describe,
        ),
      );
      return;
    }
    const published = loaded?.view.published ?? null;
    const editing = isNew || form.dirty();
    const target = editing ? form.read() : loaded ? contentOf(loaded.view.latest) : form.read();
    const targetLabel = editing
      ? "你的未保存修改"
      : loaded
        ? `v${loaded.view.latest.version}（${STATE_LABELS[loaded.view.latest.state]}）`
        : "";
    const heading = published
      ? `已发布 v${published.version} → ${targetLabel}`
      : `尚无已发布版本：${targetLabel}的全部内容`;
    const same = published && !editing && published.version === loaded?.view.latest.version;
    const changes = same ? [] : diffContents(published ? contentOf(published) : null, target);
    render(
      diffPane,
      h(
        "div",
        { class: "diff-head" },
        h("h2", { "data-testid": "diff-heading" }, heading),
        changes.length > 0 ? h("span", { class: "muted small" }, `${changes.length} 个字段有变化`) : null,
      ),
      same
        ? h(
            "p",
            { class: "muted", "data-testid": "diff-empty" },
            "当前已发布版本就是最新版本，没有待审核的修改。",
          )
        : renderChanges(changes, describe),
      // Looked at the edit's diff: send it from here, or go back to it.
      editing && canEditScript()
        ? h(
            "div",
            { class: "row diff-actions" },
            h(
              "button",
              { type: "button", "data-testid": "diff-back", onclick: () => showPane("edit") },
              "返回编辑",
            ),
            h(
              "button",
              { type: "button", "data-testid": "diff-save-draft", onclick: () => void save(false) },
              "保存草稿",
            ),
            h(
              "button",
              {
                type: "button",
                class: "primary",
                "data-testid": "diff-submit",
                onclick: () => void save(true),
              },
              "提交审核",
            ),
          )
        : null,
    );
  }

  // ----- history -----

  function renderHistory() {
    if (isNew || !loaded) {
      render(historyPane, h("p", { class: "muted" }, "保存后即可查看历史版本。"));
      return;
    }
    const { item } = loaded.view;
    const rows = [...loaded.versions].reverse();
    render(
      historyPane,
      h(
        "table",
        { class: "history" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["版本", "状态", "作者 / 时间", "修改说明", "审核", ""].map((title) => h("th", {}, title)),
          ),
        ),
        h(
          "tbody",
          {},
          rows.map((version) => {
            const restorable =
              bootstrap.canReview &&
              item.status !== "retired" &&
              version.version !== item.publishedVersion &&
              (version.reviewer !== null || version.source === "file") &&
              version.state !== "rejected";
            return h(
              "tr",
              {
                class: `state-row-${version.state}${version.version === item.publishedVersion ? " live" : ""}`,
                "data-testid": `history-row-v${version.version}`,
              },
              h("td", {}, `v${version.version}`),
              h("td", {}, stateBadge(version.state)),
              h(
                "td",
                {},
                version.source === "file" ? `${version.author}（知识文件）` : version.author,
                h("br"),
                h("span", { class: "muted small" }, formatDateTime(version.createdAt)),
              ),
              h("td", { class: "note-cell" }, version.changeNote || h("span", { class: "muted" }, "—")),
              h(
                "td",
                { class: "review-cell" },
                version.reviewer
                  ? [
                      h("span", {}, `${version.reviewer}${version.state === "rejected" ? " 驳回" : " 审核"}`),
                      version.reviewComment
                        ? h(
                            "div",
                            { class: version.state === "rejected" ? "comment rejected" : "comment" },
                            version.reviewComment,
                          )
                        : null,
                    ]
                  : h("span", { class: "muted" }, "—"),
              ),
              h(
                "td",
                { class: "ops" },
                version.version > 1
                  ? h(
                      "button",
                      {
                        type: "button",
                        class: "link",
                        "data-testid": `compare-v${version.version}`,
                        onclick: () => {
                          versionPair = [version.version - 1, version.version];
                          showPane("diff");
                        },
                      },
                      "对比上一版",
                    )
                  : null,
                restorable
                  ? h(
                      "button",
                      {
                        type: "button",
                        class: "link",
                        "data-testid": `rollback-v${version.version}`,
                        onclick: (event: Event) =>
                          askRollback(version.version, event.currentTarget as HTMLElement),
                      },
                      "回滚到此版本",
                    )
                  : null,
              ),
            );
          }),
        ),
      ),
      h("div", { id: "rollback-form", class: "inline-form", hidden: true, "data-testid": "rollback-form" }),
    );
  }

  function askRollback(version: number, trigger: HTMLElement) {
    const holder = byId("rollback-form");
    const reason = h("input", {
      "aria-label": "回滚原因",
      placeholder: "回滚原因（必填，记入审计）",
      "data-testid": "rollback-reason",
      maxlength: 500,
    });
    const cancel = () => {
      holder.hidden = true;
      trigger.focus();
    };
    const confirm = async () => {
      if (!reason.value.trim()) {
        setMessage("请填写回滚原因。", "error");
        reason.focus();
        return;
      }
      await act(
        () =>
          api<ScriptView>("POST", `/v1/knowledge/scripts/${loaded?.view.item.id}/rollback`, {
            body: { toVersion: version, reason: reason.value.trim() },
          }),
        (view) => `已回滚：以 v${version} 的内容生成并发布了新版本 v${view.latest.version}。`,
      );
    };
    reason.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        void confirm();
      } else if (event.key === "Escape") cancel();
    });
    render(
      holder,
      h("span", {}, `以 v${version} 的内容生成新版本并立即发布：`),
      reason,
      h(
        "button",
        { type: "button", class: "danger", "data-testid": "rollback-confirm", onclick: () => void confirm() },
        "确认回滚",
      ),
      h("button", { type: "button", onclick: cancel }, "取消"),
    );
    holder.hidden = false;
    reason.focus();
  }

  // ----- audit -----

  function auditDetail(entry: AuditEntry): string {
    const after = (entry.after ?? {}) as Record<string, unknown>;
    const parts: string[] = [];
    if (typeof after.version === "number") parts.push(`v${after.version}`);
    if (typeof after.state === "string")
      parts.push(STATE_LABELS[after.state as ScriptVersion["state"]] ?? after.state);
    if (typeof after.publishedVersion === "number") parts.push(`发布 v${after.publishedVersion}`);
    if (typeof after.restoredFrom === "number") parts.push(`恢复自 v${after.restoredFrom}`);
    if (typeof after.status === "string") parts.push(after.status === "retired" ? "停用" : after.status);
    return parts.join(" · ");
  }

  async function renderAudit() {
    const id = loaded?.view.item.id;
    if (isNew || !id) {
      render(auditPane, h("p", { class: "muted" }, "保存后即可查看审计记录。"));
      return;
    }
    render(auditPane, h("p", { class: "muted" }, "加载中…"));
    try {
      const { entries } = await api<{ entries: AuditEntry[] }>("GET", `/v1/knowledge/scripts/${id}/audit`);
      if (loaded?.view.item.id !== id) return;
      render(
        auditPane,
        entries.length === 0
          ? h("p", { class: "muted" }, "没有审计记录（来自知识文件的初始版本不经过页面编辑）。")
          : h(
              "table",
              { class: "audit" },
              h(
                "thead",
                {},
                h(
                  "tr",
                  {},
                  ["时间", "操作人", "动作", "详情", "原因 / 说明"].map((t) => h("th", {}, t)),
                ),
              ),
              h(
                "tbody",
                {},
                [...entries]
                  .reverse()
                  .map((entry) =>
                    h(
                      "tr",
                      { "data-testid": "audit-row" },
                      h("td", { class: "nowrap" }, formatDateTime(entry.at)),
                      h("td", {}, entry.actor),
                      h("td", {}, AUDIT_ACTIONS[entry.action] ?? entry.action),
                      h("td", {}, auditDetail(entry)),
                      h("td", {}, entry.reason || h("span", { class: "muted" }, "—")),
                    ),
                  ),
              ),
            ),
        h(
          "p",
          { class: "muted small" },
          "审计记录按哈希链保存，不能修改或删除（管理员可用 npm run audit:verify 校验）。",
        ),
      );
    } catch (error) {
      render(auditPane, h("p", { class: "alert" }, failureText(error)));
    }
  }

  // ----- conflict -----

  function showConflict(details: ConflictDetails, mine: Content, changeNote: string) {
    const theirs = contentOf(details.current);
    const started = base?.content ?? theirs;
    const theyChanged = CONTENT_FIELDS.filter((field) => !sameValue(theirs[field], started[field]));
    const iChanged = CONTENT_FIELDS.filter((field) => !sameValue(mine[field], started[field]));
    const both = iChanged.filter(
      (field) => theyChanged.includes(field) && !sameValue(mine[field], theirs[field]),
    );
    const differing = CONTENT_FIELDS.filter((field) => !sameValue(theirs[field], mine[field]));
    const shown: readonly ContentField[] = differing.length > 0 ? differing : ["answer"];
    const side = (testId: string, title: string, content: Content) =>
      h(
        "div",
        { class: `side ${testId}`, "data-testid": testId },
        h("h3", {}, title),
        h(
          "dl",
          {},
          shown.map((field) => [
            h(
              "dt",
              {},
              FIELD_LABELS[field],
              both.includes(field) ? h("span", { class: "state state-rejected" }, "双方都改了") : null,
            ),
            h(
              "dd",
              { class: field === "answer" ? "answer" : "" },
              displayValue(content[field], describe, field),
            ),
          ]),
        ),
      );
    const labels = (fields: readonly ContentField[]) => fields.map((field) => FIELD_LABELS[field]).join("、");
    render(
      conflict,
      h("h2", {}, "此口径已被他人修改"),
      h(
        "p",
        {},
        `你基于 v${base?.version ?? "?"} 修改；在你保存之前，${details.current.author} 于 ${formatDateTime(details.current.createdAt)} 保存了 v${details.currentVersion}（${STATE_LABELS[details.current.state]}）。`,
        h("b", {}, "你的修改没有保存，也没有覆盖对方的版本。"),
      ),
      h(
        "div",
        { class: "compare" },
        side(
          "conflict-theirs",
          `他人的版本 · 服务器当前 v${details.currentVersion}（${details.current.author}）`,
          theirs,
        ),
        side("conflict-mine", "你的修改 · 尚未保存", mine),
      ),
      h(
        "p",
        { class: "small" },
        differing.length === 0
          ? "两个版本内容相同。"
          : `合并：你改过的字段（${labels(iChanged) || "无"}）用你的内容，其余字段用 v${details.currentVersion} 的内容${both.length > 0 ? `；双方都改过的「${labels(both)}」保留你的内容，请核对` : ""}。合并后需再次保存才会生效。`,
      ),
      h(
        "div",
        { class: "row" },
        h(
          "button",
          {
            type: "button",
            class: "primary",
            "data-testid": "conflict-merge",
            onclick: () => void resolveConflict(details, mine, iChanged, both, changeNote),
          },
          `合并到 v${details.currentVersion} 上继续编辑`,
        ),
        h(
          "button",
          {
            type: "button",
            "data-testid": "conflict-discard",
            onclick: () => void resolveConflict(details, null, [], [], ""),
          },
          `放弃我的修改，载入 v${details.currentVersion}`,
        ),
      ),
    );
    conflict.hidden = false;
    conflict.scrollIntoView({ block: "nearest" });
    conflict.querySelector<HTMLButtonElement>("button")?.focus();
  }

  async function resolveConflict(
    details: ConflictDetails,
    mine: Content | null,
    iChanged: readonly ContentField[],
    both: readonly ContentField[],
    changeNote: string,
  ) {
    const id = details.current.itemId;
    const theirs = contentOf(details.current);
    try {
      const view = await api<ScriptView>("GET", `/v1/knowledge/scripts/${id}`);
      await showScript(view, { fillForm: true });
    } catch (error) {
      setMessage(failureText(error), "error");
      return;
    }
    // The edit now starts from the version that won, whatever the server shows by now.
    base = { version: details.currentVersion, content: theirs };
    if (mine) {
      const merged = Object.fromEntries(
        CONTENT_FIELDS.map((field) => [field, iChanged.includes(field) ? mine[field] : theirs[field]]),
      ) as Content;
      form.fill(merged, { id, isNew: false });
      form.setPristine(theirs);
      form.setChangeNote(changeNote);
      form.highlight(both);
      setMessage(
        `已把你的修改合并到 v${details.currentVersion} 上${both.length > 0 ? `；「${both.map((field) => FIELD_LABELS[field]).join("、")}」双方都改过，表单中是你的内容` : ""}。请查看差异，确认后再次提交。`,
        "info",
      );
    } else {
      form.fill(theirs, { id, isNew: false });
      setMessage(`已放弃你的修改，载入了 v${details.currentVersion}。`, "info");
    }
    changed();
  }

  // ----- loading and saving -----

  async function showScript(view: ScriptView, { fillForm }: { fillForm: boolean }) {
    const { versions } = await api<{ versions: ScriptVersion[] }>(
      "GET",
      `/v1/knowledge/scripts/${view.item.id}/versions`,
    );
    loaded = { view, versions };
    isNew = false;
    conflict.hidden = true;
    if (fillForm) {
      base = { version: view.item.latestVersion, content: contentOf(view.latest) };
      form.setEditable(canEditScript());
      form.fill(base.content, { id: view.item.id, isNew: false });
      showFormError(null);
    }
    emptyState.hidden = true;
    scriptView.hidden = false;
    renderHead();
    renderReviewBox();
    renderDiff();
    renderHistory();
    if (panes.current() === "pane-tab-audit") void renderAudit();
    changed();
    sidebar.markCurrent(view.item.id);
    if (window.location.hash !== `#${view.item.id}`)
      window.history.replaceState(null, "", `#${view.item.id}`);
  }

  const leaveEdit = () =>
    !(isNew || loaded) || !form.dirty() || window.confirm("当前修改尚未保存。确定放弃这些修改吗？");

  async function open(id: string, pane: Pane = "edit") {
    if (loaded?.view.item.id === id && !isNew) {
      showPane(pane);
      return;
    }
    if (!leaveEdit()) return;
    setMessage("");
    versionPair = null;
    try {
      const view = await api<ScriptView>("GET", `/v1/knowledge/scripts/${encodeURIComponent(id)}`);
      await showScript(view, { fillForm: true });
      showPane(pane);
    } catch (error) {
      setMessage(failureText(error), "error");
      emptyState.hidden = true;
      scriptView.hidden = false;
    }
  }

  function newScript(prefill?: { questions: readonly string[] }) {
    if (!bootstrap.canEdit || !leaveEdit()) return;
    // A gap's most typical question becomes the standard question, the others its variants (at
    // least three inputs, as the form asks for three).
    const [question = "", ...others] = prefill?.questions ?? [];
    const variants = others.length > 0 ? [...others, "", ""].slice(0, Math.max(3, others.length)) : [];
    loaded = null;
    base = null;
    isNew = true;
    versionPair = null;
    setMessage("");
    conflict.hidden = true;
    showFormError(null);
    form.setEditable(true);
    form.fill(
      {
        title: "",
        question,
        variants,
        answer: "",
        basis: { ...EMPTY_BASIS },
        departments: [],
        category: [],
        region: "全市",
        audience: ["个人"],
        tags: [],
        validFrom: chinaToday(),
        validTo: null,
        owner: "",
      },
      { id: "", isNew: true },
    );
    emptyState.hidden = true;
    scriptView.hidden = false;
    renderHead();
    renderReviewBox();
    renderHistory();
    sidebar.markCurrent(null);
    window.history.replaceState(null, "", window.location.pathname);
    showPane("edit");
    form.focusFirst();
  }

  async function save(submit: boolean) {
    if (!bootstrap.canEdit || (!isNew && !loaded) || !canEditScript()) return;
    const problem = form.problem(isNew);
    if (problem) {
      showPane("edit");
      showFormError(problem.message);
      problem.focus.focus();
      return;
    }
    showFormError(null);
    const content = form.read();
    const changeNote = form.changeNote();
    const latest = loaded?.view.latest;
    if (!isNew && !form.dirty()) {
      if (submit && latest?.state === "draft") {
        await act(
          () =>
            api<ScriptView>(
              "POST",
              `/v1/knowledge/scripts/${latest.itemId}/versions/${latest.version}/submit`,
            ),
          (view) => `已提交审核：v${view.latest.version}。`,
        );
      } else {
        setMessage("没有需要保存的修改。", "info");
      }
      return;
    }
    busy(true);
    try {
      const view = isNew
        ? await api<ScriptView>("POST", "/v1/knowledge/scripts", {
            body: { ...content, id: form.id(), changeNote, submit },
          })
        : await api<ScriptView>(
            "PUT",
            `/v1/knowledge/scripts/${encodeURIComponent(loaded?.view.item.id ?? "")}`,
            {
              body: { baseVersion: base?.version, content, changeNote, submit },
            },
          );
      await showScript(view, { fillForm: true });
      const published = view.published
        ? `已发布的 v${view.published.version} 在审核通过前继续对话务员生效。`
        : "";
      setMessage(
        submit
          ? `已提交审核：v${view.latest.version}，等待另一位审核员审核。${published}`
          : `已保存草稿 v${view.latest.version}（未提交审核）。`,
        "ok",
      );
      void sidebar.refresh();
    } catch (error) {
      const details = conflictOf(error);
      if (details) showConflict(details, content, changeNote);
      else if (error instanceof ApiFailure && error.status === 409 && isNew)
        showFormError(`编号 ${form.id()} 已被使用，请换一个。`);
      else showFormError(failureText(error));
    } finally {
      busy(false);
    }
  }

  function paneShown(tab: string) {
    if (tab === "pane-tab-diff") renderDiff();
    if (tab === "pane-tab-audit") void renderAudit();
  }
  const panes = tabList(byId("pane-tabs"), paneShown);

  function showPane(pane: Pane) {
    const tab = `pane-tab-${pane}`;
    if (panes.current() === tab) paneShown(tab);
    else panes.select(tab);
  }

  function changed() {
    const dirty = isNew || form.dirty();
    dirtyFlag.textContent = !isNew && dirty ? "● 有未保存的修改" : "";
    if (panes.current() === "pane-tab-diff" && !versionPair) renderDiff();
  }

  byId("show-diff").addEventListener("click", () => {
    versionPair = null;
    showPane("diff");
  });
  byId("save-draft").addEventListener("click", () => void save(false));
  byId("submit-review").addEventListener("click", () => void save(true));
  byId("discard-edit").addEventListener("click", () => {
    if (!base || !loaded || !form.dirty() || !window.confirm("放弃未保存的修改？")) return;
    form.fill(base.content, { id: loaded.view.item.id, isNew: false });
    changed();
  });
  byId<HTMLFormElement>("edit-form").addEventListener("submit", (event) => event.preventDefault());

  return {
    open,
    newScript,
    save,
    showPane,
    isOpen: () => isNew || loaded !== null,
    dirty: () => isNew || form.dirty(),
    changed,
  };
}
