import type { Child } from "hono/jsx";
import type { Principal } from "#domain/access";
import { DISTRICT_CODES } from "#domain/knowledge/schema";
import { Layout } from "./layout";

/** The districts a script can be limited to, with the names editors know them by. */
const DISTRICT_NAMES: Record<(typeof DISTRICT_CODES)[number], string> = {
  jcq: "江城区",
  ydq: "阳东区",
  ycs: "阳春市",
  yxx: "阳西县",
  hld: "海陵试验区",
  gxq: "高新区",
};

/** What editor.js starts from. */
export interface EditorBootstrap {
  user: string;
  /** The caller's person identity: "your own version" means the same person, not the same key name. */
  person: string;
  role: Principal["role"];
  canEdit: boolean;
  canReview: boolean;
  regions: { code: string; name: string }[];
}

function Tab(props: { id: string; panel: string; label: string; selected?: boolean; children?: Child }) {
  return (
    <button
      type="button"
      role="tab"
      id={props.id}
      aria-controls={props.panel}
      aria-selected={props.selected ? "true" : "false"}
      tabindex={props.selected ? 0 : -1}
      data-testid={props.id}
    >
      {props.label}
      {props.children}
    </button>
  );
}

/**
 * The knowledge editor. The server renders the frame; editor.js lists and searches scripts, edits
 * them with a diff against the published wording, and runs review, history, rollback and audit.
 * Keys: / search · Alt+N new script · Alt+D diff · Ctrl+S save draft · Ctrl+Enter submit.
 */
