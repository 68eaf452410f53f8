import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ConsoleServer, launchBrowser, openAs, screenshot, startConsoleServer } from "./harness";

const EARLIER = "江城区魅力之城小区临街的烧烤店油烟直排，熏得我家窗户都不敢开，电话13812345678";
const NOW = "我住魅力之城小区，楼下烧烤店油烟直排进屋，窗户都不敢开";

describe("并单 hints in the agent console, in Chromium", () => {
  let server: ConsoleServer;
  let browser: Browser;
  let earlierId = "";

  beforeAll(async () => {
    server = await startConsoleServer();
    browser = await launchBrowser();
    // An earlier call about the same problem at the same place, still open.
    const response = await fetch(`${server.url}/v1/suggest`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.keys.agent}`, "content-type": "application/json" },
      body: JSON.stringify({ text: EARLIER, channel: "phone" }),
    });
    expect(response.status).toBe(200);
    earlierId = ((await response.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test("shows the open request with its time, masked summary, similarity and why; 并单 is saved with the feedback", async () => {
    const page = await openAs(browser, server, server.keys.agent, "/console");
    const answered = page.waitForResponse(
      (response) => response.url().endsWith("/v1/suggest") && response.status() === 200,
    );
    await page.getByTestId("request-text").fill(NOW);
    const suggestion = (await (await answered).json()) as { id: string };

    const duplicate = page.getByTestId("duplicate-0");
    await duplicate.waitFor();
    expect(await page.getByTestId("duplicates-card").isVisible()).toBe(true);
    expect(await duplicate.getAttribute("data-id")).toBe(`suggestion:${earlierId}`);
    const shown = (await duplicate.textContent()) ?? "";
    expect(shown).toContain(`来电 ${earlierId.slice(0, 8)}`);
    expect(shown).toContain("魅力之城小区");
    expect(shown).toMatch(/相似度 \d+%/);
    expect(shown).toContain("同一地点（魅力之城小区）");
    expect(shown).not.toContain("13812345678");
    await screenshot(page, "console-duplicates");

    await page.getByTestId("merge-0").click();
    expect(await page.getByTestId("merge-0").getAttribute("aria-pressed")).toBe("true");
    await page.getByTestId("fb-category").fill("城乡建设 / 市容环卫 / 占道经营");
    await page.getByTestId("fb-save").click();
    await expect.poll(() => page.getByTestId("fb-status").textContent()).toContain("已记录并单 1 件");

    const stored = await server.deps.suggestions.get(suggestion.id);
    expect((stored?.feedback as { mergedWith?: string[] } | null)?.mergedWith).toEqual([
      `suggestion:${earlierId}`,
    ]);
    await page.context().close();
  });

  test("a request with nothing open like it shows no 并单 card", async () => {
    const page = await openAs(browser, server, server.keys.agent, "/console");
    const answered = page.waitForResponse(
      (response) => response.url().endsWith("/v1/suggest") && response.status() === 200,
    );
    await page.getByTestId("request-text").fill("公司三个月没发工资，老板现在电话也不接，我想投诉");
    await answered;
    await page.getByTestId("summary").waitFor();
    // The card is part of the page, and stays hidden while nothing open is like this request.
    expect(await page.getByTestId("duplicates-card").count()).toBe(1);
    expect(await page.getByTestId("duplicates-card").isHidden()).toBe(true);
    await page.context().close();
  });
});
