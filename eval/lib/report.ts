import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  confusionHeatmap,
  escapeHtml,
  perClassBars,
  precisionCoverageCurve,
  reliabilityDiagram,
} from "./charts";
import type {
  AutomationFigures,
  ClassificationResult,
  DepartmentFigures,
  RetrievalResult,
  UrgencyFigures,
} from "./harness";

export type EvalResult = ClassificationResult | RetrievalResult;

export interface EvalRun {
  name: string;
  createdAt: string;
  modelVersion: string | null;
  embeddingModel: string;
  /** The on-disk embedding cache of this run (absent when it was off). */
  embeddingCache?: { dir: string; hits: number; embedded: number; entries: number; evicted?: number };
  inputs: Record<string, unknown>;
  results: EvalResult[];
}

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

/** The urgency flag's recall/precision and the per-item recall table, in Markdown. */
function urgencyMarkdown(figures: UrgencyFigures): string[] {
  const items = Object.entries(figures.perItem);
  return [
    `紧急识别（按坐席看到的紧急标记）：召回率 **${pct(figures.recall)}** · 精确率 **${pct(figures.precision)}** · 漏报 ${figures.falseNegatives} · 误报 ${figures.falsePositives}`,
    "",
    ...(items.length > 0
      ? [
          "| 紧急项 | n | 召回率 | 命中该项 |",
          "| --- | ---: | ---: | ---: |",
          ...items.map(
            ([item, entry]) => `| ${item} | ${entry.n} | ${pct(entry.recall)} | ${pct(entry.itemRecall)} |`,
          ),
          "",
        ]
      : []),
    ...(figures.missed.length > 0 ? [`漏报：${figures.missed.join(", ")}`, ""] : []),
  ];
}

function urgencyHtml(figures: UrgencyFigures): string {
  const rows = Object.entries(figures.perItem)
    .map(
      ([item, entry]) =>
        `<tr><td>${escapeHtml(item)}</td><td>${entry.n}</td><td>${pct(entry.recall)}</td><td>${pct(entry.itemRecall)}</td></tr>`,
    )
    .join("");
  return `<h3>紧急识别</h3><p class="headline">召回率 <b>${pct(figures.recall)}</b> · 精确率 <b>${pct(figures.precision)}</b> · 漏报 ${figures.falseNegatives} · 误报 ${figures.falsePositives}</p>${rows ? `<table><tr><th>紧急项</th><th>n</th><th>召回率</th><th>命中该项</th></tr>${rows}</table>` : ""}${figures.missed.length > 0 ? `<p>漏报：${escapeHtml(figures.missed.join(", "))}</p>` : ""}`;
}

const LEVEL_NAMES = { "auto-fill": "自动填写", preselect: "预选", suggest: "仅建议（坐席选择）" } as const;
const maybePct = (value: number | null) => (value === null ? "—" : pct(value));
const threshold = (value: number | null) => (value === null ? "不启用" : `置信度 ≥ ${value.toFixed(3)}`);

/** Automation levels: where each starts on the held-out curve, and what it did on this test set. */
function automationMarkdown(figures: AutomationFigures): string[] {
  return [
    `自动化程度（目标：自动填写精确率 ≥ ${pct(figures.targets.autoFill)}，预选 ≥ ${pct(figures.targets.preselect)}；起点来自训练时留出数据 n=${figures.heldOut} 的精确率–覆盖率曲线）：`,
    "",
    "| 级别 | 起点 | 本测试集占比 | 本测试集精确率 |",
    "| --- | --- | ---: | ---: |",
    `| ${LEVEL_NAMES["auto-fill"]} | ${threshold(figures.thresholds.autoFill)} | ${pct(figures.levels["auto-fill"].share)} | ${maybePct(figures.levels["auto-fill"].precision)} |`,
    `| ${LEVEL_NAMES.preselect} | ${threshold(figures.thresholds.preselect)} | ${pct(figures.levels.preselect.share)} | ${maybePct(figures.levels.preselect.precision)} |`,
    `| ${LEVEL_NAMES.suggest} | 其余 | ${pct(figures.levels.suggest.share)} | ${maybePct(figures.levels.suggest.precision)} |`,
    "",
    ...(figures.curve.length > 0
      ? [
          "留出数据的精确率–覆盖率（置信度 ≥ 阈值的答案）：",
          "",
          "| 置信度 ≥ | 精确率 | 覆盖率 | 级别 |",
          "| ---: | ---: | ---: | --- |",
          ...figures.curve.map(
            (point) =>
              `| ${point.confidence.toFixed(3)} | ${pct(point.precision)} | ${pct(point.coverage)} | ${LEVEL_NAMES[point.level]} |`,
          ),
          "",
        ]
      : []),
  ];
}

