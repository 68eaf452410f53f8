import type { Principal } from "#domain/access";
import { Layout } from "./layout";

/**
 * Evaluation runs (eval/reports): the list with headline metrics, each run's HTML report in a new
 * tab, and two runs compared. The server renders the frame; eval.js fills it from /v1/eval/*.
 * Keyboard: the run pickers are ordinary selects; changing either compares at once.
 */
export function EvalPage(props: { principal: Principal; csrfToken: string }) {
  return (
    <Layout
      title="评估"
      principal={props.principal}
      csrfToken={props.csrfToken}
      script="eval.js"
      style="eval.css"
    >
      <div class="eval">
        <header class="eval-head">
          <h1>评估运行</h1>
          <p class="muted small">
            由 <code>npm run eval</code> 写入 eval/reports；主要指标：分类任务为 macro-F1，知识检索为
            recall@3。
          </p>
        </header>
        <p id="eval-error" class="alert" role="alert" hidden />
        <section class="card" aria-labelledby="runs-title">
          <h2 id="runs-title">
            运行列表 <span id="runs-count" class="muted small" />
          </h2>
          <div id="runs" data-testid="eval-runs" aria-busy="true">
            <p class="muted">正在加载…</p>
          </div>
        </section>
        <section class="card" id="compare-card" aria-labelledby="compare-title" hidden>
          <h2 id="compare-title">比较两次运行</h2>
          <form id="compare-form" class="compare-form" data-testid="compare-form">
            <label>
              运行 A（基准）
              <select id="run-a" name="a" data-testid="compare-a" required />
            </label>
            <button type="button" id="swap-runs" class="swap" title="交换 A 与 B" aria-label="交换 A 与 B">
              ⇄
            </button>
            <label>
              运行 B（对比）
              <select id="run-b" name="b" data-testid="compare-b" required />
            </label>
            <button type="submit" class="primary" data-testid="compare-submit">
              比较
            </button>
          </form>
          <div id="comparison" data-testid="comparison" aria-live="polite" />
        </section>
        <section class="card" aria-labelledby="accuracy-title" data-testid="accuracy-card">
          <h2 id="accuracy-title">对照办结结果的准确率（每周）</h2>
          <p class="muted small">
            坐席当时得到的建议与工单办结时的最终分类、类型、主办部门、紧急和市场主体相比；按受理时间（北京时间）分周。
          </p>
          <form id="accuracy-form" class="compare-form" data-testid="accuracy-form">
            <label>
              起
              <input type="date" id="acc-from" required />
            </label>
            <label>
              止
              <input type="date" id="acc-to" required />
            </label>
            <label>
              指标
              <select id="acc-metric" data-testid="accuracy-metric">
                <option value="top1">top-1</option>
                <option value="top3">top-3</option>
              </select>
            </label>
            <button type="submit" class="primary">
              查看
            </button>
          </form>
          <div id="accuracy-alerts" data-testid="accuracy-alerts" aria-live="polite" />
          <div id="accuracy-chart" data-testid="accuracy-chart" />
          <div id="accuracy-table" />
          <div id="known-fails" data-testid="known-fails" />
        </section>
      </div>
    </Layout>
  );
}
