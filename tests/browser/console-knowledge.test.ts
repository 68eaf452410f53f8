import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadKnowledge } from "#infra/knowledge-fs/load-knowledge";
import { fixtureBundle } from "../fixtures/knowledge-bundle";
import { type ConsoleServer, launchBrowser, openAs, screenshot, startConsoleServer } from "./harness";

const WAGE_REQUEST = "公司三个月没发工资，老板现在电话也不接，我想投诉";
const OFF_TOPIC = "明天阳江会不会下雨啊，我想去钓鱼";

async function typeRequest(page: Page, text: string) {
  const answered = page.waitForResponse(
    (response) => response.url().endsWith("/v1/suggest") && response.status() === 200,
  );
  await page.getByTestId("request-text").pressSequentially(text, { delay: 15 });
  return (await (await answered).json()) as { scriptsConfident: boolean };
}

/** The console's knowledge answers (issue #14), with the product's fitted on-topic calibration. */
describe("agent console: no confident match, knowledge search and the policy basis", () => {
  let server: ConsoleServer;
  let browser: Browser;

  beforeAll(async () => {
    const calibration = loadKnowledge("knowledge").bundle.retrievalConfidence;
    if (!calibration)
      throw new Error("knowledge/retrieval-confidence.yaml is missing: run npm run eval:calibrate");
    const bundle = fixtureBundle();
    bundle.scripts = bundle.scripts.map((script) =>
      script.id === "labor-wage-arrears"
        ? {
            ...script,
            basis: { ...script.basis, document: "保障农民工工资支付条例", clause: "第五十条" },
          }
        : script,
    );
    server = await startConsoleServer({ bundle: { ...bundle, retrievalConfidence: calibration } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test("a call the knowledge base cannot answer says 未找到可靠口径 and offers search instead of a script", async () => {
    const page = await openAs(browser, server, server.keys.agent, "/console");
    const suggestion = await typeRequest(page, OFF_TOPIC);
    expect(suggestion.scriptsConfident).toBe(false);
    const scripts = page.getByTestId("scripts");
    await expect
      .poll(() => scripts.getByTestId("no-confident-script").textContent())
      .toContain("未找到可靠口径");
    expect(await scripts.getByTestId("copy-script").count()).toBe(0);
    expect(await scripts.getByTestId("script-answer").count()).toBe(0);

    await scripts.getByTestId("search-instead").click();
    expect(await page.getByTestId("kb-search-query").inputValue()).toBe(OFF_TOPIC);
    await expect
      .poll(() => page.getByTestId("kb-search-summary").textContent())
      .toMatch(/未找到可靠口径|没有命中/);
    await screenshot(page, "console-no-confident-match");
  });

  test("a confident suggestion shows the policy basis under the script, 待核实 when parts are missing", async () => {
    const page = await openAs(browser, server, server.keys.agent, "/console");
    const suggestion = await typeRequest(page, WAGE_REQUEST);
    expect(suggestion.scriptsConfident).toBe(true);
    const script = page.getByTestId("script-labor-wage-arrears");
    await expect
      .poll(() => script.getByTestId("script-basis").textContent())
      .toContain("《保障农民工工资支付条例》第五十条");
    expect(await script.getByTestId("basis-unverified").count()).toBe(1);
  });

  test("the agent searches the knowledge base and sees the hit-test scores", async () => {
    const page = await openAs(browser, server, server.keys.agent, "/console");
    await page.getByTestId("kb-search-query").fill("老板拖欠工资不发怎么办");
    await page.getByTestId("kb-search-submit").click();
    const hit = page.getByTestId("search-labor-wage-arrears");
    await expect.poll(() => hit.count()).toBe(1);
    expect(await page.getByTestId("kb-search-summary").textContent()).toMatch(/^命中 \d 条$/);
    expect(Number(await hit.getByTestId("signal-vector").first().textContent())).toBeGreaterThan(0);
    expect(await hit.getByTestId("signal-on-topic").first().textContent()).toMatch(/^\d+%$/);
    expect(await hit.getByTestId("script-basis").textContent()).toContain("保障农民工工资支付条例");
    await screenshot(page, "console-knowledge-search");
  });
});