function departmentMarkdown(figures: DepartmentFigures): string[] {
  return [
    `主办部门 top-1（只认金标第一个部门）：**${pct(figures.leadAccuracy)}** · 金标由区政府主办 ${figures.districtLeadGold} 件，建议由区政府主办 ${figures.districtLeadServed} 件`,
    `协办（对照 ${figures.assist.goldField}）：建议 ${figures.assist.proposed} 个 · 精确率 ${maybePct(figures.assist.precision)} · 召回率 ${maybePct(figures.assist.recall)}`,
    "",
  ];
}

function ablationOffMarkdown(result: ClassificationResult): string[] {
  if (!result.ablationOff) return [];
  return [
    "消融（逐一关闭，不含区政府兜底与一级分类调节）：",
    "",
    "| 关闭 | accuracy | macro-F1 | top-3 |",
    "| --- | ---: | ---: | ---: |",
    ...Object.entries(result.ablationOff).map(
      ([name, score]) =>
        `| ${name} | ${pct(score.accuracy)} | ${score.macroF1.toFixed(4)} | ${pct(score.top3)} |`,
    ),
    "",
  ];
}

const table = (header: string[], rows: string[][]) =>
  `<table><tr>${header.map((cell) => `<th>${escapeHtml(cell)}</th>`).join("")}</tr>${rows
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join("")}</tr>`)
    .join("")}</table>`;

function extrasHtml(result: ClassificationResult): string {
  const parts: string[] = [];
  if (result.departments) {
    const figures = result.departments;
    parts.push(
      `<h3>主办与协办</h3><p class="headline">主办 top-1（金标第一个部门）<b>${pct(figures.leadAccuracy)}</b> · 金标区政府主办 ${figures.districtLeadGold} 件 / 建议区政府主办 ${figures.districtLeadServed} 件 · 协办（${escapeHtml(figures.assist.goldField)}）建议 ${figures.assist.proposed} 个，精确率 ${maybePct(figures.assist.precision)}，召回率 ${maybePct(figures.assist.recall)}</p>`,
    );
  }
  if (result.ablationOff) {
    parts.push(
      `<h3>消融（逐一关闭）</h3>${table(
        ["关闭", "accuracy", "macro-F1", "top-3"],
        Object.entries(result.ablationOff).map(([name, score]) => [
          name,
          pct(score.accuracy),
          score.macroF1.toFixed(4),
          pct(score.top3),
        ]),
      )}`,
    );
  }
  if (result.automation) {
    const figures = result.automation;
    parts.push(
      `<h3>自动化程度</h3><p>目标：自动填写精确率 ≥ ${pct(figures.targets.autoFill)}，预选 ≥ ${pct(figures.targets.preselect)}（knowledge/rules.yaml）；起点来自训练留出数据（n=${figures.heldOut}）。</p>${table(
        ["级别", "起点", "本测试集占比", "本测试集精确率"],
        [
          [
            LEVEL_NAMES["auto-fill"],
            threshold(figures.thresholds.autoFill),
            pct(figures.levels["auto-fill"].share),
            maybePct(figures.levels["auto-fill"].precision),
          ],
          [
            LEVEL_NAMES.preselect,
            threshold(figures.thresholds.preselect),
            pct(figures.levels.preselect.share),
            maybePct(figures.levels.preselect.precision),
          ],
          [
            LEVEL_NAMES.suggest,
            "其余",
            pct(figures.levels.suggest.share),
            maybePct(figures.levels.suggest.precision),
          ],
        ],
      )}${
        figures.curve.length > 0
          ? table(
              ["置信度 ≥", "精确率", "覆盖率", "级别"],
              figures.curve.map((point) => [
                point.confidence.toFixed(3),
                pct(point.precision),
                pct(point.coverage),
                LEVEL_NAMES[point.level],
              ]),
            )
          : ""
      }`,
    );
  }
  return parts.join("\n");
}

export function summaryMarkdown(run: EvalRun): string {
  const lines = [
    `# 评估报告 ${run.name}`,
    "",
    `- 时间：${run.createdAt}`,
    `- 嵌入模型：${run.embeddingModel}`,
    ...(run.embeddingCache
      ? [
          `- 嵌入缓存：${run.embeddingCache.hits} 条文本取自缓存，${run.embeddingCache.embedded} 条新计算（${run.embeddingCache.dir}${run.embeddingCache.evicted ? `；为腾出空间删去本次未用的 ${run.embeddingCache.evicted} 条` : ""}）`,
        ]
      : []),
    "",
  ];
  for (const result of run.results) {
    if (result.task === "retrieval") {
      lines.push(
        `## retrieval (n=${result.n})`,
        "",
        `recall@1 ${pct(result.recallAt1)} · recall@3 ${pct(result.recallAt3)} · recall@5 ${pct(result.recallAt5)} · MRR ${result.mrr.toFixed(3)} · 无答案率 ${pct(result.noAnswerRate)} · 可答误拒率 ${pct(result.confidentRefusal)} · 无关问题拒答率 ${result.offTopicRejected === null ? "—" : pct(result.offTopicRejected)}`,
        "",
      );
      continue;
    }
    lines.push(
      `## ${result.task} → head ${result.head} (n=${result.n}${result.folds ? `, ${result.folds}-fold CV` : ""})`,
      "",
      `| 指标 | 值 |`,
      `| --- | ---: |`,
      `| accuracy | ${pct(result.accuracy)} |`,
      `| macro-F1 | ${result.macroF1.toFixed(4)} |`,
      `| top-3 | ${pct(result.top3)} |`,
      `| ECE | ${result.ece.toFixed(4)} |`,
      `| 95% 精确率下可自动填充 | ${pct(result.coverageAt95)} |`,
      `| 代价加权错误 | ${result.costWeightedError.toFixed(3)} |`,
      `| 延迟 p50 / p95 | ${result.latency.p50Ms.toFixed(1)} / ${result.latency.p95Ms.toFixed(1)} ms |`,
      ...(result.level1Accuracy !== undefined ? [`| 一级分类准确率 | ${pct(result.level1Accuracy)} |`] : []),
      "",
      ...(result.urgency ? urgencyMarkdown(result.urgency) : []),
      ...(result.departments ? departmentMarkdown(result.departments) : []),
      ...(result.automation ? automationMarkdown(result.automation) : []),
      ...ablationOffMarkdown(result),
      "消融（各组件单独 vs 融合）：",
      "",
      "| 组件 | accuracy | macro-F1 | top-3 |",
      "| --- | ---: | ---: | ---: |",
      ...Object.entries(result.ablation).map(
        ([component, score]) =>
          `| ${component} | ${pct(score.accuracy)} | ${score.macroF1.toFixed(4)} | ${pct(score.top3)} |`,
      ),
      "",
    );
  }
  return `${lines.join("\n")}\n`;
}