export function EditorPage(props: { principal: Principal; csrfToken: string }) {
  const { principal } = props;
  const bootstrap: EditorBootstrap = {
    user: principal.name,
    person: principal.person,
    role: principal.role,
    canEdit: principal.role === "editor" || principal.role === "admin",
    canReview: principal.role === "reviewer" || principal.role === "admin",
    regions: [
      { code: "全市", name: "全市" },
      ...DISTRICT_CODES.map((code) => ({ code, name: DISTRICT_NAMES[code] })),
    ],
  };
  return (
    <Layout
      title="知识库编辑"
      principal={principal}
      csrfToken={props.csrfToken}
      script="editor.js"
      style="editor.css"
      bootstrap={bootstrap}
    >
      <div class="editor">
        <aside class="sidebar card" aria-label="查找口径">
          <div class="tabs" role="tablist" aria-label="查找方式" id="side-tabs">
            <Tab id="tab-list" panel="panel-list" label="口径列表" selected />
            <Tab id="tab-hit" panel="panel-hit" label="命中测试" />
            <Tab id="tab-queue" panel="panel-queue" label="待审核">
              <span id="queue-count" class="count" data-testid="queue-count" />
            </Tab>
            <Tab id="tab-expiring" panel="panel-expiring" label="即将到期" />
            <Tab id="tab-verify" panel="panel-verify" label="待核实" />
            <Tab id="tab-gaps" panel="panel-gaps" label="缺口" />
          </div>

          <section id="panel-list" role="tabpanel" aria-labelledby="tab-list">
            <form id="list-form" class="filters" data-testid="list-form">
              <input
                type="search"
                id="list-q"
                class="wide"
                data-testid="list-q"
                placeholder="关键词：标题、问法、答复或编号  ( / )"
                aria-label="关键词"
                maxlength={100}
                autocomplete="off"
              />
              <select id="list-department" data-testid="filter-department" aria-label="部门">
                <option value="">全部部门</option>
              </select>
              <input
                id="list-category"
                list="category-options"
                data-testid="filter-category"
                placeholder="分类（可只填一、二级）"
                aria-label="分类"
                autocomplete="off"
              />
              <select id="list-status" data-testid="filter-status" aria-label="状态">
                <option value="">全部状态</option>
                <option value="published">已发布</option>
                <option value="pending_review">待审核</option>
                <option value="draft">草稿</option>
                <option value="rejected">已驳回</option>
                <option value="retired">已停用</option>
              </select>
              <select id="list-expiring" data-testid="filter-expiring" aria-label="有效期">
                <option value="">不限有效期</option>
                <option value="30">30 天内到期</option>
                <option value="60">60 天内到期</option>
                <option value="90">90 天内到期</option>
              </select>
            </form>
            <p
              id="list-summary"
              class="muted small"
              role="status"
              aria-live="polite"
              data-testid="list-summary"
            />
            <ul id="list-results" class="results" data-testid="list-results" />
            <button type="button" id="list-more" class="secondary more" hidden data-testid="list-more">
              加载更多
            </button>
          </section>

          <section id="panel-hit" role="tabpanel" aria-labelledby="tab-hit" hidden>
            <form id="hit-form" class="filters" data-testid="hit-form">
              <textarea
                id="hit-query"
                class="wide"
                rows={3}
                maxlength={2000}
                data-testid="hit-query"
                placeholder="输入市民的说法（可用方言口语），看会命中哪条口径"
                aria-label="市民说法"
              />
              <select id="hit-department" data-testid="hit-department" aria-label="部门">
                <option value="">全部部门</option>
              </select>
              <input
                id="hit-category"
                list="category-options"
                data-testid="hit-category"
                placeholder="分类（可只填一、二级）"
                aria-label="分类"
                autocomplete="off"
              />
              <button type="submit" class="primary wide" data-testid="hit-submit">
                命中测试 <kbd>Enter</kbd>
              </button>
            </form>
            <p
              id="hit-summary"
              class="muted small"
              role="status"
              aria-live="polite"
              data-testid="hit-summary"
            >
              只检索已发布且在有效期内的口径；每条结果列出向量、全文和融合得分。
            </p>
            <ol id="hit-results" class="results hits" data-testid="hit-results" />
          </section>

          <section id="panel-queue" role="tabpanel" aria-labelledby="tab-queue" hidden>
            <p class="muted small">等待审核的版本，先提交的在前。作者不能审核自己的修改。</p>
            <ul id="queue-list" class="results" data-testid="review-queue" />
          </section>

          <section id="panel-expiring" role="tabpanel" aria-labelledby="tab-expiring" hidden>
            <label class="inline">
              已发布口径在
              <select id="expiring-days" data-testid="expiring-days">
                <option value="30">30 天</option>
                <option value="60">60 天</option>
                <option value="90">90 天</option>
                <option value="180">180 天</option>
              </select>
              内到期
            </label>
            <ul id="expiring-list" class="results" data-testid="expiring-list" />
          </section>

          <section id="panel-verify" role="tabpanel" aria-labelledby="tab-verify" hidden>
            <p class="muted small">
              政策依据缺项的已发布口径（缺发文字号、条款、发布机关或核实日期）；只填核实过的内容。坐席标记“不适用”的次数显示在旁。
            </p>
            <ul id="verify-list" class="results" data-testid="basis-review" />
          </section>

          <section id="panel-gaps" role="tabpanel" aria-labelledby="tab-gaps" hidden>
            <p class="muted small">
              近 30
              天坐席检索和智能建议中没有可靠口径的问题，按意思归组，问得多的在前；已发布口径能可靠回答后自动移出。
            </p>
            <ul id="gap-list" class="results" data-testid="gap-list" />
          </section>

          <div class="side-foot">
            {bootstrap.canEdit ? (
              <button type="button" id="new-script" class="secondary" data-testid="new-script">
                ＋ 新建口径 <kbd>Alt+N</kbd>
              </button>
            ) : null}
            <span class="muted small">
              <kbd>/</kbd> 搜索 · <kbd>↑</kbd>
              <kbd>↓</kbd> 选择
            </span>
          </div>
        </aside>

        <section class="workspace" aria-label="口径" data-testid="workspace">
          <div id="empty-state" class="card empty">
            <h1>知识库编辑</h1>
            <p class="muted">从左侧选择一条口径查看和修改{bootstrap.canEdit ? "，或新建口径" : ""}。</p>
            <ul class="muted small">
              <li>每次保存都生成新版本，经另一位审核员通过后才对话务员生效。</li>
              <li>如他人已先保存，你的修改不会覆盖对方，会同时显示两个版本供你处理。</li>
            </ul>
          </div>

          <div id="script-view" hidden>
            <header id="script-head" class="card script-head" data-testid="script-head" />
            <div id="message" role="status" aria-live="polite" data-testid="message" />
            <div id="conflict" class="card conflict" role="alert" hidden data-testid="conflict" />
            <section id="review-box" class="card review-box" hidden data-testid="review-box" />

            <div class="tabs pane-tabs" role="tablist" aria-label="口径视图" id="pane-tabs">
              <Tab id="pane-tab-edit" panel="pane-edit" label="编辑" selected />
              <Tab id="pane-tab-diff" panel="pane-diff" label="差异" />
              <Tab id="pane-tab-history" panel="pane-history" label="历史版本" />
              <Tab id="pane-tab-audit" panel="pane-audit" label="审计记录" />
            </div>

            <section id="pane-edit" class="card pane" role="tabpanel" aria-labelledby="pane-tab-edit">
              <form id="edit-form" class="edit-form" data-testid="edit-form" novalidate>
                <div class="grid two">
                  <label>
                    标题
                    <input id="f-title" data-testid="f-title" required maxlength={80} />
                  </label>
                  <label>
                    编号 <span class="muted small">（小写字母、数字和 -，创建后不可改）</span>
                    <input id="f-id" data-testid="f-id" required maxlength={64} readonly />
                  </label>
                </div>
                <label>
                  标准问题
                  <input id="f-question" data-testid="f-question" required maxlength={200} />
                </label>
                <fieldset class="variants">
                  <legend>
                    问法变体 <span class="muted small">（市民的口语说法，至少 3 条）</span>
                  </legend>
                  <ol id="f-variants" data-testid="f-variants" />
                  <button type="button" id="add-variant" class="link" data-testid="add-variant">
                    ＋ 添加问法
                  </button>
                </fieldset>
                <label>
                  答复口径 <span class="muted small">（话务员照读的原文）</span>
                  <textarea id="f-answer" data-testid="f-answer" rows={4} required maxlength={4000} />
                </label>
                <div class="grid four">
                  <fieldset class="departments">
                    <legend>部门</legend>
                    <div id="f-departments" class="chips" data-testid="f-departments" />
                    <select id="f-department-add" data-testid="f-department-add" aria-label="添加部门">
                      <option value="">＋ 添加部门…</option>
                    </select>
                  </fieldset>
                  <label class="span2">
                    分类 <span class="muted small">（一级 / 二级 / 三级）</span>
                    <input
                      id="f-category"
                      list="category-options"
                      data-testid="f-category"
                      required
                      autocomplete="off"
                    />
                  </label>
                  <label>
                    适用区域
                    <select id="f-region" data-testid="f-region" />
                  </label>
                  <fieldset class="audience">
                    <legend>适用对象</legend>
                    <label class="inline">
                      <input type="checkbox" name="audience" value="个人" data-testid="f-audience-person" />{" "}
                      个人
                    </label>
                    <label class="inline">
                      <input type="checkbox" name="audience" value="企业" data-testid="f-audience-business" />{" "}
                      企业
                    </label>
                  </fieldset>
                  <label>
                    生效日期
                    <input type="date" id="f-valid-from" data-testid="f-valid-from" required />
                  </label>
                  <label>
                    失效日期 <span class="muted small">（留空为长期）</span>
                    <input type="date" id="f-valid-to" data-testid="f-valid-to" />
                  </label>
                  <label>
                    负责人
                    <input id="f-owner" data-testid="f-owner" required />
                  </label>
                  <fieldset id="f-basis" class="span3 basis-fields" data-testid="f-basis">
                    <legend>
                      政策依据{" "}
                      <span class="muted small">
                        （只填核实过的部分，未知的留空：缺项的口径列入“待核实”）
                      </span>
                    </legend>
                    <label>
                      文件名称 <span class="muted small">（不含《》）</span>
                      <input id="f-basis-document" data-testid="f-basis-document" maxlength={200} />
                    </label>
                    <label>
                      发文字号
                      <input id="f-basis-number" data-testid="f-basis-number" maxlength={100} />
                    </label>
                    <label>
                      条款
                      <input id="f-basis-clause" data-testid="f-basis-clause" maxlength={200} />
                    </label>
                    <label>
                      发布机关
                      <input id="f-basis-issuer" data-testid="f-basis-issuer" maxlength={100} />
                    </label>
                    <label>
                      链接
                      <input id="f-basis-url" data-testid="f-basis-url" type="url" maxlength={500} />
                    </label>
                    <label>
                      核实日期
                      <input id="f-basis-checked-at" data-testid="f-basis-checked-at" type="date" />
                    </label>
                  </fieldset>
                  <label>
                    标签 <span class="muted small">（逗号分隔）</span>
                    <input id="f-tags" data-testid="f-tags" />
                  </label>
                </div>
                <p id="form-error" class="alert" role="alert" hidden data-testid="form-error" />
                <div class="actions" id="edit-actions">
                  <label class="note">
                    修改说明 <span class="muted small">（审核员和审计记录可见）</span>
                    <input id="f-change-note" data-testid="f-change-note" maxlength={500} />
                  </label>
                  <div class="row">
                    <button type="button" id="show-diff" class="secondary" data-testid="show-diff">
                      查看差异 <kbd>Alt+D</kbd>
                    </button>
                    <button type="button" id="save-draft" data-testid="save-draft">
                      保存草稿 <kbd>Ctrl+S</kbd>
                    </button>
                    <button type="button" id="submit-review" class="primary" data-testid="submit-review">
                      提交审核 <kbd>Ctrl+Enter</kbd>
                    </button>
                    <button type="button" id="discard-edit" class="link" data-testid="discard-edit">
                      放弃修改
                    </button>
                    <span id="dirty-flag" class="dirty" data-testid="dirty-flag" />
                  </div>
                </div>
              </form>
            </section>

            <section id="pane-diff" class="card pane" role="tabpanel" aria-labelledby="pane-tab-diff" hidden>
              <div id="diff" data-testid="diff" />
            </section>
            <section
              id="pane-history"
              class="card pane"
              role="tabpanel"
              aria-labelledby="pane-tab-history"
              hidden
            >
              <div id="history" data-testid="history" />
            </section>
            <section
              id="pane-audit"
              class="card pane"
              role="tabpanel"
              aria-labelledby="pane-tab-audit"
              hidden
            >
              <div id="audit" data-testid="audit" />
            </section>
          </div>
        </section>
      </div>
      <datalist id="category-options" />
    </Layout>
  );
}
