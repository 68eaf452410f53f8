/**
 * The agent's console: suggestions refresh while the agent types (debounced, never blocking the
 * text area), the agent copies approved wording, then confirms or corrects the classification.
 */
import type { z } from "zod";
import type { CalendarStatusSchema } from "../../api/schemas/calendar";
import type { CatalogueSchema } from "../../api/schemas/catalogue";
import type { CrisisStateSchema } from "../../api/schemas/crisis";
import type { SearchResponseSchema } from "../../api/schemas/knowledge";
import type { SuggestResponseSchema } from "../../api/schemas/suggest";
import { ApiFailure, api, copyText } from "./lib/api";
import { bandBadge, bootstrapData, byId, debounce, formatTime, h, render } from "./lib/dom";
import { basisLine, signalBadges } from "./lib/search-view";

type Suggestion = z.infer<typeof SuggestResponseSchema>;
type Catalogue = z.infer<typeof CatalogueSchema>;
type CrisisState = z.infer<typeof CrisisStateSchema>;
type CalendarStatus = z.infer<typeof CalendarStatusSchema>;
type SearchResponse = z.infer<typeof SearchResponseSchema>;

/** Wait this long after the last keystroke before asking (agents type in bursts). */
const DEBOUNCE_MS = 350;
/** Shorter texts carry too little to classify. */
const MIN_TEXT_LENGTH = 4;
/** After this the status line says the service is slow (the request keeps going). */
const SLOW_AFTER_MS = 1500;
const REQUEST_TIMEOUT_MS = 8000;
/** When the service is down, try again this often while text is there. */
const RETRY_MS = 5000;
/** The crisis and calendar banners are refreshed this often (an admin may declare a crisis any time). */
const NOTICES_MS = 60_000;

const RULE_NAMES: Record<string, string> = {
  "2135": "2135 规则（市场主体）",
  emergency: "紧急事项",
  standard: "常规时限",
  crisis: "应急时限",
};

const { agentId } = bootstrapData<{ agentId: string }>();
const textArea = byId<HTMLTextAreaElement>("request-text");
const business = byId<HTMLInputElement>("caller-business");
const statusLine = byId("status");
const urgentBanner = byId("urgent");
const crisisBanner = byId("crisis");
const calendarBanner = byId("calendar");
const summary = byId("summary");
const scriptList = byId<HTMLOListElement>("scripts");
const caseList = byId<HTMLUListElement>("cases");
const duplicatesCard = byId("duplicates-card");
const duplicateList = byId<HTMLUListElement>("duplicates");
const feedbackCard = byId("feedback-card");
const feedbackForm = byId<HTMLFormElement>("feedback-form");
const categoryInput = byId<HTMLInputElement>("fb-category");
const leadSelect = byId<HTMLSelectElement>("fb-lead");
const assistSelect = byId<HTMLSelectElement>("fb-assist");
const typeFieldset = byId<HTMLFieldSetElement>("fb-type");
const feedbackStatus = byId("fb-status");
const searchForm = byId<HTMLFormElement>("kb-search-form");
const searchQuery = byId<HTMLInputElement>("kb-search-query");
const searchSummary = byId("kb-search-summary");
const searchResults = byId<HTMLOListElement>("kb-search-results");
const confirmAll = byId<HTMLInputElement>("fb-confirm-all");

let catalogue: Catalogue | null = null;
let current: Suggestion | null = null;
/**
 * The fields the agent changed (or re-chose) for the current suggestion. Only these, or every field
 * when "预选内容已逐项核实" is ticked, are sent as confirmed: an untouched preselection is the model's
 * own guess, not the agent's confirmation (#15).
 */
const touched = new Set<"category" | "departments" | "type">();
/** What the agent did with each script of the current suggestion. */
const scriptMarks = new Map<string, "used" | "dismissed">();
/** The earlier requests the agent merges the current one with (并单), sent with the feedback. */
const merges = new Set<string>();
let inFlight: AbortController | null = null;
let lastAsked = "";
let retryTimer: ReturnType<typeof setTimeout> | undefined;