export function reportHtml(run: EvalRun): string {
  const sections = run.results
    .map((result) => {
      if (result.task === "retrieval") {
        const rows = Object.entries(result.perDepartment)
          .sort((a, b) => b[1].n - a[1].n)
          .map(
            ([department, entry]) =>
              `<tr><td>${escapeHtml(department)}</td><td>${entry.n}</td><td>${pct(entry.recallAt3)}</td></tr>`,
          )
          .join("");
        return `<section><h2>检索 (n=${result.n})</h2><p>recall@1 ${pct(result.recallAt1)} · recall@3 ${pct(result.recallAt3)} · recall@5 ${pct(result.recallAt5)} · MRR ${result.mrr.toFixed(3)} · 无答案率 ${pct(result.noAnswerRate)}</p><table><tr><th>部门</th><th>n</th><th>recall@3</th></tr>${rows}</table></section>`;
      }
      const ablation = Object.entries(result.ablation)
        .map(
          ([component, score]) =>
            `<tr><td>${component}</td><td>${pct(score.accuracy)}</td><td>${score.macroF1.toFixed(4)}</td><td>${pct(score.top3)}</td></tr>`,
        )
        .join("");
      return `<section><h2>${escapeHtml(result.task)} → ${escapeHtml(result.head)} (n=${result.n}${result.folds ? `, ${result.folds} 折交叉验证` : ""})</h2>
<p class="headline">accuracy <b>${pct(result.accuracy)}</b> · macro-F1 <b>${result.macroF1.toFixed(4)}</b> · top-3 <b>${pct(result.top3)}</b> · ECE <b>${result.ece.toFixed(4)}</b> · 95% 精确率下可自动填充 <b>${pct(result.coverageAt95)}</b> · 代价加权错误 ${result.costWeightedError.toFixed(3)} · 延迟 p50 ${result.latency.p50Ms.toFixed(1)} ms / p95 ${result.latency.p95Ms.toFixed(1)} ms</p>
${result.urgency ? urgencyHtml(result.urgency) : ""}
${extrasHtml(result)}
<h3>消融（各组件单独）</h3><table><tr><th>组件</th><th>accuracy</th><th>macro-F1</th><th>top-3</th></tr>${ablation}</table>
<div class="charts"><figure><figcaption>混淆矩阵</figcaption>${confusionHeatmap(result.confusion)}</figure>
<figure><figcaption>可靠性图（校准）</figcaption>${reliabilityDiagram(result.reliability)}</figure>
<figure><figcaption>精确率–覆盖率曲线（红线：95%）</figcaption>${precisionCoverageCurve(result.precisionCoverage)}</figure>
<figure><figcaption>各类别 F1</figcaption>${perClassBars(result.perClass)}</figure></div></section>`;
    })
    .join("\n");
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>评估报告 ${escapeHtml(run.name)}</title>
<style>body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}.charts{display:flex;flex-wrap:wrap;gap:24px}figure{margin:0}figcaption{font-weight:bold;margin-bottom:4px}section{border-top:2px solid #4a7bd0;margin-top:24px;padding-top:8px}</style></head>
<body><h1>评估报告 ${escapeHtml(run.name)}</h1><p>时间 ${escapeHtml(run.createdAt)} · 嵌入模型 ${escapeHtml(run.embeddingModel)} · 分类模型 ${escapeHtml(run.modelVersion ?? "本次训练")}</p>
<details><summary>运行参数</summary><pre>${escapeHtml(JSON.stringify(run.inputs, null, 1))}</pre></details>${sections}</body></html>\n`;
}

/** Writes report.json, summary.md and report.html into a new folder; returns its path. */
export function writeReport(outDir: string, run: EvalRun): string {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "report.json"), `${JSON.stringify(run, null, 2)}\n`);
  writeFileSync(join(outDir, "summary.md"), summaryMarkdown(run));
  writeFileSync(join(outDir, "report.html"), reportHtml(run));
  return outDir;
}

/** The machine-readable shape of --json. */
export function jsonResult(result: EvalResult): Record<string, unknown> {
  if (result.task === "retrieval") {
    const { perDepartment, ...rest } = result;
    return { ...rest, perDepartment };
  }
  const { confusion: _c, reliability: _r, precisionCoverage: _p, ...rest } = result;
  return rest;
}
