/** Inline SVG charts for the self-contained HTML report (no scripts, no network). */

const escapeXml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char] ?? char,
  );

export function confusionHeatmap(confusion: Record<string, Record<string, number>>, maxLabels = 25): string {
  const labels = [
    ...new Set([...Object.keys(confusion), ...Object.values(confusion).flatMap((row) => Object.keys(row))]),
  ]
    .map((label) => ({ label, count: Object.values(confusion[label] ?? {}).reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.count - a.count)
    .slice(0, maxLabels)
    .map((entry) => entry.label);
  const cell = 22;
  const margin = 150;
  const size = margin + labels.length * cell + 10;
  const max = Math.max(
    1,
    ...labels.flatMap((gold) => labels.map((predicted) => confusion[gold]?.[predicted] ?? 0)),
  );
  const cells = labels.flatMap((gold, row) =>
    labels.map((predicted, column) => {
      const value = confusion[gold]?.[predicted] ?? 0;
      const intensity = value / max;
      const colour =
        row === column
          ? `rgba(22,128,60,${0.1 + 0.9 * intensity})`
          : `rgba(200,40,40,${value ? 0.15 + 0.85 * intensity : 0})`;
      return `<rect x="${margin + column * cell}" y="${margin + row * cell}" width="${cell - 1}" height="${cell - 1}" fill="${colour}"><title>${escapeXml(gold)} → ${escapeXml(predicted)}: ${value}</title></rect>${
        value
          ? `<text x="${margin + column * cell + cell / 2}" y="${margin + row * cell + 15}" font-size="9" text-anchor="middle">${value}</text>`
          : ""
      }`;
    }),
  );
  const rowLabels = labels.map(
    (label, row) =>
      `<text x="${margin - 4}" y="${margin + row * cell + 15}" font-size="11" text-anchor="end">${escapeXml(label.slice(-12))}</text>`,
  );
  const columnLabels = labels.map(
    (label, column) =>
      `<text transform="translate(${margin + column * cell + 14},${margin - 4}) rotate(-60)" font-size="11">${escapeXml(label.slice(-12))}</text>`,
  );
  return `<svg class="chart" data-chart="confusion" xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" role="img" aria-label="混淆矩阵"><text x="4" y="14" font-size="12">行：标注 · 列：预测</text>${rowLabels.join("")}${columnLabels.join("")}${cells.join("")}</svg>`;
}

function axes(width: number, height: number, pad: number, xLabel: string, yLabel: string): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((tick) => {
      const x = pad + tick * (width - 2 * pad);
      const y = height - pad - tick * (height - 2 * pad);
      return `<text x="${x}" y="${height - pad + 14}" font-size="10" text-anchor="middle">${tick}</text><text x="${pad - 6}" y="${y + 3}" font-size="10" text-anchor="end">${tick}</text><line x1="${pad}" x2="${width - pad}" y1="${y}" y2="${y}" stroke="#eee"/>`;
    })
    .join("");
  return `${ticks}<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="#333"/><line x1="${pad}" y1="${pad}" x2="${pad}" y2="${height - pad}" stroke="#333"/><text x="${width / 2}" y="${height - 4}" font-size="11" text-anchor="middle">${escapeXml(xLabel)}</text><text transform="translate(12,${height / 2}) rotate(-90)" font-size="11" text-anchor="middle">${escapeXml(yLabel)}</text>`;
}

/** The frame shared by the two 0–1 × 0–1 plots (reliability, precision–coverage). */
const UNIT_PLOT = (() => {
  const width = 360;
  const height = 300;
  const pad = 40;
  return {
    width,
    height,
    pad,
    scaleX: (value: number) => pad + value * (width - 2 * pad),
    scaleY: (value: number) => height - pad - value * (height - 2 * pad),
  };
})();

export function reliabilityDiagram(
  bins: readonly { binFrom: number; binTo: number; count: number; confidence: number; accuracy: number }[],
): string {
  const { width, height, pad, scaleX, scaleY } = UNIT_PLOT;
  const bars = bins
    .filter((bin) => bin.count > 0)
    .map(
      (bin) =>
        `<rect x="${scaleX(bin.binFrom) + 1}" y="${scaleY(bin.accuracy)}" width="${scaleX(bin.binTo) - scaleX(bin.binFrom) - 2}" height="${scaleY(0) - scaleY(bin.accuracy)}" fill="#4a7bd0"><title>置信度 ${bin.binFrom.toFixed(1)}–${bin.binTo.toFixed(1)}: ${bin.count} 件, 准确率 ${(bin.accuracy * 100).toFixed(1)}%</title></rect>`,
    )
    .join("");
  return `<svg class="chart" data-chart="reliability" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="可靠性图">${axes(width, height, pad, "置信度", "准确率")}${bars}<line x1="${scaleX(0)}" y1="${scaleY(0)}" x2="${scaleX(1)}" y2="${scaleY(1)}" stroke="#c33" stroke-dasharray="4"/></svg>`;
}

export function precisionCoverageCurve(
  points: readonly { threshold: number; coverage: number; precision: number }[],
): string {
  const { width, height, pad, scaleX, scaleY } = UNIT_PLOT;
  const path = points
    .map(
      (point, index) =>
        `${index === 0 ? "M" : "L"}${scaleX(point.coverage).toFixed(1)},${scaleY(point.precision).toFixed(1)}`,
    )
    .join(" ");
  const dots = points
    .map(
      (point) =>
        `<circle cx="${scaleX(point.coverage)}" cy="${scaleY(point.precision)}" r="3" fill="#16803c"><title>阈值 ${point.threshold.toFixed(2)}: 覆盖 ${(point.coverage * 100).toFixed(1)}%, 精确率 ${(point.precision * 100).toFixed(1)}%</title></circle>`,
    )
    .join("");
  return `<svg class="chart" data-chart="precision-coverage" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="精确率-覆盖率曲线">${axes(width, height, pad, "覆盖率（自动填充比例）", "精确率")}<line x1="${scaleX(0)}" x2="${scaleX(1)}" y1="${scaleY(0.95)}" y2="${scaleY(0.95)}" stroke="#c33" stroke-dasharray="4"/><path d="${path}" fill="none" stroke="#16803c" stroke-width="2"/>${dots}</svg>`;
}

export function perClassBars(
  perClass: Record<string, { f1: number; support: number }>,
  maxLabels = 30,
): string {
  const entries = Object.entries(perClass)
    .sort((a, b) => b[1].support - a[1].support)
    .slice(0, maxLabels);
  const rowHeight = 18;
  const labelWidth = 160;
  const barWidth = 300;
  const height = entries.length * rowHeight + 20;
  const rows = entries
    .map(
      ([label, metrics], index) =>
        `<text x="${labelWidth - 4}" y="${index * rowHeight + 14}" font-size="11" text-anchor="end">${escapeXml(label.slice(-14))}</text><rect x="${labelWidth}" y="${index * rowHeight + 3}" width="${Math.max(1, metrics.f1 * barWidth)}" height="${rowHeight - 5}" fill="#4a7bd0"><title>${escapeXml(label)}: F1 ${metrics.f1.toFixed(3)} (n=${metrics.support})</title></rect><text x="${labelWidth + metrics.f1 * barWidth + 4}" y="${index * rowHeight + 14}" font-size="10">${metrics.f1.toFixed(2)} · n=${metrics.support}</text>`,
    )
    .join("");
  return `<svg class="chart" data-chart="per-class" xmlns="http://www.w3.org/2000/svg" width="${labelWidth + barWidth + 80}" height="${height}" role="img" aria-label="各类别F1">${rows}</svg>`;
}

export { escapeXml as escapeHtml };
