import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FixedClock } from "../helpers/fakes";
import { type ConsoleServer, launchBrowser, openAs, screenshot, startConsoleServer } from "./harness";

/** Types like an agent and returns the suggestion the page ends up showing. */
async function typeRequest(page: Page, text: string) {
  const answered = page.waitForResponse(
    (response) => response.url().endsWith("/v1/suggest") && response.status() === 200,
  );
  await page.getByTestId("request-text").fill(text);
  const response = await answered;
  return (await response.json()) as { deadlines: { rule: string; basis: string }; crisis: unknown };
}

async function declare(server: ConsoleServer, body: object) {
  const response = await fetch(`${server.url}/v1/admin/crisis`, {
    method: "PUT",
    headers: { authorization: `Bearer ${server.keys.admin}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

describe("agent console: crisis and calendar banners in Chromium", () => {
  let server: ConsoleServer;
  let browser: Browser;

  beforeAll(async () => {
    // 29 Dec 2026: the holiday data (through 2026-12-31) ends within 45 days, and a 2135
    // complaint's 5 working days reach into 2027, for which no notice is entered.
    server = await startConsoleServer({ clock: new FixedClock(new Date("2026-12-29T10:00:00+08:00")) });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test("the calendar banner and the deadline's warning say 2027 is not entered", async () => {
    const page = await openAs(browser, server, server.keys.agent, "/console");
    const banner = page.getByTestId("calendar-banner");
    await expect.poll(() => banner.isVisible()).toBe(true);
    expect(await banner.textContent()).toContain("2027 年的放假与调休通知尚未录入");

    await page.getByTestId("caller-business").check();
    await typeRequest(page, "我司投诉供电公司多次无故停电影响生产");
    await expect
      .poll(() => page.getByTestId("calendar-warning").first().textContent())
      .toContain("2027年节假日与调休安排尚未录入");
    expect(await page.getByTestId("deadline-basis").textContent()).toMatch(
      /依据：市场主体·.+个工作日（2135）/,
    );
    await screenshot(page, "console-calendar");
    await page.context().close();
  });

  test("a declared crisis shows as a banner, related requests get the crisis limits, ending it clears the banner", async () => {
    await declare(server, {
      active: true,
      name: "台风「海燕」",
      keywords: ["台风"],
      reason: "市三防指挥部启动防风Ⅳ级应急响应",
    });
    const page = await openAs(browser, server, server.keys.agent, "/console");
    const banner = page.getByTestId("crisis-banner");
    await expect.poll(() => banner.isVisible()).toBe(true);
    expect(await banner.textContent()).toContain("应急状态：台风「海燕」");

    // A complaint: its normal limit (working days) is later than the crisis's natural days.
    const related = await typeRequest(
      page,
      "台风过后我家门口倒了一棵大树压住了车，报了几次都没人来处理，我要投诉",
    );
    expect(related.deadlines.rule).toBe("crisis");
    await expect.poll(() => page.getByTestId("crisis-relation").textContent()).toContain("关键词「台风」");
    await expect.poll(() => page.getByTestId("deadlines").textContent()).toContain("应急时限");
    expect(await page.getByTestId("deadline-basis").textContent()).toContain("应急「台风海燕」相关");
    await screenshot(page, "console-crisis");

    await declare(server, { active: false, reason: "应急响应解除" });
    const after = await typeRequest(page, "请问社保卡丢了怎么补办");
    expect(after.crisis).toBeNull();
    await expect.poll(() => banner.isVisible()).toBe(false);
    await page.context().close();
  });
});