function setStatus(text: string, tone: "" | "slow" | "down" | "ok" = "") {
  statusLine.textContent = text;
  statusLine.className = `status ${tone}`;
}

const categoryLabel = (path: readonly string[]) => path.join(" / ");

async function loadCatalogue(): Promise<void> {
  try {
    catalogue = await api<Catalogue>("GET", "/v1/catalogue", { timeoutMs: REQUEST_TIMEOUT_MS });
  } catch {
    catalogue = null; // corrections then offer only the suggested labels
    return;
  }
  render(
    byId("category-options"),
    catalogue.categories.map((path) => h("option", { value: categoryLabel(path) })),
  );
  // A suggestion that came first showed ids; now names are known.
  if (current) {
    showUrgent(current);
    showCases(current);
  }
}

/** Asks for suggestions for what is in the text area now; older answers are dropped. */
async function analyse(force = false): Promise<void> {
  clearTimeout(retryTimer);
  const text = textArea.value.trim();
  if (text.length < MIN_TEXT_LENGTH) {
    setStatus("输入内容后自动给出建议。");
    return;
  }
  const callerType = business.checked ? "business" : undefined;
  const question = `${callerType ?? ""}|${text}`;
  if (!force && question === lastAsked) return;
  lastAsked = question;
  inFlight?.abort();
  const controller = new AbortController();
  inFlight = controller;
  setStatus("分析中…");
  const slow = setTimeout(() => setStatus("服务响应较慢，仍在分析…（可继续输入）", "slow"), SLOW_AFTER_MS);
  try {
    const suggestion = await api<Suggestion>("POST", "/v1/suggest", {
      body: { text, channel: "phone", ...(callerType ? { callerType } : {}) },
      signal: controller.signal,
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
    if (controller !== inFlight) return;
    showSuggestion(suggestion);
    setStatus(
      `已更新 · ${Math.round(suggestion.timings.totalMs)} ms · 模型 ${suggestion.modelVersion}`,
      "ok",
    );
  } catch (error) {
    if (controller.signal.aborted) return; // superseded by newer text
    lastAsked = ""; // ask again for the same text once the service is back
    const reason = error instanceof ApiFailure ? error.message : "未知错误";
    const down = !(error instanceof ApiFailure) || error.unavailable || error.status >= 500;
    setStatus(
      down
        ? `智能建议暂不可用（${reason}）。已输入的内容不受影响，${RETRY_MS / 1000} 秒后自动重试；可按常规流程手工派单。`
        : `无法分析：${reason}`,
      "down",
    );
    for (const element of [summary, scriptList, caseList]) element.classList.add("stale");
    if (down) retryTimer = setTimeout(() => void analyse(), RETRY_MS);
  } finally {
    clearTimeout(slow);
    if (inFlight === controller) inFlight = null;
  }
}

function showSuggestion(suggestion: Suggestion): void {
  current = suggestion;
  scriptMarks.clear();
  merges.clear();
  for (const element of [summary, scriptList, caseList]) element.classList.remove("stale");
  showUrgent(suggestion);
  showCrisis(suggestion.crisis ? { name: suggestion.crisis.name } : null);
  showSummary(suggestion);
  showScripts(suggestion);
  showCases(suggestion);
  showDuplicates(suggestion);
  prepareFeedback(suggestion);
}

/** `order:WO1` → 工单 WO1; `suggestion:<uuid>` → 来电 and the id's opening (what the agent can quote). */
function requestLabel(id: string): string {
  const [source, ...rest] = id.split(":");
  const own = rest.join(":");
  return source === "order" ? `工单 ${own}` : `来电 ${own.slice(0, 8)}`;
}

/** 并单 hints: open requests about the same problem and place, each with a toggle to merge. */
function showDuplicates(suggestion: Suggestion): void {
  duplicatesCard.hidden = suggestion.possibleDuplicates.length === 0;
  render(
    duplicateList,
    suggestion.possibleDuplicates.map((duplicate, index) => {
      const button = h(
        "button",
        { type: "button", class: "secondary", "aria-pressed": "false", "data-testid": `merge-${index}` },
        "并单",
      );
      button.addEventListener("click", () => {
        const merged = !merges.has(duplicate.id);
        if (merged) merges.add(duplicate.id);
        else merges.delete(duplicate.id);
        button.setAttribute("aria-pressed", String(merged));
        button.textContent = merged ? "已选并单（保存时记录）" : "并单";
      });
      return h(
        "li",
        { "data-testid": `duplicate-${index}`, "data-id": duplicate.id },
        h("strong", {}, requestLabel(duplicate.id)),
        h(
          "span",
          { class: "muted small" },
          ` · ${formatTime(duplicate.at)} · 相似度 ${(duplicate.similarity * 100).toFixed(0)}%`,
        ),
        h("div", {}, duplicate.summary || "（摘要已按保存期限删除）"),
        h("div", { class: "muted small" }, duplicate.why),
        button,
      );
    }),
  );
}

function showUrgent(suggestion: Suggestion): void {
  const { urgent } = suggestion;
  urgentBanner.hidden = !urgent.flag;
  if (!urgent.flag) return;
  render(
    urgentBanner,
    "⚠ 紧急诉求",
    urgent.dispatchWithin === null ? "" : `：请在 ${urgent.dispatchWithin} 分钟内派单`,
    urgent.matched.length > 0 ? `（命中紧急项：${urgent.matched.map(emergencyName).join("、")}）` : "",
    // The sentence that matched, so the agent sees at once why (a long call has one urgent clause).
    urgent.evidence[0] ? ` 依据：“${urgent.evidence[0].clause}”` : "",
  );
}

/** The declared crisis, as a banner over everything (from GET /v1/crisis and every suggestion). */
function showCrisis(crisis: { name: string } | null): void {
  crisisBanner.hidden = crisis === null;
  if (crisis) {
    render(
      crisisBanner,
      `⚠ 应急状态：${crisis.name}。与该事件相关的诉求按应急时限（自然日）办结，其他诉求按常规时限；每条建议的“依据”写明具体时限。`,
    );
  }
}

/** Missing holiday data, as a banner: deadlines past it count weekends only. */
function showCalendar(status: CalendarStatus): void {
  calendarBanner.hidden = status.ok || !status.message;
  if (!status.ok && status.message) render(calendarBanner, `⚠ ${status.message}`);
}

async function loadNotices(): Promise<void> {
  const [crisis, calendar] = await Promise.allSettled([
    api<CrisisState>("GET", "/v1/crisis", { timeoutMs: REQUEST_TIMEOUT_MS }),
    api<CalendarStatus>("GET", "/v1/calendar", { timeoutMs: REQUEST_TIMEOUT_MS }),
  ]);
  // A failed refresh keeps what is shown; the next one tries again.
  if (crisis.status === "fulfilled") showCrisis(crisis.value.crisis);
  if (calendar.status === "fulfilled") showCalendar(calendar.value);
}

const AUTOMATION_NAMES: Record<string, string> = {
  "auto-fill": "自动填写",
  preselect: "已预选",
  suggest: "请坐席选择",
};

/** How far the form acted on a field: auto-filled, preselected, or left for the agent (not sure). */
function automationTag(level: string, field: string): HTMLElement {
  return h(
    "span",
    {
      class: `tag automation automation-${level}`,
      "data-testid": `automation-${field}`,
      title:
        level === "suggest"
          ? "把握不足：表单不预选，请坐席自行选择"
          : level === "preselect"
            ? "已在表单中预选，请确认"
            : "达到自动填写的精确率要求，已自动填写",
    },
    AUTOMATION_NAMES[level] ?? level,
  );
}

const ROLE_NAMES: Record<string, string> = { lead: "主办", assist: "协办", candidate: "备选" };

function showSummary(suggestion: Suggestion): void {
  summary.hidden = false;
  const [topType] = suggestion.type;
  render(
    summary,
    h(
      "dl",
      { class: "summary-grid" },
      h("dt", {}, "分类"),
      h(
        "dd",
        { "data-testid": "categories" },
        suggestion.category.length === 0
          ? h("span", { class: "muted" }, "无")
          : h(
              "ol",
              { class: "plain" },
              suggestion.category.map((entry, index) =>
                h(
                  "li",
                  {},
                  categoryLabel(entry.path),
                  bandBadge(entry.band, entry.confidence),
                  index === 0 ? automationTag(entry.automation, "category") : null,
                ),
              ),
            ),
      ),
      h("dt", {}, "类型"),
      h(
        "dd",
        { "data-testid": "type" },
        topType
          ? [
              topType.label,
              bandBadge(topType.band, topType.confidence),
              automationTag(topType.automation, "type"),
              topType.reasons.length > 0
                ? h(
                    "ul",
                    { class: "reasons" },
                    topType.reasons.map((reason) => h("li", {}, reason)),
                  )
                : null,
            ]
          : "—",
      ),
      h("dt", {}, "承办部门"),
      h(
        "dd",
        { "data-testid": "departments" },
        suggestion.departments.length === 0
          ? h("span", { class: "muted" }, "无建议，请按派单目录选择")
          : h(
              "ul",
              { class: "plain" },
              suggestion.departments.map((department) =>
                h(
                  "li",
                  { "data-testid": `department-${department.code}` },
                  h("b", {}, department.name),
                  h("span", { class: "tag" }, ROLE_NAMES[department.role] ?? department.role),
                  bandBadge(department.band, department.confidence),
                  department.role === "lead" ? automationTag(department.automation, "lead") : null,
                  department.reasons.length > 0
                    ? h(
                        "ul",
                        { class: "reasons" },
                        department.reasons.map((reason) => h("li", {}, reason)),
                      )
                    : null,
                ),
              ),
            ),
      ),
      h("dt", {}, "市场主体"),
      h(
        "dd",
        { "data-testid": "market-entity" },
        suggestion.marketEntity.flag ? "是（适用 2135 规则）" : "否",
        automationTag(suggestion.marketEntity.automation, "market-entity"),
        suggestion.marketEntity.reasons.length > 0
          ? h("span", { class: "muted small" }, `（${suggestion.marketEntity.reasons.join("；")}）`)
          : null,
      ),
      h("dt", {}, "办理时限"),
      h(
        "dd",
        { "data-testid": "deadlines" },
        `响应 ${formatTime(suggestion.deadlines.respondBy)} · 办结 ${formatTime(suggestion.deadlines.completeBy)}`,
        h("span", { class: "tag" }, RULE_NAMES[suggestion.deadlines.rule] ?? suggestion.deadlines.rule),
        h(
          "div",
          { class: "deadline-basis muted small", "data-testid": "deadline-basis" },
          `依据：${suggestion.deadlines.basis}`,
        ),
        ...suggestion.deadlines.warningDetails.map((warning) =>
          h("div", { class: "calendar-warning", "data-testid": "calendar-warning" }, `⚠ ${warning.message}`),
        ),
      ),
      ...(suggestion.crisis?.related
        ? [
            h("dt", {}, "应急相关"),
            h(
              "dd",
              { "data-testid": "crisis-relation" },
              `与${suggestion.crisis.name}相关（${suggestion.crisis.reasons.join("；")}）`,
            ),
          ]
        : []),
    ),
  );
}

function markScript(id: string, mark: "used" | "dismissed", item: HTMLElement): void {
  scriptMarks.set(id, mark);
  item.classList.toggle("used", mark === "used");
  item.classList.toggle("dismissed", mark === "dismissed");
}

async function copyScript(index: number): Promise<void> {
  // Not offered when no script is reliable: nothing to copy by shortcut either.
  if (!current?.scriptsConfident) return;
  const script = current.scripts[index];
  const item = scriptList.children[index];
  if (!script || !(item instanceof HTMLElement)) return;
  await copyText(script.answer);
  markScript(script.id, "used", item);
  const note = item.querySelector(".copied");
  if (note) note.textContent = "已复制";
}

/** Search the knowledge base from the console, with the scores editors see in the hit test. */
async function searchKnowledgeBase(query: string): Promise<void> {
  const text = query.trim();
  if (!text) {
    searchSummary.textContent = "请输入关键词或市民的说法。";
    searchQuery.focus();
    return;
  }
  searchSummary.textContent = "检索中…";
  try {
    const response = await api<SearchResponse>("POST", "/v1/knowledge/search", {
      body: { query: text, limit: 5 },
    });
    searchSummary.textContent =
      response.results.length === 0
        ? "没有命中任何已发布口径。"
        : response.confident
          ? `命中 ${response.results.length} 条`
          : `未找到可靠口径：以下 ${response.results.length} 条切题概率低，请核对后再答复`;
    searchSummary.classList.toggle("warn", !response.confident);
    render(
      searchResults,
      response.results.map((result) =>
        h(
          "li",
          { "data-testid": `search-${result.id}`, class: response.confident ? "" : "unreliable" },
          h("b", {}, result.title),
          h("span", { class: "muted small" }, ` · 命中“${result.matchedText}”`),
          signalBadges(result),
          h("div", { class: "answer" }, result.answer),
          basisLine(result.basis),
          h(
            "div",
            { class: "row" },
            h(
              "button",
              {
                type: "button",
                class: "secondary",
                "data-testid": "copy-search-result",
                onclick: async (event: Event) => {
                  await copyText(result.answer);
                  (event.currentTarget as HTMLElement).textContent = "已复制";
                },
              },
              "复制口径",
            ),
          ),
        ),
      ),
    );
  } catch (error) {
    searchSummary.textContent = error instanceof ApiFailure ? error.message : "检索失败，请稍后再试";
  }
}

searchForm.addEventListener("submit", (event) => {
  event.preventDefault();
  void searchKnowledgeBase(searchQuery.value);
});

function showScripts(suggestion: Suggestion): void {
  if (suggestion.scripts.length === 0) {
    render(scriptList, h("li", { class: "muted" }, "知识库中暂无匹配的答复口径"));
    return;
  }
  if (!suggestion.scriptsConfident) {
    // Agents read scripts aloud: below the calibrated threshold none is offered (issue #14).
    render(
      scriptList,
      h(
        "li",
        { class: "no-match", "data-testid": "no-confident-script" },
        h("b", {}, "未找到可靠口径"),
        h(
          "div",
          { class: "muted small" },
          "知识库中没有与这通来电足够切题的口径，请检索知识库或按常规流程登记。",
        ),
        h(
          "button",
          {
            type: "button",
            "data-testid": "search-instead",
            onclick: () => {
              searchQuery.value = textArea.value.trim().slice(0, 200);
              searchQuery.focus();
              void searchKnowledgeBase(searchQuery.value);
            },
          },
          "检索知识库",
        ),
      ),
    );
    return;
  }
  render(
    scriptList,
    suggestion.scripts.map((script, index) => {
      const item = h(
        "li",
        { "data-testid": `script-${script.id}` },
        h("b", {}, script.title),
        h(
          "span",
          { class: "muted small" },
          ` · ${script.departments.map((code) => departmentName(code) ?? code).join("、")} · 匹配“${script.matchedText}”`,
        ),
        h("div", { class: "answer", "data-testid": "script-answer" }, script.answer),
        basisLine(script.basis),
      );
      item.append(
        h(
          "div",
          { class: "row" },
          h(
            "button",
            {
              type: "button",
              class: "secondary",
              "data-testid": "copy-script",
              onclick: () => void copyScript(index),
            },
            "复制口径",
            index < 9 ? h("kbd", {}, `Alt+${index + 1}`) : null,
          ),
          h(
            "button",
            {
              type: "button",
              "data-testid": "dismiss-script",
              onclick: () => markScript(script.id, "dismissed", item),
            },
            "不适用",
          ),
          h("span", { class: "copied ok small", "aria-live": "polite" }),
        ),
      );
      return item;
    }),
  );
}

function showCases(suggestion: Suggestion): void {
  if (suggestion.similarCases.length === 0) {
    render(caseList, h("li", { class: "muted" }, "暂无相似工单"));
    return;
  }
  render(
    caseList,
    suggestion.similarCases.map((similar) =>
      h(
        "li",
        {},
        similar.text,
        h(
          "span",
          { class: "muted small" },
          ` · ${similar.department ? (departmentName(similar.department) ?? similar.department) : "—"} · ${categoryLabel(similar.category)} · 相似度 ${(similar.similarity * 100).toFixed(0)}%`,
        ),
      ),
    ),
  );
}

function emergencyName(id: string): string {
  const item = catalogue?.emergencies.find((emergency) => emergency.id === id);
  return item ? `${item.name}（${item.level}）` : id;
}

function departmentName(code: string): string | undefined {
  return catalogue?.departments.find((department) => department.code === code)?.name;
}

/** The department options: suggested ones first, then the whole catalogue. */
function departmentOptions(
  suggestion: Suggestion,
  selected: string | undefined,
  allowEmpty: boolean,
  emptyLabel = "（无）",
) {
  const suggested = suggestion.departments.map((department) => ({
    code: department.code,
    name: department.name,
  }));
  const rest = (catalogue?.departments ?? []).filter(
    (department) => !suggested.some((entry) => entry.code === department.code),
  );
  return [
    allowEmpty ? h("option", { value: "", selected: selected === "" }, emptyLabel) : null,
    suggested.length > 0
      ? h(
          "optgroup",
          { label: "建议" },
          suggested.map((entry) =>
            h("option", { value: entry.code, selected: entry.code === selected }, entry.name),
          ),
        )
      : null,
    rest.length > 0
      ? h(
          "optgroup",
          { label: "派单目录" },
          rest.map((entry) =>
            h("option", { value: entry.code, selected: entry.code === selected }, entry.name),
          ),
        )
      : null,
  ];
}

function prepareFeedback(suggestion: Suggestion): void {
  feedbackCard.hidden = false;
  touched.clear();
  confirmAll.checked = false;
  feedbackStatus.textContent = "";
  feedbackStatus.className = "";
  // A field at automation level `suggest` (the engine is not sure) is left for the agent to
  // choose: nothing is preselected, the suggestions are shown above the form.
  const chosen = (level: string | undefined) => level !== undefined && level !== "suggest";
  const [topCategory] = suggestion.category;
  categoryInput.value = topCategory && chosen(topCategory.automation) ? categoryLabel(topCategory.path) : "";
  categoryInput.placeholder = topCategory ? `建议：${categoryLabel(topCategory.path)}（请选择）` : "";
  const leadEntry = suggestion.departments.find((department) => department.role === "lead");
  const lead = leadEntry && chosen(leadEntry.automation) ? leadEntry.code : "";
  const assist = suggestion.departments.find((department) => department.role === "assist")?.code;
  render(leadSelect, departmentOptions(suggestion, lead, lead === "", "（请选择主办部门）"));
  // The assist department is only pre-filled when the model is fairly sure of it.
  const assistSure = suggestion.departments.find((department) => department.code === assist)?.band !== "low";
  render(assistSelect, departmentOptions(suggestion, assistSure ? assist : "", true));
  const types = catalogue?.types ?? suggestion.type.map((entry) => entry.label);
  const topType = chosen(suggestion.type[0]?.automation) ? suggestion.type[0]?.label : undefined;
  render(
    typeFieldset,
    h("legend", {}, "诉求类型"),
    types.map((label) =>
      h(
        "label",
        {},
        h("input", { type: "radio", name: "fb-type", value: label, checked: label === topType }),
        label,
      ),
    ),
  );
}

async function saveFeedback(): Promise<void> {
  const suggestion = current;
  if (!suggestion) return;
  const path = categoryInput.value
    .split("/")
    .map((part) => part.trim())
    .filter(Boolean);
  if (path.length === 0 || path.length > 3) {
    feedbackStatus.textContent = "分类格式应为“一级 / 二级 / 三级”";
    feedbackStatus.className = "down";
    return;
  }
  const departments = [leadSelect.value, assistSelect.value].filter(
    (code, index, all) => code && all.indexOf(code) === index,
  );
  const type = typeFieldset.querySelector<HTMLInputElement>("input:checked")?.value;
  const used = [...scriptMarks].filter(([, mark]) => mark === "used").map(([id]) => id);
  const dismissed = [...scriptMarks].filter(([, mark]) => mark === "dismissed").map(([id]) => id);
  const confirmed = confirmAll.checked ? (["category", "departments", "type"] as const) : [...touched];
  feedbackStatus.textContent = "保存中…";
  feedbackStatus.className = "";
  try {
    await api("POST", `/v1/suggestions/${suggestion.id}/feedback`, {
      body: {
        agentId,
        finalCategory: path,
        ...(departments.length > 0 ? { finalDepartments: departments } : {}),
        ...(type ? { finalType: type } : {}),
        ...(used.length > 0 ? { acceptedScriptIds: used } : {}),
        ...(dismissed.length > 0 ? { dismissedScriptIds: dismissed } : {}),
        ...(merges.size > 0 ? { mergedWith: [...merges] } : {}),
        confirmed,
      },
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
    feedbackStatus.textContent =
      (confirmed.length > 0
        ? "已保存，确认/更正的字段将用于下次模型训练"
        : "已保存（未改动也未勾选核实，预选内容不计为确认）") +
      (merges.size > 0 ? `；已记录并单 ${merges.size} 件` : "");
    feedbackStatus.className = "ok";
  } catch (error) {
    feedbackStatus.textContent = `保存失败：${error instanceof ApiFailure ? error.message : "未知错误"}（内容已保留，可再试）`;
    feedbackStatus.className = "down";
  }
}

const analyseSoon = debounce(DEBOUNCE_MS, () => void analyse());
textArea.addEventListener("input", analyseSoon);
business.addEventListener("change", () => void analyse(true));
byId("analyse-now").addEventListener("click", () => void analyse(true));
categoryInput.addEventListener("input", () => touched.add("category"));
leadSelect.addEventListener("change", () => touched.add("departments"));
assistSelect.addEventListener("change", () => touched.add("departments"));
typeFieldset.addEventListener("change", () => touched.add("type"));
feedbackForm.addEventListener("submit", (event) => {
  event.preventDefault();
  void saveFeedback();
});
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey && event.key === "Enter") {
    event.preventDefault();
    analyseSoon.cancel();
    void analyse(true);
  } else if (event.altKey && /^[1-9]$/.test(event.key)) {
    event.preventDefault();
    void copyScript(Number(event.key) - 1);
  } else if (event.altKey && event.key.toLowerCase() === "s") {
    event.preventDefault();
    void saveFeedback();
  }
});

void loadCatalogue();
void loadNotices();
setInterval(() => void loadNotices(), NOTICES_MS);
