import type { Principal } from "#domain/access";
import { barChart, centreDay } from "#domain/analytics/reports";
import type { agentBoardOf, DailyReport, departmentBoardOf, topicReport } from "#services/reports";
import { Layout } from "./layout";

/**
 * The printable reports (#18): the daily report with the month's boards, and one topic's 专报
 * draft. Everything, charts included (inline SVG), is drawn on the server: no script, no CDN, the
 * pages' strict CSP holds, and printing gives what the screen shows (report.css has the print rules).
 */

type AgentBoard = Awaited<ReturnType<typeof agentBoardOf>>;
type DepartmentBoard = Awaited<ReturnType<typeof departmentBoardOf>>;
type TopicReport = Awaited<ReturnType<typeof topicReport>>;

const CENTRE_TIME = new Intl.DateTimeFormat("zh-CN", {
  timeZone: "Asia/Shanghai",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});
const time = (iso: string | null) => (iso ? CENTRE_TIME.format(new Date(iso)) : "—");
const percent = (value: number | null) => (value === null ? "—" : `${Math.round(value * 1000) / 10}%`);

/** Ranked counts as horizontal bars (the top rows; the rest summed in the caption). */
function BarChart(props: { title: string; rows: { label: string; count: number }[]; testId: string }) {
  const shown = props.rows.slice(0, 10);
  const rest = props.rows.slice(10).reduce((sum, row) => sum + row.count, 0);
  const chart = barChart(shown, "horizontal", { width: 440, bar: 16, gap: 6, labelWidth: 160 });
  return (
    <figure class="chart" data-testid={props.testId}>
      <figcaption>
        {props.title}
        {rest > 0 ? <span class="muted small">（其余 {rest} 件未列出）</span> : null}
      </figcaption>
      {shown.length === 0 ? (
        <p class="muted">当日无数据。</p>
      ) : (
        <svg
          xmlns="http://www.w3.org/2000/svg"
          width={chart.width}
          height={chart.height}
          viewBox={`0 0 ${chart.width} ${chart.height}`}
          role="img"
          aria-label={props.title}
        >
          {chart.bars.map((bar) => (
            <g>
              <text x={bar.x - 6} y={bar.y + bar.height - 3} text-anchor="end" font-size="12" fill="#1f2933">
                {bar.label.length > 12 ? `${bar.label.slice(0, 11)}…` : bar.label}
              </text>
              <rect x={bar.x} y={bar.y} width={bar.width} height={bar.height} fill="#1f5fbf" />
              <text x={bar.x + bar.width + 4} y={bar.y + bar.height - 3} font-size="12" fill="#1f2933">
                {bar.count}
              </text>
            </g>
          ))}
        </svg>
      )}
    </figure>
  );
}

/** Counts per day as columns, first and last day labelled. */
function DayChart(props: { rows: { key: string; count: number }[] }) {
  const chart = barChart(
    props.rows.map((row) => ({ label: row.key, count: row.count })),
    "vertical",
    {
      width: 420,
      bar: Math.max(4, Math.min(24, Math.floor(400 / Math.max(1, props.rows.length)) - 2)),
      gap: 2,
      labelWidth: 0,
    },
  );
  const first = props.rows[0]?.key;
  const last = props.rows.at(-1)?.key;
  return (
    <figure class="chart" data-testid="topic-chart">
      <figcaption>每日诉求量</figcaption>
      <svg
        xmlns="http://www.w3.org/2000/svg"
        width={chart.width}
        height={chart.height}
        viewBox={`0 0 ${chart.width} ${chart.height}`}
        role="img"
        aria-label="每日诉求量"
      >
        {chart.bars.map((bar) => (
          <rect x={bar.x} y={bar.y} width={bar.width} height={bar.height} fill="#1f5fbf">
            <title>{`${bar.label}：${bar.count}件`}</title>
          </rect>
        ))}
        <line x1="0" y1="120" x2={chart.width} y2="120" stroke="#6b7280" />
        <text x="2" y="136" font-size="11" fill="#6b7280">
          {first ?? ""}
        </text>
        <text x={chart.width - 2} y="136" font-size="11" fill="#6b7280" text-anchor="end">
          {last && last !== first ? last : ""}
        </text>
      </svg>
    </figure>
  );
}

