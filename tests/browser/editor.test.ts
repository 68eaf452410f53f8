import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ConsoleServer, launchBrowser, openAs, screenshot, startConsoleServer } from "./harness";

interface Version {
  version: number;
  state: string;
  answer: string;
  variants: string[];
  author: string;
  baseVersion: number | null;
  reviewComment: string | null;
}
interface View {
  item: { id: string; status: string; publishedVersion: number | null; latestVersion: number };
  published: Version | null;
  latest: Version;
}

/** Today in China as YYYY-MM-DD, `days` ahead. */
const chinaDay = (days = 0) =>
  new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);

describe("knowledge editor (/editor) in Chromium", () => {
  let server: ConsoleServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startConsoleServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** The JSON API as an integrator calls it (Bearer key), to check what the pages did. */
  async function callApi<T>(method: string, path: string, key: string, body?: unknown): Promise<T> {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    expect(response.ok, `${method} ${path} → ${response.status} ${text}`).toBe(true);
    return JSON.parse(text) as T;
  }
  const scriptView = (id: string) => callApi<View>("GET", `/v1/knowledge/scripts/${id}`, server.keys.editor);

  /** Finds a script by keyword in the list and opens it; resolves once its wording is in the form. */
  async function openScript(page: Page, keyword: string, id: string) {
    await page.getByTestId("tab-list").click();
    await page.getByTestId("list-q").fill(keyword);
    await page.getByTestId(`result-${id}`).click();
    await expect.poll(() => page.getByTestId("f-id").inputValue()).toBe(id);
  }
  const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent()) ?? "";

  test("an editor changes the answer and a variant, sees the diff, submits; a reviewer approves from the queue; agents get the new wording", async () => {
    const original = await scriptView("shebao-card-lost");
    const newAnswer =
      "您好，社保卡遗失请先拨打12333或通过粤省事挂失，再带身份证到任一社保卡服务网点补办，当场可取新卡。";
    const oldVariant = original.latest.variants[1] ?? "";
    const newVariant = "社保卡跌咗喺边度补";

    const editor = await openAs(browser, server, server.keys.editor, "/editor");
    await openScript(editor, "社保卡", "shebao-card-lost");
    await editor.getByTestId("f-answer").fill(newAnswer);
    await editor.getByTestId("variant-1").fill(newVariant);
    await editor.getByTestId("f-change-note").fill("补充挂失渠道和即时制卡");
    expect(await text(editor, "dirty-flag")).toContain("未保存");

    // The diff of the unsaved edit against what agents see now.
    await editor.getByTestId("show-diff").click();
    const diff = editor.getByTestId("diff");
    await expect.poll(() => text(editor, "diff-heading")).toBe("已发布 v1 → 你的未保存修改");
    // Read without the deletions the answer is the new wording; without the insertions, the old one.
    const answerChange = diff.getByTestId("diff-field-answer").locator(".diff-text");
    const without = (tag: string) =>
      answerChange.evaluate(
        (element, skip) =>
          [...element.childNodes]
            .filter((node) => node.nodeName !== skip)
            .map((node) => node.textContent)
            .join(""),
        tag,
      );
    expect(await without("DEL")).toBe(newAnswer);
    expect(await without("INS")).toBe(original.latest.answer);
    expect(await diff.getByTestId("diff-field-variants").locator("del").allTextContents()).toEqual([
      oldVariant,
    ]);
    expect(await diff.getByTestId("diff-field-variants").locator("ins").allTextContents()).toEqual([
      newVariant,
    ]);
    expect(await diff.locator(".change").count()).toBe(2); // nothing else changed
    await screenshot(editor, "editor");

    await editor.getByTestId("diff-submit").click();
    await expect.poll(() => text(editor, "message")).toContain("已提交审核：v2");
    expect(await text(editor, "script-status")).toContain("待审核 v2");
    const submitted = await scriptView("shebao-card-lost");
    expect(submitted.latest).toMatchObject({ version: 2, state: "pending_review", answer: newAnswer });
    expect(submitted.published?.version).toBe(1); // agents keep the old wording until approval

    // The author cannot review; a reviewer finds it in the queue with the diff already open.
    const reviewer = await openAs(browser, server, server.keys.reviewer, "/editor");
    await expect.poll(() => text(reviewer, "queue-count")).toBe("1");
    await reviewer.getByTestId("tab-queue").click();
    await reviewer.getByTestId("queue-shebao-card-lost-v2").click();
    await expect.poll(() => reviewer.getByTestId("diff").textContent()).toContain("当场可取新卡");
    const box = reviewer.getByTestId("review-box");
    await box.getByTestId("review-comment").fill("同意，渠道已核实");
    await screenshot(reviewer, "editor-review");
    await box.getByTestId("approve").click();
    await expect.poll(() => text(reviewer, "message")).toContain("已通过并发布 v2");
    expect(await text(reviewer, "script-status")).toContain("已发布 v2");
    await expect.poll(() => text(reviewer, "queue-count")).toBe("");

    const published = await scriptView("shebao-card-lost");
    expect(published.published).toMatchObject({ version: 2, answer: newAnswer });
    expect(published.published?.variants).toContain(newVariant);

    // What an agent's console now reads out for this question.
    const agent = await openAs(browser, server, server.keys.agent, "/console");
    await agent.getByTestId("request-text").pressSequentially("社保卡丢了，想挂失补办", { delay: 10 });
    await expect
      .poll(() => agent.getByTestId("scripts").textContent(), { timeout: 20_000 })
      .toContain(newAnswer);

    for (const page of [editor, reviewer, agent]) await page.context().close();
  });

  test("a second editor's stale save shows both versions and overwrites nothing", async () => {
    const first = await openAs(browser, server, server.keys.editor, "/editor");
    const second = await openAs(browser, server, server.keys.editor2, "/editor");
    await openScript(first, "欠薪", "labor-wage-arrears");
    await openScript(second, "欠薪", "labor-wage-arrears");
    const theirs = "您好，被拖欠工资可拨打12333或向劳动保障监察机构投诉。（第一位编辑）";
    const mine = "您好，被拖欠工资可申请劳动仲裁，仲裁不收费。（第二位编辑）";

    await first.getByTestId("f-answer").fill(theirs);
    await first.getByTestId("submit-review").click();
    await expect.poll(() => text(first, "message")).toContain("已提交审核：v2");

    await second.getByTestId("f-answer").fill(mine);
    await second.getByTestId("f-change-note").fill("补充仲裁");
    await second.getByTestId("submit-review").click();
    const conflict = second.getByTestId("conflict");
    await conflict.waitFor({ state: "visible" });
    expect(await conflict.textContent()).toContain("此口径已被他人修改");
    expect(await conflict.getByTestId("conflict-theirs").textContent()).toContain(theirs);
    expect(await conflict.getByTestId("conflict-theirs").textContent()).toContain("test-editor");
    expect(await conflict.getByTestId("conflict-mine").textContent()).toContain(mine);
    expect(await second.getByTestId("f-answer").inputValue()).toBe(mine); // the unsaved edit is kept
    await screenshot(second, "editor-conflict");

    // The server still has the first editor's version, and only that one.
    const afterConflict = await scriptView("labor-wage-arrears");
    expect(afterConflict.item.latestVersion).toBe(2);
    expect(afterConflict.latest).toMatchObject({ version: 2, answer: theirs, author: "test-editor" });

    // Merging onto v2 keeps the edit, which then saves as v3 based on v2.
    await conflict.getByTestId("conflict-merge").click();
    await expect.poll(() => conflict.isVisible()).toBe(false);
    expect(await text(second, "message")).toContain("合并到 v2");
    expect(await second.getByTestId("f-answer").inputValue()).toBe(mine);
    await second.getByTestId("submit-review").click();
    await expect.poll(() => text(second, "message")).toContain("已提交审核：v3");
    const merged = await scriptView("labor-wage-arrears");
    expect(merged.latest).toMatchObject({ version: 3, baseVersion: 2, answer: mine, author: "test-editor2" });

    for (const page of [first, second]) await page.context().close();
  });

  test("a rejection needs a comment and shows in the author's history; rollback from history publishes a new version", async () => {
    const original = await scriptView("housing-property-fee");
    const editor = await openAs(browser, server, server.keys.editor, "/editor");
    // Narrow the list by department and status before opening.
    await editor.getByTestId("filter-department").selectOption("zjj");
    await editor.getByTestId("filter-status").selectOption("published");
    await expect.poll(() => editor.getByTestId("list-results").locator("button.result").count()).toBe(1);
    await editor.getByTestId("result-housing-property-fee").click();
    await expect.poll(() => editor.getByTestId("f-id").inputValue()).toBe("housing-property-fee");
    await editor.getByTestId("f-answer").fill("您好，物业费按合同收取。");
    await editor.getByTestId("submit-review").click();
    await expect.poll(() => text(editor, "message")).toContain("已提交审核：v2");

    const reviewer = await openAs(browser, server, server.keys.reviewer, "/editor");
    await reviewer.getByTestId("tab-queue").click();
    await reviewer.getByTestId("queue-housing-property-fee-v2").click();
    const box = reviewer.getByTestId("review-box");
    await box.getByTestId("reject").click();
    await expect.poll(() => box.getByTestId("review-error").textContent()).toContain("必须填写审核意见");
    expect((await scriptView("housing-property-fee")).latest.state).toBe("pending_review");
    const comment = "请写明对乱收费可向住建部门投诉的渠道";
    await box.getByTestId("review-comment").fill(comment);
    await box.getByTestId("reject").click();
    await expect.poll(() => text(reviewer, "message")).toContain("已驳回 v2");
    expect((await scriptView("housing-property-fee")).latest).toMatchObject({
      state: "rejected",
      reviewComment: comment,
    });

    // The author comes back to the script and reads the rejection in the history.
    await editor.reload();
    await expect.poll(() => editor.getByTestId("f-id").inputValue()).toBe("housing-property-fee");
    expect(await text(editor, "rejection")).toContain(comment);
    await editor.getByTestId("pane-tab-history").click();
    const rejectedRow = editor.getByTestId("history-row-v2");
    expect(await rejectedRow.textContent()).toContain("已驳回");
    expect(await rejectedRow.textContent()).toContain(comment);
    await screenshot(editor, "editor-history");

    // A corrected v3 is approved and published; then the reviewer rolls back to v1.
    await editor.getByTestId("pane-tab-edit").click();
    await editor.getByTestId("f-answer").fill("您好，物业费按合同收取；对乱收费可向住建部门投诉。");
    await editor.getByTestId("submit-review").click();
    await expect.poll(() => text(editor, "message")).toContain("已提交审核：v3");
    await callApi(
      "POST",
      "/v1/knowledge/scripts/housing-property-fee/versions/3/review",
      server.keys.reviewer2,
      {
        decision: "approve",
      },
    );

    await reviewer.reload();
    await expect.poll(() => reviewer.getByTestId("script-status").textContent()).toContain("已发布 v3");
    await reviewer.getByTestId("pane-tab-history").click();
    await reviewer.getByTestId("rollback-v1").click();
    await reviewer.getByTestId("rollback-reason").fill("新口径待住建局确认");
    await reviewer.getByTestId("rollback-confirm").click();
    await expect.poll(() => text(reviewer, "message")).toContain("已回滚：以 v1 的内容生成并发布了新版本 v4");
    expect(await text(reviewer, "history-row-v4")).toContain("已发布");
    const rolledBack = await scriptView("housing-property-fee");
    expect(rolledBack.published).toMatchObject({ version: 4, answer: original.latest.answer });

    // The audit trail lists who did what, with the reasons.
    await reviewer.getByTestId("pane-tab-audit").click();
    await expect
      .poll(() => reviewer.getByTestId("audit").locator('[data-testid="audit-row"]').count())
      .toBeGreaterThanOrEqual(6);
    const audit = await text(reviewer, "audit");
    for (const expected of ["驳回", comment, "回滚", "新口径待住建局确认", "发布"])
      expect(audit).toContain(expected);

    for (const page of [editor, reviewer]) await page.context().close();
  });

  test("the hit test shows per-signal scores; a new script appears in the expiring list and its audit trail", async () => {
    const editor = await openAs(browser, server, server.keys.editor, "/editor");
    await editor.getByTestId("tab-hit").click();
    await editor.getByTestId("hit-query").fill("老板三个月唔出粮点算");
    await editor.getByTestId("hit-query").press("Enter");
    const hit = editor.getByTestId("hit-labor-wage-arrears");
    await hit.waitFor();
    expect(await hit.getByTestId("signal-vector").textContent()).toMatch(/^0\.\d{3}$/);
    expect(await hit.getByTestId("signals").textContent()).toMatch(/融合 0\.\d{4}/);
    expect(await text(editor, "hit-summary")).toContain("检索词");
    await screenshot(editor, "editor-hit-test");

    // A new script, written in the page (keyboard shortcut Alt+N).
    const id = "wage-notice-spring";
    const validTo = chinaDay(20);
    await editor.keyboard.press("Alt+N");
    await editor.getByTestId("f-id").fill(id);
    await editor.getByTestId("f-title").fill("春节前欠薪专项治理");
    await editor.getByTestId("f-question").fill("春节前欠薪专项治理期间怎么反映欠薪？");
    for (const [index, variant] of ["过年前老板唔出粮", "年底工资拿不到", "春节前讨薪找边个"].entries()) {
      await editor.getByTestId(`variant-${index}`).fill(variant);
    }
    await editor
      .getByTestId("f-answer")
      .fill("您好，专项治理期间可拨打12333或到人社局劳动监察窗口反映，工作人员会优先处理。");
    await editor.getByTestId("f-department-add").selectOption("rsj");
    await editor.getByTestId("f-category").fill("劳动和社会保障 / 工资福利 / 拖欠工资");
    await editor.getByTestId("f-valid-to").fill(validTo);
    await editor.getByTestId("f-owner").fill("市人社局知识专员");
    await editor.getByTestId("submit-review").click();
    await expect.poll(() => text(editor, "message")).toContain("已提交审核：v1");
    await callApi("POST", `/v1/knowledge/scripts/${id}/versions/1/review`, server.keys.reviewer, {
      decision: "approve",
    });

    // Filtered to what expires within 30 days, and in the expiring list with the days left.
    await editor.getByTestId("tab-list").click();
    await editor.getByTestId("list-q").fill("");
    await editor.getByTestId("filter-expiring").selectOption("30");
    await expect
      .poll(async () => editor.getByTestId("list-results").locator("button.result").allTextContents())
      .toEqual([expect.stringContaining("春节前欠薪专项治理")]);
    await editor.getByTestId("tab-expiring").click();
    const expiring = editor.getByTestId(`expiring-${id}`);
    await expiring.waitFor();
    expect(await expiring.textContent()).toContain("还剩 20 天");
    await expiring.click();
    await expect.poll(() => text(editor, "script-status")).toContain("20 天后到期");
    await editor.getByTestId("pane-tab-audit").click();
    await expect.poll(() => editor.getByTestId("audit").locator('[data-testid="audit-row"]').count()).toBe(3);
    const audit = await text(editor, "audit");
    for (const action of ["新建", "审核通过", "发布"]) expect(audit).toContain(action);

    await editor.context().close();
  });
});
