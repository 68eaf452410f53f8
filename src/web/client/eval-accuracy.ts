/**
 * The evaluation page's "accuracy against final values" card (#15): weekly top-1 (or top-3) of the
 * suggestions per head as SVG curves drawn here (no chart library, nothing fetched from elsewhere),
 * the same numbers as a table, the heads alerting, and the recurring wrong suggestions.
 */
import type { z } from "zod";
import type {
  AccuracyAlertsSchema,
  AccuracyReportSchema,
  KnownFailsSchema,
} from "../../api/schemas/outcomes";
import { ApiFailure, api } from "./lib/api";
import { byId, h, render } from "./lib/dom";

type Report = z.infer<typeof AccuracyReportSchema>;
type Alerts = z.infer<typeof AccuracyAlertsSchema>;
type Fails = z.infer<typeof KnownFailsSchema>;
type Head = Report["heads"][number];

const REQUEST_TIMEOUT_MS = 15_000;
const WEEKS_SHOWN = 12;
const HEAD_NAMES: Record<Head, string> = {
  category: "分类",
  type: "诉求类型",
  department: "派单部门",
  urgent: "紧急",
  marketEntity: "市场主体",
};
// Distinguishable for the common colour-vision deficiencies (Okabe–Ito).
const HEAD_COLOURS: Record<Head, string> = {
  category: "#0072B2",
  type: "#E69F00",
  department: "#009E73",
  urgent: "#D55E00",
  marketEntity: "#CC79A7",
};
const SVG = "http://www.w3.org/2000/svg";

const form = byId<HTMLFormElement>("accuracy-form");
const fromInput = byId<HTMLInputElement>("acc-from");
const toInput = byId<HTMLInputElement>("acc-to");
const metricSelect = byId<HTMLSelectElement>("acc-metric");
const chartBox = byId("accuracy-chart");
const tableBox = byId("accuracy-table");
const alertsBox = byId("accuracy-alerts");
const failsBox = byId("known-fails");

function svg(tag: string, attributes: Record<string, string | number>, ...children: (Node | string)[]) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children) element.append(child);
  return element;
}

