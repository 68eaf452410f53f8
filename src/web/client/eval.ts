/**
 * Evaluation page: lists the runs in eval/reports with their headline numbers, links each run's
 * HTML report (new tab) and compares two runs metric by metric, Δ coloured by whether it is better.
 * The chosen pair is kept in the address (?a=…&b=…) so a comparison can be shared or reloaded.
 */
import type { z } from "zod";
import type {
  EvalComparisonSchema,
  EvalRunListSchema,
  EvalRunSummarySchema,
  HeadlineMetricSchema,
} from "../../api/schemas/eval-runs";
import { ApiFailure, api } from "./lib/api";
import { byId, formatDateTime, h, render } from "./lib/dom";
// The accuracy-over-time card (#15) fills itself.
import "./eval-accuracy";

type RunSummary = z.infer<typeof EvalRunSummarySchema>;
type RunList = z.infer<typeof EvalRunListSchema>;
type Comparison = z.infer<typeof EvalComparisonSchema>;
type Metric = Pick<z.infer<typeof HeadlineMetricSchema>, "format" | "value">;
type Change = Comparison["tasks"][number]["metrics"][number]["change"];

const REQUEST_TIMEOUT_MS = 15_000;

const TASK_NAMES: Record<string, string> = {
  department: "派单部门",
  category: "分类（三级）",
  category1: "一级分类",
  type: "诉求类型",
  urgent: "紧急",
  marketEntity: "市场主体",
  retrieval: "知识检索",
};
const CHANGE_NAMES: Record<Change, string> = { better: "更好", worse: "更差", same: "持平", unknown: "—" };

const errorBox = byId("eval-error");
const runsBox = byId("runs");
const runsCount = byId("runs-count");
const compareCard = byId("compare-card");
const compareForm = byId<HTMLFormElement>("compare-form");
const selectA = byId<HTMLSelectElement>("run-a");
const selectB = byId<HTMLSelectElement>("run-b");
const comparisonBox = byId("comparison");

let runs: RunSummary[] = [];
let comparing: AbortController | null = null;

/** "派单部门", or the task and what was predicted when they differ ("分类 → 一级分类"). */
function taskName(task: { task: string; head: string | null }): string {
  if (task.head && task.head !== task.task) return TASK_NAMES[task.head] ?? `${task.task} → ${task.head}`;
  return TASK_NAMES[task.task] ?? task.task;
}

function formatValue(metric: Metric): string {
  if (metric.value === null) return "—";
  return metric.format === "percent" ? `${(metric.value * 100).toFixed(1)}%` : metric.value.toFixed(4);
}

/** Percentages move in percentage points, scores in their own unit; never "-0.0". */
function formatDelta(delta: number | null, format: Metric["format"]): string {
  if (delta === null) return "—";
  const digits = format === "percent" ? 1 : 4;
  const rounded = Number((format === "percent" ? delta * 100 : delta).toFixed(digits));
  const text = rounded === 0 ? (0).toFixed(digits) : `${rounded > 0 ? "+" : ""}${rounded.toFixed(digits)}`;
  return format === "percent" ? `${text} 个百分点` : text;
}

function showError(error: unknown, what: string): void {
  const message = error instanceof ApiFailure ? error.message : String(error);
  errorBox.textContent = `${what}失败：${message}`;
  errorBox.hidden = false;
}

const runLabel = (run: RunSummary) => `${run.name} · ${formatDateTime(run.createdAt)}`;
const reportUrl = (id: string) => `/eval/runs/${encodeURIComponent(id)}/report`;

