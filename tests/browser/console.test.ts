import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fixtureBundle } from "../fixtures/knowledge-bundle";
import { type ConsoleServer, launchBrowser, openAs, screenshot, startConsoleServer } from "./harness";

/** The fields a stored feedback record says the agent touched or confirmed. */
const confirmedOf = (feedback: unknown) => (feedback as { confirmed?: string[] } | null)?.confirmed;

const WAGE_REQUEST = "公司三个月没发工资，老板现在电话也不接，我想投诉";

/** Types like an agent (key by key) and returns the suggestion the page ends up showing. */
async function typeRequest(page: Page, text: string) {
  const answered = page.waitForResponse(
    (response) => response.url().endsWith("/v1/suggest") && response.status() === 200,
  );
  await page.getByTestId("request-text").pressSequentially(text, { delay: 15 });
  const response = await answered;
  return (await response.json()) as { id: string; departments: { code: string }[] };
}

describe("agent console (/console) in Chromium", () => {
  let server: ConsoleServer;
  let browser: Browser;

  beforeAll(async () => {
    const bundle = fixtureBundle();
    const lead = bundle.departments[0]?.code ?? "rsj";
    server = await startConsoleServer({
      bundle: {
        ...bundle,
        emergencies: [
          {
            id: "water-main-burst",
            name: "供水主管爆裂",
            triggers: ["水管爆了", "爆水管"],
            departments: [lead],
            dispatchWithinMinutes: 30,
            level: "紧急",
          },
        ],
      },
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test("typing a request shows departments and the approved script; copying puts it on the clipboard", async () => {
    const page = await openAs(browser, server, server.keys.agent, "/console");
    await typeRequest(page, WAGE_REQUEST);

    await expect.poll(() => page.getByTestId("departments").locator("li").count()).toBeGreaterThan(0);
    const scripts = page.getByTestId("scripts");
    await expect.poll(() => scripts.textContent()).toContain("被拖欠工资可向劳动保障监察机构投诉");
    await expect.poll(() => page.getByTestId("deadlines").textContent()).toMatch(/响应 .+ · 办结 .+/);
    // The text area is never rewritten by the page.
    expect(await page.getByTestId("request-text").inputValue()).toBe(WAGE_REQUEST);

    await page.getByTestId("script-labor-wage-arrears").getByTestId("copy-script").click();
    await expect
      .poll(() => page.evaluate<string>("navigator.clipboard.readText()"))
      .toBe("您好，被拖欠工资可向劳动保障监察机构投诉，或申请劳动仲裁。");
    await screenshot(page, "console");
    await page.context().close();
  });

  test("an emergency shows the urgent banner with its dispatch limit", async () => {
    const page = await openAs(browser, server, server.keys.agent, "/console");
    // The catalogue (emergency names) loads on its own; wait for it before the first answer.
    await expect.poll(() => page.locator("#category-options option").count()).toBeGreaterThan(0);
    await typeRequest(page, "楼下马路水管爆了，水漫到铺头里面");
    const banner = page.getByTestId("urgent-banner");
    await expect.poll(() => banner.isVisible()).toBe(true);
    expect(await banner.textContent()).toContain("请在 30 分钟内派单");
    expect(await banner.textContent()).toContain("供水主管爆裂（紧急）");

    // A calm follow-up request clears it.
    await page.getByTestId("request-text").fill("请问社保卡怎么补办");
    await expect.poll(() => banner.isVisible()).toBe(false);
    await page.context().close();
  });

  test("a corrected department, type and category are stored as the suggestion's feedback", async () => {
    const page = await openAs(browser, server, server.keys.agent, "/console");
    const suggestion = await typeRequest(page, "小区物业突然涨价还乱收停车费，管理处不给解释");
    await expect.poll(() => page.getByTestId("feedback-form").isVisible()).toBe(true);

    // The agent picks another lead department, the type 投诉 and a category path from the tree.
    const lead = suggestion.departments[0]?.code;
    const other = server.bundle.departments.find((department) => department.code !== lead);
    if (!other) throw new Error("the fixture needs a second department");
    const category = server.deps.suggest.categoryPaths[0];
    if (!category) throw new Error("the fixture has no categories");
    await page.getByTestId("fb-lead").selectOption(other.code);
    await page.getByTestId("fb-type").getByLabel("投诉").check();
    await page.getByTestId("fb-category").fill(category.join(" / "));
    await page.getByTestId("fb-save").click();
    await expect.poll(() => page.getByTestId("fb-status").textContent()).toContain("已保存");

    const stored = await server.deps.suggestions.get(suggestion.id);
    expect(stored?.feedback).toMatchObject({
      finalDepartments: [other.code],
      finalType: "投诉",
      finalCategory: [...category],
      agentId: "test-agent",
    });
    // Every field was touched, so every field counts as the agent's own (#15).
    expect(confirmedOf(stored?.feedback)?.toSorted()).toEqual(["category", "departments", "type"]);
    await page.context().close();
  });

  test("a save without touching the preselected fields confirms none of them (#15)", async () => {
    const page = await openAs(browser, server, server.keys.agent, "/console");
    // Preselection needs a sure engine (automation preselect); the untrained test server is not,
    // so the served levels are raised here, as in the automation test below.
    await page.route("**/v1/suggest", async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as {
        category: { automation: string }[];
        type: { automation: string }[];
        departments: { role: string; automation: string }[];
      };
      const preselect = <T extends { automation: string }>(entry: T, index: number) => ({
        ...entry,
        automation: index === 0 ? "preselect" : entry.automation,
      });
      body.category = body.category.map(preselect);
      body.type = body.type.map(preselect);
      body.departments = body.departments.map((entry) => ({
        ...entry,
        automation: entry.role === "lead" ? "preselect" : entry.automation,
      }));
      await route.fulfill({ response, json: body });
    });
    const suggestion = await typeRequest(page, "楼下烧烤店油烟很大，晚上还很吵");
    await expect.poll(() => page.getByTestId("feedback-form").isVisible()).toBe(true);
    await page.getByTestId("fb-save").click();
    await expect.poll(() => page.getByTestId("fb-status").textContent()).toContain("不计为确认");
    const untouched = await server.deps.suggestions.get(suggestion.id);
    expect(confirmedOf(untouched?.feedback)).toEqual([]);

    // Ticking "预选内容已逐项核实" confirms every preselected field.
    await page.getByTestId("fb-confirm-all").check();
    await page.getByTestId("fb-save").click();
    await expect.poll(() => page.getByTestId("fb-status").textContent()).toContain("确认/更正的字段");
    const confirmed = await server.deps.suggestions.get(suggestion.id);
    expect(confirmedOf(confirmed?.feedback)).toEqual(["category", "departments", "type"]);
    await page.context().close();
  });

  test("a field the engine is not sure of (automation suggest, low band) is left for the agent; a preselect-level field is selected", async () => {
    const page = await openAs(browser, server, server.keys.agent, "/console");
    // The served levels come from the model's held-out curve; here they are set per field so
    // both cases are in one answer.
    await page.route("**/v1/suggest", async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as {
        category: { band: string; automation: string }[];
        type: { automation: string }[];
        departments: { role: string; band: string; automation: string }[];
      };
      body.category = body.category.map((entry) => ({ ...entry, band: "low", automation: "suggest" }));
      body.type = body.type.map((entry, index) => ({
        ...entry,
        automation: index === 0 ? "preselect" : "suggest",
      }));
      body.departments = body.departments.map((entry) => ({ ...entry, band: "low", automation: "suggest" }));
      await route.fulfill({ response, json: body });
    });
    const suggestion = (await typeRequest(page, WAGE_REQUEST)) as unknown as {
      type: { label: string }[];
      departments: { code: string; role: string }[];
    };
    await expect.poll(() => page.getByTestId("feedback-form").isVisible()).toBe(true);

    // Not sure: no lead department and no category are preselected; the suggestion is shown.
    expect(suggestion.departments.some((entry) => entry.role === "lead")).toBe(true);
    expect(await page.getByTestId("fb-lead").inputValue()).toBe("");
    expect(await page.getByTestId("fb-category").inputValue()).toBe("");
    expect(await page.getByTestId("automation-lead").textContent()).toBe("请坐席选择");
    expect(await page.getByTestId("automation-category").textContent()).toBe("请坐席选择");
    // Preselect: the top type is checked, and marked as preselected.
    const topType = suggestion.type[0]?.label ?? "";
    expect(await page.getByTestId("fb-type").getByLabel(topType, { exact: true }).isChecked()).toBe(true);
    expect(await page.getByTestId("automation-type").textContent()).toBe("已预选");
    await page.context().close();
  });

  test("when the service is down the page says so, keeps the text and recovers by itself", async () => {
    const page = await openAs(browser, server, server.keys.agent, "/console");
    await page.route("**/v1/suggest", (route) => route.abort("connectionrefused"));
    await page.getByTestId("request-text").fill("我的社保卡丢了，怎么补办");
    await expect.poll(() => page.getByTestId("status").textContent()).toContain("智能建议暂不可用");
    expect(await page.getByTestId("request-text").inputValue()).toBe("我的社保卡丢了，怎么补办");

    await page.unroute("**/v1/suggest");
    // The page retries on its own; the script for a lost social security card appears.
    await expect
      .poll(() => page.getByTestId("scripts").textContent(), { timeout: 15_000 })
      .toContain("社保卡遗失后请先通过粤省事或拨打12333挂失");
    await expect.poll(() => page.getByTestId("status").textContent()).toContain("已更新");
    await page.context().close();
  });

  test("pages need a login, and a role only opens its own pages", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/console`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.getByTestId("login-key").fill("hk_not-a-real-key-at-all-000000");
    await page.getByTestId("login-submit").click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("密钥无效");
    await screenshot(page, "login");
    await context.close();

    const agent = await openAs(browser, server, server.keys.agent, "/console");
    const response = await agent.goto(`${server.url}/editor`);
    expect(response?.status()).toBe(403);
    await agent.context().close();
  });
});