function SpikeTable(props: { spikes: DailyReport["spikes"] }) {
  if (props.spikes.length === 0) return <p class="muted">无异常升高。</p>;
  const dimensions = { category: "分类", department: "部门", district: "区县", topic: "热点" } as const;
  return (
    <table data-testid="report-spikes">
      <thead>
        <tr>
          <th>维度</th>
          <th>对象</th>
          <th>本时段</th>
          <th>往常</th>
          <th>倍数</th>
          <th>依据</th>
          <th>关联应急</th>
        </tr>
      </thead>
      <tbody>
        {props.spikes.map((spike) => (
          <tr>
            <td>{dimensions[spike.dimension]}</td>
            <td>{spike.label}</td>
            <td class="num">{spike.count}</td>
            <td class="num">
              {spike.usual}（{spike.previous.join("、")}）
            </td>
            <td class="num">{spike.ratio}</td>
            <td class="small">{spike.basis}</td>
            <td>{spike.crisis?.name ?? "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DueTable(props: { items: DailyReport["business2135"]["overdue"]; label: string; testId: string }) {
  if (props.items.length === 0) return <p class="muted">无。</p>;
  return (
    <table data-testid={props.testId}>
      <thead>
        <tr>
          <th>工单</th>
          <th>受理</th>
          <th>办结时限</th>
          <th>{props.label}</th>
          <th>承办部门</th>
          <th>诉求摘要（已脱敏）</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((item) => (
          <tr>
            <td>{item.orderId}</td>
            <td>{time(item.receivedAt)}</td>
            <td>{time(item.completeBy)}</td>
            <td class="num">{item.hours} 小时</td>
            <td>{item.departmentName ?? "—"}</td>
            <td>{item.summary}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DepartmentBoardTable(props: { board: DepartmentBoard }) {
  return (
    <section class="card" data-testid="department-board">
      <h2>部门月度情况（{props.board.month}）</h2>
      {props.board.departments.length === 0 ? (
        <p class="muted">本月无派单记录。</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>部门</th>
              <th>派至</th>
              <th>退单</th>
              <th>退单率</th>
              <th>改派出</th>
              <th>改派去向</th>
              <th>按时限可判办结</th>
              <th>超期率</th>
            </tr>
          </thead>
          <tbody>
            {props.board.departments.map((row) => (
              <tr>
                <td>{row.name}</td>
                <td class="num">{row.received}</td>
                <td class="num">{row.returned}</td>
                <td class="num">{percent(row.returnRate)}</td>
                <td class="num">{row.reassignedAway}</td>
                <td>{row.pairs.map((pair) => `${pair.toName}×${pair.count}`).join("、") || "—"}</td>
                <td class="num">{row.closedWithDeadline}</td>
                <td class="num">{percent(row.overdueRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function AgentBoardTable(props: { board: AgentBoard }) {
  return (
    <section class="card" data-testid="agent-board">
      <h2>坐席月度情况（{props.board.month}，仅管理员可见）</h2>
      {props.board.agents.length === 0 ? (
        <p class="muted">本月无建议记录。</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>坐席</th>
              <th>建议</th>
              <th>有反馈</th>
              <th>采纳率</th>
              <th>改分类</th>
              <th>改部门</th>
              <th>改类型</th>
              <th>采用口径</th>
              <th>平均处理时长</th>
            </tr>
          </thead>
          <tbody>
            {props.board.agents.map((row) => (
              <tr>
                <td>{row.agent}</td>
                <td class="num">{row.suggestions}</td>
                <td class="num">{row.withFeedback}</td>
                <td class="num">{percent(row.acceptance)}</td>
                <td class="num">{row.corrections.category}</td>
                <td class="num">{row.corrections.departments}</td>
                <td class="num">{row.corrections.type}</td>
                <td class="num">{row.scriptsUsed}</td>
                <td class="num">{row.avgHandlingSeconds === null ? "—" : `${row.avgHandlingSeconds} 秒`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="muted small">处理时长：从得到建议到提交反馈的时间（通话本身在话务平台，本服务看不到）。</p>
    </section>
  );
}

export function DailyReportPage(props: {
  principal: Principal;
  csrfToken: string;
  report: DailyReport;
  departments: DepartmentBoard;
  agents: AgentBoard | null;
}) {
  const { report } = props;
  const [year, month, day] = report.date.split("-").map(Number);
  return (
    <Layout
      title={`${report.date} 日报`}
      principal={props.principal}
      csrfToken={props.csrfToken}
      style="report.css"
    >
      <article class="report" data-testid="daily-report">
        <header class="report-head">
          <h1>
            12345热线每日诉求情况（{year}年{month}月{day}日）
          </h1>
          <form method="get" action="/reports/daily" class="no-print report-date">
            <label>
              日期{" "}
              <input
                type="date"
                name="date"
                value={report.date}
                max={centreDay(new Date(report.generatedAt))}
              />
            </label>
            <button type="submit">查看</button>
            <span class="muted small">打印：浏览器菜单「打印」或 Ctrl+P。</span>
          </form>
          <p class="muted small">
            统计口径：北京时间当日 0 时至 24 时受理的工单；在办与超期按 {time(report.asOf)} 计；文本均已脱敏。
          </p>
        </header>
        <section class="card">
          <h2>一、诉求总量</h2>
          <p data-testid="report-volume">
            受理工单 <strong>{report.volume.orders}</strong> 件，坐席调用智能建议{" "}
            <strong>{report.volume.suggestions}</strong> 次。
          </p>
          <div class="charts">
            <BarChart title="按渠道" rows={report.volume.byChannel} testId="chart-channel" />
            <BarChart title="按分类（一级）" rows={report.volume.byCategory} testId="chart-category" />
            <BarChart title="按承办部门" rows={report.volume.byDepartment} testId="chart-department" />
            <BarChart title="按区县" rows={report.volume.byDistrict} testId="chart-district" />
          </div>
        </section>
        <section class="card">
          <h2>二、热点问题</h2>
          {report.hotTopics.length === 0 ? (
            <p class="muted">当日无热点。</p>
          ) : (
            <ol data-testid="report-topics">
              {report.hotTopics.map((topic) => (
                <li>
                  <a href={`/reports/topics/${encodeURIComponent(topic.id)}`}>{topic.label}</a>
                  <span class="muted">
                    （{topic.count} 件，热度 {topic.heat}）
                  </span>
                </li>
              ))}
            </ol>
          )}
        </section>
        <section class="card">
          <h2>三、异常升高</h2>
          <SpikeTable spikes={report.spikes} />
        </section>
        <section class="card">
          <h2>四、市场主体诉求（2135）办理时限</h2>
          <h3>已超期（{report.business2135.overdue.length} 件）</h3>
          <DueTable items={report.business2135.overdue} label="已超" testId="report-overdue" />
          <h3>
            {report.business2135.nearDueHours} 小时内到期（{report.business2135.nearDue.length} 件）
          </h3>
          <DueTable items={report.business2135.nearDue} label="剩余" testId="report-near-due" />
          {report.business2135.unknownDue > 0 ? (
            <p class="muted small">
              另有 {report.business2135.unknownDue} 件在办工单未关联坐席建议，无法判断时限。
            </p>
          ) : null}
        </section>
        <section class="card">
          <h2>五、紧急诉求（{report.urgent.length} 件）</h2>
          {report.urgent.length === 0 ? (
            <p class="muted">无。</p>
          ) : (
            <table data-testid="report-urgent">
              <thead>
                <tr>
                  <th>时间</th>
                  <th>来源</th>
                  <th>部门</th>
                  <th>诉求摘要（已脱敏）</th>
                </tr>
              </thead>
              <tbody>
                {report.urgent.map((item) => (
                  <tr>
                    <td>{time(item.at)}</td>
                    <td>{item.source === "order" ? `工单 ${item.id}` : "坐席建议"}</td>
                    <td>{item.departmentName ?? "—"}</td>
                    <td>{item.summary}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section class="card">
          <h2>六、退单与改派</h2>
          {report.disputes.length === 0 ? (
            <p class="muted">无。</p>
          ) : (
            <table data-testid="report-disputes">
              <thead>
                <tr>
                  <th>部门</th>
                  <th>退单</th>
                  <th>改派出</th>
                  <th>改派入</th>
                  <th>改派去向</th>
                </tr>
              </thead>
              <tbody>
                {report.disputes.map((row) => (
                  <tr>
                    <td>{row.name}</td>
                    <td class="num">{row.returned}</td>
                    <td class="num">{row.reassignedAway}</td>
                    <td class="num">{row.reassignedTo}</td>
                    <td>{row.pairs.map((pair) => `${pair.toName}×${pair.count}`).join("、") || "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <DepartmentBoardTable board={props.departments} />
        {props.agents ? <AgentBoardTable board={props.agents} /> : null}
      </article>
    </Layout>
  );
}

export function TopicReportPage(props: { principal: Principal; csrfToken: string; report: TopicReport }) {
  const { report } = props;
  return (
    <Layout title="专报草稿" principal={props.principal} csrfToken={props.csrfToken} style="report.css">
      <article class="report" data-testid="topic-report">
        <p class="no-print">
          <a href={`/reports/daily?date=${centreDay(new Date(report.lastAt))}`}>← 返回日报</a>
        </p>
        <section class="card">
          <h1>{report.label}</h1>
          <p>
            关键词：{report.keywords.join("、") || "—"}；地点：
            {report.places.join("、") || report.district || "—"}
          </p>
          <p>
            {time(report.firstAt)} 至 {time(report.lastAt)}，共 {report.count} 件；关联工单{" "}
            {report.orders.linked} 件，在办 {report.orders.open} 件，超期 {report.orders.overdue} 件。
          </p>
          <DayChart rows={report.perDay} />
          <h2>涉及部门</h2>
          <p>
            {report.departments.map((department) => `${department.name}（${department.count}）`).join("、") ||
              "尚无派单记录"}
          </p>
          <h2>诉求举例（已脱敏）</h2>
          <ol>
            {report.examples.map((example) => (
              <li>
                <span class="muted">{time(example.at)}</span> {example.summary}
              </li>
            ))}
          </ol>
        </section>
        <section class="card draft" data-testid="topic-draft">
          <p class="muted small no-print">草稿：【待填写：…】处须由撰稿人核实后填写，数字来自系统统计。</p>
          <h2 class="draft-title">{report.draft.title}</h2>
          {report.draft.sections.map((section) => (
            <section>
              <h3>{section.heading}</h3>
              <p>{section.text}</p>
            </section>
          ))}
        </section>
      </article>
    </Layout>
  );
}