function renderRuns(): void {
  runsBox.removeAttribute("aria-busy");
  runsCount.textContent = runs.length > 0 ? `共 ${runs.length} 次，最新在前` : "";
  if (runs.length === 0) {
    render(
      runsBox,
      h(
        "p",
        { class: "notice empty", "data-testid": "eval-empty" },
        "尚无评估运行，运行 ",
        h("code", {}, "npm run eval:ci"),
        " 生成",
      ),
    );
    return;
  }
  render(
    runsBox,
    h(
      "table",
      { class: "runs" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, "运行"),
          h("th", { scope: "col" }, "时间"),
          h("th", { scope: "col" }, "任务与主要指标"),
          h("th", { scope: "col" }, "报告"),
        ),
      ),
      h(
        "tbody",
        {},
        runs.map((run) =>
          h(
            "tr",
            { "data-testid": "eval-run", "data-run": run.id },
            h(
              "td",
              { class: "run-name" },
              h("strong", {}, run.name),
              h("div", { class: "muted small" }, run.id),
            ),
            h(
              "td",
              { class: "run-time" },
              formatDateTime(run.createdAt),
              run.modelVersion ? h("div", { class: "muted small" }, `模型 ${run.modelVersion}`) : null,
              run.status === "completed"
                ? null
                : h(
                    "div",
                    { class: "small", "data-testid": "run-status" },
                    run.status === "running" ? "运行中" : "失败",
                  ),
              run.createdBy ? h("div", { class: "muted small" }, `运行者 ${run.createdBy}`) : null,
            ),
            h(
              "td",
              {},
              h(
                "ul",
                { class: "headlines" },
                run.tasks.map((task) =>
                  h(
                    "li",
                    {
                      class: "headline",
                      title: `n=${task.n}${task.folds ? `，${task.folds} 折交叉验证` : ""}`,
                    },
                    h("span", { class: "headline-task" }, taskName(task)),
                    h("span", { class: "headline-metric" }, task.primary.label),
                    h("b", {}, formatValue(task.primary)),
                  ),
                ),
              ),
            ),
            h(
              "td",
              { class: "run-report" },
              h(
                "a",
                {
                  href: reportUrl(run.id),
                  target: "_blank",
                  rel: "noopener",
                  "data-testid": "open-report",
                  "aria-label": `打开 ${run.name} 的报告（新标签页）`,
                },
                "打开报告 ↗",
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

function fillPickers(a: string, b: string): void {
  for (const [select, chosen] of [
    [selectA, a],
    [selectB, b],
  ] as const) {
    render(
      select,
      runs.map((run) => h("option", { value: run.id, selected: run.id === chosen }, runLabel(run))),
    );
    select.value = chosen;
  }
}

/** Δ with its verdict; colour and word say better/worse (a lower ECE is better though negative). */
function changeCell(change: Change, delta: string): HTMLElement {
  return h(
    "td",
    { class: `num delta delta-${change}`, "data-testid": "delta", "data-change": change },
    change === "same" ? null : delta,
    h("span", { class: "delta-word" }, CHANGE_NAMES[change]),
  );
}

/** A task key from the API ("category:category1#2") in words. */
function keyName(key: string): string {
  const [, task = key, head = null, repeat] = /^([^:#]+)(?::([^#]+))?(?:#(\d+))?$/.exec(key) ?? [];
  return `${taskName({ task, head })}${repeat ? `（第 ${repeat} 个）` : ""}`;
}

function renderComparison(comparison: Comparison): void {
  const counts = { better: 0, worse: 0 };
  for (const task of comparison.tasks) {
    for (const metric of task.metrics) {
      if (metric.change === "better") counts.better += 1;
      if (metric.change === "worse") counts.worse += 1;
    }
  }
  const only = [
    comparison.onlyInA.length > 0 ? `仅 A 有：${comparison.onlyInA.map(keyName).join("、")}` : "",
    comparison.onlyInB.length > 0 ? `仅 B 有：${comparison.onlyInB.map(keyName).join("、")}` : "",
  ].filter(Boolean);
  render(
    comparisonBox,
    h(
      "p",
      { class: "compare-summary" },
      h("span", { class: "tag run-tag" }, "A"),
      runLabel(comparison.a),
      h("span", { class: "arrow" }, "→"),
      h("span", { class: "tag run-tag" }, "B"),
      runLabel(comparison.b),
      comparison.tasks.length > 0
        ? h(
            "span",
            { class: "muted small counts" },
            `（${counts.better} 项更好，${counts.worse} 项更差；Δ = B − A）`,
          )
        : null,
    ),
    comparison.tasks.length === 0
      ? h(
          "p",
          { class: "notice", "data-testid": "no-common-tasks" },
          "两次运行没有相同的任务可比较（任务或预测目标不同）。",
        )
      : h(
          "table",
          { class: "comparison" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", { scope: "col" }, "任务"),
              h("th", { scope: "col" }, "指标"),
              h("th", { scope: "col", class: "num" }, "A"),
              h("th", { scope: "col", class: "num" }, "B"),
              h("th", { scope: "col", class: "num" }, "Δ"),
            ),
          ),
          comparison.tasks.map((task) =>
            h(
              "tbody",
              { "data-task": task.key },
              task.metrics.map((metric, index) =>
                h(
                  "tr",
                  { class: index === 0 ? "primary-metric" : null },
                  index === 0
                    ? h(
                        "th",
                        { scope: "rowgroup", rowspan: task.metrics.length, class: "task-cell" },
                        taskName(task),
                        h(
                          "div",
                          { class: "muted small" },
                          task.nA === task.nB ? `n=${task.nA}` : `n=${task.nA} / ${task.nB}`,
                        ),
                      )
                    : null,
                  h(
                    "td",
                    { title: metric.better === "lower" ? "越低越好" : "越高越好" },
                    metric.label,
                    metric.better === "lower"
                      ? h("span", { class: "muted small lower-better" }, "越低越好")
                      : null,
                  ),
                  h("td", { class: "num" }, formatValue({ format: metric.format, value: metric.a })),
                  h("td", { class: "num" }, formatValue({ format: metric.format, value: metric.b })),
                  changeCell(metric.change, formatDelta(metric.delta, metric.format)),
                ),
              ),
            ),
          ),
        ),
    only.length > 0 ? h("p", { class: "muted small" }, only.join("；")) : null,
  );
}

async function compare(): Promise<void> {
  const a = selectA.value;
  const b = selectB.value;
  if (!a || !b) return;
  const url = new URL(window.location.href);
  url.searchParams.set("a", a);
  url.searchParams.set("b", b);
  window.history.replaceState(null, "", url);
  comparing?.abort();
  const controller = new AbortController();
  comparing = controller;
  comparisonBox.setAttribute("aria-busy", "true");
  try {
    const comparison = await api<Comparison>(
      "GET",
      `/v1/eval/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`,
      { signal: controller.signal, timeoutMs: REQUEST_TIMEOUT_MS },
    );
    errorBox.hidden = true;
    renderComparison(comparison);
  } catch (error) {
    if (controller.signal.aborted) return; // a newer comparison replaced this one
    showError(error, "比较");
  } finally {
    if (comparing === controller) comparisonBox.removeAttribute("aria-busy");
  }
}

async function load(): Promise<void> {
  try {
    runs = (await api<RunList>("GET", "/v1/eval/runs", { timeoutMs: REQUEST_TIMEOUT_MS })).runs;
  } catch (error) {
    runsBox.removeAttribute("aria-busy");
    render(runsBox);
    showError(error, "加载评估运行");
    return;
  }
  renderRuns();
  if (runs.length === 0) return;
  compareCard.hidden = false;
  const params = new URLSearchParams(window.location.search);
  const known = (id: string | null) => (id && runs.some((run) => run.id === id) ? id : null);
  const newest = runs[0]?.id ?? "";
  const a = known(params.get("a")) ?? runs[1]?.id ?? newest;
  const b = known(params.get("b")) ?? newest;
  fillPickers(a, b);
  if (runs.length < 2) {
    render(comparisonBox, h("p", { class: "muted" }, "只有一次运行；再运行一次评估后即可比较。"));
    return;
  }
  await compare();
}

compareForm.addEventListener("submit", (event) => {
  event.preventDefault();
  void compare();
});
// Choosing a run compares at once (arrow keys on a focused picker too; older requests are dropped).
selectA.addEventListener("change", () => void compare());
selectB.addEventListener("change", () => void compare());
byId("swap-runs").addEventListener("click", () => {
  const a = selectA.value;
  selectA.value = selectB.value;
  selectB.value = a;
  void compare();
});

void load();
