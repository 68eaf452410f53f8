/**
 * The left column: the filtered script list (with agents' 不适用 marks), the hit test, the review
 * queue, the expiring list and the 待核实 list (incomplete policy basis).
 */
import { ApiFailure, api } from "../lib/api";
import { byId, debounce, formatDateTime, h, render } from "../lib/dom";
import { signalBadges } from "../lib/search-view";
import { categoryLabel, parseCategory } from "./form";
import { arrowNavigation, tabList } from "./tabs";
import {
  type Catalogue,
  daysUntil,
  type EditorBootstrap,
  type ScriptList,
  type ScriptSummary,
  type ScriptVersion,
  type SearchResponse,
  STATE_LABELS,
} from "./types";

const PAGE_SIZE = 50;
const TYPING_PAUSE_MS = 250;

export type Pane = "edit" | "diff" | "history" | "audit";

export interface Sidebar {
  /** Fills the department pickers and the category suggestions once the catalogue is in. */
  setCatalogue(catalogue: Catalogue): void;
  /** Reloads what may have changed after a save or a review. */
  refresh(): Promise<void>;
  markCurrent(id: string | null): void;
  focusSearch(): void;
}

/** A badge for a script's state: what agents see, and what is waiting. */
export function stateBadge(state: string, version?: number): HTMLElement {
  const label = STATE_LABELS[state as keyof typeof STATE_LABELS] ?? state;
  return h("span", { class: `state state-${state}` }, version === undefined ? label : `${label} v${version}`);
}

function summaryBadge(summary: ScriptSummary): HTMLElement {
  if (summary.status === "retired") return h("span", { class: "state state-retired" }, "已停用");
  if (summary.latestState === "published") return stateBadge("published", summary.latestVersion);
  return stateBadge(summary.latestState, summary.latestVersion);
}

const errorText = (error: unknown) =>
  error instanceof ApiFailure ? `加载失败：${error.message}` : "加载失败，请稍后重试。";