const percent = (value: number | null) => (value === null ? "—" : `${(value * 100).toFixed(1)}%`);
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** Weekly curves: x = week, y = 0–100 %; each point carries its numbers as a tooltip. */
function drawChart(report: Report, metric: "top1" | "top3"): void {
  const weeks = report.buckets;
  if (weeks.length === 0) {
    render(
      chartBox,
      h("p", { class: "muted", "data-testid": "accuracy-empty" }, "所选期间没有关联了建议的办结工单。"),
    );
    return;
  }
  const width = 760;
  const height = 260;
  const margin = { left: 44, right: 28, top: 12, bottom: 36 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const x = (index: number) =>
    margin.left + (weeks.length === 1 ? plotW / 2 : (index / (weeks.length - 1)) * plotW);
  const y = (value: number) => margin.top + (1 - value) * plotH;
  const grid = [0, 0.25, 0.5, 0.75, 1].map((value) =>
    svg(
      "g",
      {},
      svg("line", {
        x1: margin.left,
        x2: width - margin.right,
        y1: y(value),
        y2: y(value),
        stroke: "#dde3ec",
      }),
      svg(
        "text",
        { x: margin.left - 6, y: y(value) + 4, "text-anchor": "end", "font-size": 11, fill: "#5b6475" },
        `${value * 100}%`,
      ),
    ),
  );
  const labels = weeks.map((week, index) =>
    svg(
      "text",
      { x: x(index), y: height - 14, "text-anchor": "middle", "font-size": 11, fill: "#5b6475" },
      week.start.slice(5),
    ),
  );
  const curves = report.heads.map((head) => {
    const points = weeks.flatMap((week, index) => {
      const value = week.heads[head][metric];
      return value === null ? [] : [{ index, value, week }];
    });
    return svg(
      "g",
      { "data-head": head, "data-testid": `curve-${head}` },
      svg("polyline", {
        points: points.map((point) => `${x(point.index)},${y(point.value)}`).join(" "),
        fill: "none",
        stroke: HEAD_COLOURS[head],
        "stroke-width": 2,
      }),
      ...points.map((point) =>
        svg(
          "circle",
          { cx: x(point.index), cy: y(point.value), r: 3.5, fill: HEAD_COLOURS[head] },
          svg(
            "title",
            {},
            `${HEAD_NAMES[head]} · ${point.week.start} 起一周：${metric} ${percent(point.value)}（${point.week.heads[head].count} 单）`,
          ),
        ),
      ),
    );
  });
  const chart = svg(
    "svg",
    {
      viewBox: `0 0 ${width} ${height}`,
      width: "100%",
      role: "img",
      "aria-label": `各字段每周 ${metric} 准确率曲线`,
      class: "accuracy-chart",
    },
    ...grid,
    ...labels,
    ...curves,
  );
  const legend = h(
    "ul",
    { class: "legend" },
    report.heads.map((head) =>
      h(
        "li",
        {},
        h("span", { class: `swatch swatch-${head}`, "aria-hidden": "true" }),
        `${HEAD_NAMES[head]}（合计 ${percent(report.total.heads[head][metric])}）`,
      ),
    ),
  );
  render(chartBox, chart, legend);
}

function drawTable(report: Report): void {
  render(
    tableBox,
    h(
      "table",
      { class: "runs", "data-testid": "accuracy-numbers" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, "周（起）"),
          h("th", { scope: "col", class: "num" }, "工单"),
          report.heads.map((head) =>
            h("th", { scope: "col", class: "num" }, `${HEAD_NAMES[head]} top-1 / top-3`),
          ),
        ),
      ),
      h(
        "tbody",
        {},
        [...report.buckets, { start: "合计", ...report.total }].map((bucket) =>
          h(
            "tr",
            {},
            h("td", {}, bucket.start),
            h("td", { class: "num" }, String(bucket.orders)),
            report.heads.map((head) =>
              h(
                "td",
                { class: "num" },
                `${percent(bucket.heads[head].top1)} / ${percent(bucket.heads[head].top3)}`,
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

function drawAlerts(alerts: Alerts): void {
  if (alerts.alerts.length === 0) {
    render(
      alertsBox,
      h(
        "p",
        { class: "muted small" },
        `无告警（阈值：周 top-1 比前 ${alerts.settings.baselineWeeks} 周下降超过 ${(alerts.settings.margin * 100).toFixed(0)} 个百分点）`,
      ),
    );
    return;
  }
  render(
    alertsBox,
    alerts.alerts.map((alert) =>
      h(
        "p",
        { class: "alert", role: "alert", "data-testid": "accuracy-alert" },
        `${HEAD_NAMES[alert.head]}：${alert.week} 起一周 top-1 ${percent(alert.top1)}，比前几周 ${percent(alert.baseline)} 低 ${(alert.drop * 100).toFixed(1)} 个百分点（${alert.orders} 单）`,
      ),
    ),
  );
}

function drawFails(fails: Fails): void {
  if (fails.fails.length === 0) {
    render(failsBox, h("p", { class: "muted small" }, "没有反复出现的错误建议。"));
    return;
  }
  render(
    failsBox,
    h("h3", {}, "反复出现的错误建议（建议 → 办结结果）"),
    h(
      "table",
      { class: "runs", "data-testid": "known-fails-table" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, "字段"),
          h("th", { scope: "col" }, "建议"),
          h("th", { scope: "col" }, "办结结果"),
          h("th", { scope: "col", class: "num" }, "次数"),
          h("th", { scope: "col" }, "工单示例"),
        ),
      ),
      h(
        "tbody",
        {},
        fails.fails
          .slice(0, 30)
          .map((fail) =>
            h(
              "tr",
              {},
              h("td", {}, HEAD_NAMES[fail.head]),
              h("td", {}, fail.suggested),
              h("td", {}, fail.final),
              h("td", { class: "num" }, String(fail.count)),
              h("td", { class: "muted small" }, fail.examples.join("、")),
            ),
          ),
      ),
    ),
  );
}

async function loadAccuracy(): Promise<void> {
  const query = `from=${fromInput.value}&to=${toInput.value}`;
  chartBox.setAttribute("aria-busy", "true");
  try {
    const [report, alerts, fails] = await Promise.all([
      api<Report>("GET", `/v1/analytics/accuracy?${query}&interval=week`, { timeoutMs: REQUEST_TIMEOUT_MS }),
      api<Alerts>("GET", "/v1/analytics/alerts", { timeoutMs: REQUEST_TIMEOUT_MS }),
      api<Fails>("GET", `/v1/analytics/known-fails?${query}`, { timeoutMs: REQUEST_TIMEOUT_MS }),
    ]);
    drawChart(report, metricSelect.value === "top3" ? "top3" : "top1");
    drawTable(report);
    drawAlerts(alerts);
    drawFails(fails);
  } catch (error) {
    render(
      chartBox,
      h(
        "p",
        { class: "alert", role: "alert" },
        `加载准确率失败：${error instanceof ApiFailure ? error.message : String(error)}`,
      ),
    );
  } finally {
    chartBox.removeAttribute("aria-busy");
  }
}

const today = new Date();
toInput.value = isoDay(today);
fromInput.value = isoDay(new Date(today.getTime() - WEEKS_SHOWN * 7 * 86_400_000));
form.addEventListener("submit", (event) => {
  event.preventDefault();
  void loadAccuracy();
});
metricSelect.addEventListener("change", () => void loadAccuracy());
void loadAccuracy();
