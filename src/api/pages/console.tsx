import type { Principal } from "#domain/access";
import { Layout } from "./layout";

/**
 * The agent's console. The server renders the frame; console.js fills it as the agent types.
 * Keys: Ctrl+Enter analyse now · Alt+1…5 copy script N · Alt+S save the confirmation.
 */
export function AgentConsolePage(props: { principal: Principal; csrfToken: string }) {
  return (
    <Layout
      title="坐席工作台"
      principal={props.principal}
      csrfToken={props.csrfToken}
      script="console.js"
      bootstrap={{ agentId: props.principal.name }}
    >
      <div class="console">
        <div class="column">
          <section class="card intake">
            <label for="request-text" class="title">
              来电内容
            </label>
            <textarea
              id="request-text"
              data-testid="request-text"
              rows={7}
              maxlength={5000}
              placeholder="边听边输入市民诉求，建议会自动刷新…"
              autofocus
            />
            <div class="row">
              <label>
                <input type="checkbox" id="caller-business" data-testid="caller-business" />{" "}
                市场主体（企业/个体户）
              </label>
              <button type="button" id="analyse-now" class="secondary">
                立即分析 <kbd>Ctrl+Enter</kbd>
              </button>
            </div>
            <p id="status" class="status" role="status" aria-live="polite" data-testid="status">
              输入内容后自动给出建议。
            </p>
          </section>
          <section class="card" id="feedback-card" hidden>
            <h2>确认 / 更正</h2>
            <form id="feedback-form" data-testid="feedback-form">
              <label>
                分类
                <input
                  id="fb-category"
                  list="category-options"
                  data-testid="fb-category"
                  autocomplete="off"
                />
              </label>
              <datalist id="category-options" />
              <label>
                主办部门
                <select id="fb-lead" data-testid="fb-lead" />
              </label>
              <label>
                协办部门
                <select id="fb-assist" data-testid="fb-assist" />
              </label>
              <fieldset id="fb-type" class="types" data-testid="fb-type">
                <legend>诉求类型</legend>
              </fieldset>
              <label class="confirm-all">
                <input type="checkbox" id="fb-confirm-all" data-testid="fb-confirm-all" />
                预选内容已逐项核实（未改动的字段也算确认）
              </label>
              <div class="row">
                <button type="submit" class="primary" data-testid="fb-save">
                  保存确认 <kbd>Alt+S</kbd>
                </button>
                <span id="fb-status" role="status" aria-live="polite" data-testid="fb-status" />
              </div>
            </form>
          </section>
        </div>
        <div class="column wide">
          <section id="crisis" class="banner crisis" role="status" hidden data-testid="crisis-banner" />
          <section id="calendar" class="banner calendar" role="status" hidden data-testid="calendar-banner" />
          <section id="urgent" class="urgent" role="alert" hidden data-testid="urgent-banner" />
          <section class="card" id="summary" data-testid="summary" hidden />
          <section class="card" id="duplicates-card" data-testid="duplicates-card" hidden>
            <h2>
              可能重复（并单）{" "}
              <span class="muted small">近 14 天未办结的同一问题、同一地点；保存时记录并单</span>
            </h2>
            <ul id="duplicates" class="cases" data-testid="duplicates" />
          </section>
          <section class="card">
            <h2>
              答复口径 <span class="muted small">Alt+数字 复制</span>
            </h2>
            <ol id="scripts" class="scripts" data-testid="scripts">
              <li class="muted">暂无</li>
            </ol>
          </section>
          <section class="card" id="kb-search-card">
            <h2>检索知识库</h2>
            <form id="kb-search-form" class="row" data-testid="kb-search-form">
              <input
                id="kb-search-query"
                type="search"
                maxlength={2000}
                placeholder="关键词或市民的说法"
                aria-label="检索知识库"
                data-testid="kb-search-query"
              />
              <button type="submit" data-testid="kb-search-submit">
                检索
              </button>
            </form>
            <p
              id="kb-search-summary"
              class="muted small"
              aria-live="polite"
              data-testid="kb-search-summary"
            />
            <ol id="kb-search-results" class="scripts" data-testid="kb-search-results" />
          </section>
          <section class="card">
            <h2>相似工单</h2>
            <ul id="cases" class="cases" data-testid="cases">
              <li class="muted">暂无</li>
            </ul>
          </section>
        </div>
      </div>
    </Layout>
  );
}