export function createSidebar(options: {
  bootstrap: EditorBootstrap;
  departmentNames: (codes: readonly string[]) => string;
  open: (id: string, pane?: Pane) => void;
  /** Opens a new script prefilled with a knowledge gap's questions. */
  newFromGap: (questions: readonly string[]) => void;
}): Sidebar {
  const { departmentNames, open } = options;
  const listForm = byId<HTMLFormElement>("list-form");
  const listQuery = byId<HTMLInputElement>("list-q");
  const listDepartment = byId<HTMLSelectElement>("list-department");
  const listCategory = byId<HTMLInputElement>("list-category");
  const listStatus = byId<HTMLSelectElement>("list-status");
  const listExpiring = byId<HTMLSelectElement>("list-expiring");
  const listSummary = byId("list-summary");
  const listResults = byId<HTMLUListElement>("list-results");
  const listMore = byId<HTMLButtonElement>("list-more");
  const hitForm = byId<HTMLFormElement>("hit-form");
  const hitQuery = byId<HTMLTextAreaElement>("hit-query");
  const hitDepartment = byId<HTMLSelectElement>("hit-department");
  const hitCategory = byId<HTMLInputElement>("hit-category");
  const hitSummary = byId("hit-summary");
  const hitResults = byId<HTMLOListElement>("hit-results");
  const queueList = byId<HTMLUListElement>("queue-list");
  const queueCount = byId("queue-count");
  const expiringDays = byId<HTMLSelectElement>("expiring-days");
  const expiringList = byId<HTMLUListElement>("expiring-list");
  const verifyList = byId<HTMLUListElement>("verify-list");
  const gapList = byId<HTMLUListElement>("gap-list");
  /** Agents' 不适用 / 采用 marks per script (suggestion feedback), shown next to each script. */
  let marks = new Map<string, { dismissed: number; accepted: number }>();

  let currentId: string | null = null;
  let loaded: ScriptSummary[] = [];
  let total = 0;
  let listRequest: AbortController | null = null;

  const tabs = tabList(byId("side-tabs"), (tab) => {
    if (tab === "tab-queue") void loadQueue();
    if (tab === "tab-expiring") void loadExpiring();
    if (tab === "tab-verify") void loadVerify();
    if (tab === "tab-gaps") void loadGaps();
  });
  for (const list of [listResults, hitResults, queueList, expiringList, verifyList, gapList])
    arrowNavigation(list);

  async function loadMarks(): Promise<void> {
    try {
      const response = await api<{ marks: { scriptId: string; dismissed: number; accepted: number }[] }>(
        "GET",
        "/v1/knowledge/script-marks",
      );
      marks = new Map(response.marks.map((mark) => [mark.scriptId, mark]));
    } catch {
      marks = new Map(); // the list still works without them
    }
  }

  /** "不适用 ×3" next to a script agents dismissed, so editors see which scripts miss. */
  const marksBadge = (id: string) => {
    const mark = marks.get(id);
    if (!mark || mark.dismissed + mark.accepted === 0) return null;
    return h(
      "span",
      {
        class: `state ${mark.dismissed > 0 ? "state-rejected" : "state-published"}`,
        "data-testid": `marks-${id}`,
        title: `坐席反馈：不适用 ${mark.dismissed} 次，采用 ${mark.accepted} 次`,
      },
      mark.dismissed > 0 ? `不适用 ×${mark.dismissed}` : `采用 ×${mark.accepted}`,
    );
  };

  async function loadVerify(): Promise<void> {
    try {
      await loadMarks();
      const { scripts } = await api<{
        scripts: { id: string; title: string; version: number; missing: string[] }[];
      }>("GET", "/v1/knowledge/basis-review");
      const labels: Record<string, string> = {
        document: "文件名称",
        number: "发文字号",
        clause: "条款",
        issuer: "发布机关",
        checkedAt: "核实日期",
      };
      render(
        verifyList,
        scripts.length === 0
          ? h("li", { class: "muted empty-row" }, "所有已发布口径的政策依据均已核实。")
          : null,
        scripts.map((entry) =>
          h(
            "li",
            {},
            resultButton(
              entry.id,
              `verify-${entry.id}`,
              "edit",
              h(
                "span",
                { class: "r-line" },
                h("span", { class: "r-title" }, entry.title),
                marksBadge(entry.id) ?? h("span", {}),
              ),
              h(
                "span",
                { class: "r-meta" },
                `${entry.id} · 缺：${entry.missing.map((part) => labels[part] ?? part).join("、")}`,
              ),
            ),
          ),
        ),
      );
    } catch (error) {
      render(verifyList, h("li", { class: "alert" }, errorText(error)));
    }
  }

  /** 缺口: questions no script answered, grouped; each one click from a prefilled new script. */
  async function loadGaps(): Promise<void> {
    try {
      const { gaps } = await api<{
        gaps: { id: string; count: number; lastAt: string; examples: string[]; keywords: string[] }[];
      }>("GET", "/v1/knowledge/gaps?limit=50");
      render(
        gapList,
        gaps.length === 0 ? h("li", { class: "muted empty-row" }, "近 30 天没有未能可靠回答的问题。") : null,
        gaps.map((gap, index) =>
          h(
            "li",
            { class: "gap", "data-testid": `gap-${index}` },
            h(
              "span",
              { class: "r-line" },
              h("span", { class: "r-title" }, gap.examples[0] ?? ""),
              h(
                "span",
                { class: "state state-rejected", "data-testid": `gap-count-${index}` },
                `${gap.count} 次`,
              ),
            ),
            h(
              "span",
              { class: "r-meta" },
              `最近 ${new Date(gap.lastAt).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false })}` +
                (gap.keywords.length > 0 ? ` · ${gap.keywords.join("、")}` : ""),
            ),
            gap.examples.length > 1
              ? h(
                  "ul",
                  { class: "gap-examples small", "data-testid": `gap-examples-${index}` },
                  gap.examples.slice(1).map((example) => h("li", {}, example)),
                )
              : null,
            options.bootstrap.canEdit
              ? h(
                  "button",
                  {
                    type: "button",
                    class: "secondary",
                    "data-testid": `gap-new-${index}`,
                    onclick: () => options.newFromGap(gap.examples),
                  },
                  "新建口径",
                )
              : null,
          ),
        ),
      );
    } catch (error) {
      render(gapList, h("li", { class: "alert" }, errorText(error)));
    }
  }

  const resultButton = (id: string, testId: string, pane: Pane | undefined, ...children: HTMLElement[]) =>
    h(
      "button",
      {
        type: "button",
        class: `result${id === currentId ? " current" : ""}`,
        "data-id": id,
        "data-testid": testId,
        onclick: () => open(id, pane),
      },
      children,
    );

  // ----- the script list -----

  function listQueryString(offset: number): string {
    const params = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(offset) });
    if (listQuery.value.trim()) params.set("q", listQuery.value.trim());
    if (listDepartment.value) params.set("department", listDepartment.value);
    const path = parseCategory(listCategory.value);
    if (path.length > 0) params.set("category", path.slice(0, 3).join("/"));
    if (listStatus.value) params.set("status", listStatus.value);
    if (listExpiring.value) params.set("expiringWithinDays", listExpiring.value);
    return params.toString();
  }

  function renderList() {
    render(
      listResults,
      loaded.length === 0 ? h("li", { class: "muted empty-row" }, "没有符合条件的口径。") : null,
      loaded.map((summary) =>
        h(
          "li",
          {},
          resultButton(
            summary.id,
            `result-${summary.id}`,
            undefined,
            h(
              "span",
              { class: "r-line" },
              h("span", { class: "r-title" }, summary.title),
              summaryBadge(summary),
              marksBadge(summary.id) ?? h("span", {}),
            ),
            h(
              "span",
              { class: "r-meta" },
              [
                summary.id,
                departmentNames(summary.departments),
                summary.category.at(-1) ?? "",
                summary.validTo ? `${summary.validTo} 到期` : "",
              ]
                .filter(Boolean)
                .join(" · "),
            ),
          ),
        ),
      ),
    );
    listSummary.textContent = `共 ${total} 条${loaded.length < total ? `，已显示 ${loaded.length} 条` : ""}`;
    listMore.hidden = loaded.length >= total;
  }

  async function loadList(append = false): Promise<void> {
    listRequest?.abort();
    const request = new AbortController();
    listRequest = request;
    const offset = append ? loaded.length : 0;
    listSummary.textContent = "加载中…";
    try {
      const page = await api<ScriptList>("GET", `/v1/knowledge/scripts?${listQueryString(offset)}`, {
        signal: request.signal,
      });
      if (request.signal.aborted) return;
      loaded = append ? [...loaded, ...page.scripts] : page.scripts;
      total = page.total;
      renderList();
    } catch (error) {
      if (request.signal.aborted) return;
      listSummary.textContent = errorText(error);
    }
  }

  const reloadSoon = debounce(TYPING_PAUSE_MS, () => void loadList());
  // ↓ from the search box goes straight to the results.
  listQuery.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowDown") return;
    const first = listResults.querySelector<HTMLButtonElement>("button.result");
    if (!first) return;
    event.preventDefault();
    first.focus();
  });
  listQuery.addEventListener("input", reloadSoon);
  listCategory.addEventListener("change", () => void loadList());
  for (const select of [listDepartment, listStatus, listExpiring]) {
    select.addEventListener("change", () => void loadList());
  }
  listForm.addEventListener("submit", (event) => {
    event.preventDefault();
    reloadSoon.cancel();
    void loadList();
  });
  listMore.addEventListener("click", () => void loadList(true));

  // ----- the hit test -----

  async function runHitTest(): Promise<void> {
    const query = hitQuery.value.trim();
    if (!query) {
      hitSummary.textContent = "请输入市民的说法。";
      hitQuery.focus();
      return;
    }
    const path = parseCategory(hitCategory.value).slice(0, 3);
    const filters = {
      ...(hitDepartment.value ? { departments: [hitDepartment.value] } : {}),
      ...(path.length > 0 ? { category: path } : {}),
    };
    hitSummary.textContent = "检索中…";
    try {
      const response = await api<SearchResponse>("POST", "/v1/knowledge/search", {
        body: { query, limit: 10, filters },
      });
      hitSummary.textContent =
        response.results.length === 0
          ? "没有命中任何已发布口径。"
          : `${response.confident ? "" : "未找到可靠口径（低于切题阈值） · "}命中 ${response.results.length} 条 · 检索词：${response.terms.slice(0, 12).join(" ")} · 向量 ${response.timings.embedMs} ms，检索 ${response.timings.searchMs} ms`;
      render(
        hitResults,
        response.results.map((result, index) =>
          h(
            "li",
            {},
            resultButton(
              result.id,
              `hit-${result.id}`,
              undefined,
              h(
                "span",
                { class: "r-line" },
                h("span", { class: "rank" }, String(index + 1)),
                h("span", { class: "r-title" }, result.title),
                h("span", { class: "muted small" }, `v${result.version}`),
              ),
              h("span", { class: "r-meta" }, `命中：“${result.matchedText}”`),
              signalBadges(result),
            ),
          ),
        ),
      );
    } catch (error) {
      hitSummary.textContent = errorText(error);
    }
  }

  hitForm.addEventListener("submit", (event) => {
    event.preventDefault();
    void runHitTest();
  });
  // Enter runs the test, Shift+Enter starts a new line.
  hitQuery.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void runHitTest();
    }
  });

  // ----- review queue and expiring scripts -----

  async function loadQueue(): Promise<void> {
    try {
      const { versions } = await api<{ versions: ScriptVersion[] }>("GET", "/v1/knowledge/review-queue");
      queueCount.textContent = versions.length > 0 ? String(versions.length) : "";
      render(
        queueList,
        versions.length === 0 ? h("li", { class: "muted empty-row" }, "没有待审核的版本。") : null,
        versions.map((version) =>
          h(
            "li",
            {},
            resultButton(
              version.itemId,
              `queue-${version.itemId}-v${version.version}`,
              "diff",
              h(
                "span",
                { class: "r-line" },
                h("span", { class: "r-title" }, version.title),
                h("span", { class: "muted small" }, `v${version.version}`),
                version.authorPerson === options.bootstrap.person
                  ? h("span", { class: "state state-mine" }, "我提交的")
                  : null,
              ),
              h(
                "span",
                { class: "r-meta" },
                `${version.author} · ${formatDateTime(version.createdAt)}${version.changeNote ? ` · ${version.changeNote}` : ""}`,
              ),
            ),
          ),
        ),
      );
    } catch (error) {
      render(queueList, h("li", { class: "alert" }, errorText(error)));
    }
  }

  async function loadExpiring(): Promise<void> {
    try {
      const { scripts } = await api<{ scripts: ScriptVersion[] }>(
        "GET",
        `/v1/knowledge/expiring?days=${encodeURIComponent(expiringDays.value)}`,
      );
      render(
        expiringList,
        scripts.length === 0 ? h("li", { class: "muted empty-row" }, "这段时间内没有到期的口径。") : null,
        scripts.map((version) => {
          const left = version.validTo ? daysUntil(version.validTo) : null;
          return h(
            "li",
            {},
            resultButton(
              version.itemId,
              `expiring-${version.itemId}`,
              "edit",
              h(
                "span",
                { class: "r-line" },
                h("span", { class: "r-title" }, version.title),
                h(
                  "span",
                  {
                    class: `state ${left !== null && left <= 7 ? "state-rejected" : "state-pending_review"}`,
                  },
                  left === null ? "" : left === 0 ? "今天到期" : `还剩 ${left} 天`,
                ),
              ),
              h(
                "span",
                { class: "r-meta" },
                `${version.validTo ?? ""} 到期 · ${departmentNames(version.departments)} · ${version.owner}`,
              ),
            ),
          );
        }),
      );
    } catch (error) {
      render(expiringList, h("li", { class: "alert" }, errorText(error)));
    }
  }
  expiringDays.addEventListener("change", () => void loadExpiring());

  // Marks first (once), so the list shows them next to each script.
  void loadMarks().then(() => loadList());
  void loadQueue();

  return {
    setCatalogue(catalogue) {
      for (const select of [listDepartment, hitDepartment]) {
        render(
          select,
          h("option", { value: "" }, "全部部门"),
          catalogue.departments.map((department) =>
            h("option", { value: department.code }, department.name.replace(/^阳江市/, "")),
          ),
        );
      }
      const prefixes = new Set<string>();
      for (const path of catalogue.categories) {
        for (let depth = 1; depth <= path.length; depth += 1)
          prefixes.add(categoryLabel(path.slice(0, depth)));
      }
      render(
        byId("category-options"),
        [...prefixes].map((label) => h("option", { value: label })),
      );
      if (loaded.length > 0) renderList(); // department names instead of codes
    },
    async refresh() {
      await Promise.all([
        loadList(),
        loadQueue(),
        tabs.current() === "tab-expiring" ? loadExpiring() : Promise.resolve(),
        tabs.current() === "tab-verify" ? loadVerify() : Promise.resolve(),
        tabs.current() === "tab-gaps" ? loadGaps() : Promise.resolve(),
      ]);
    },
    markCurrent(id) {
      currentId = id;
      for (const button of document.querySelectorAll<HTMLButtonElement>(".sidebar button.result")) {
        button.classList.toggle("current", button.dataset.id === id);
      }
    },
    focusSearch() {
      tabs.select("tab-list");
      listQuery.focus();
      listQuery.select();
    },
  };
}
