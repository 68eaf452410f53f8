import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FIXTURE_RUN_IDS, writeFixtureRuns } from "../helpers/eval-runs";
import {
  type ConsoleServer,
  collectErrors,
  launchBrowser,
  openAs,
  screenshot,
  startConsoleServer,
} from "./harness";

const { older: OLDER, newer: NEWER } = FIXTURE_RUN_IDS;

/** The one browser global the test calls in the page. */
interface BrowserWindow {
  getComputedStyle(element: unknown): { color: string };
}

const deltaCell = (page: Page, task: string, metric: string) =>
  page
    .locator(`[data-testid="comparison"] tbody[data-task="${task}"] tr`, { hasText: metric })
    .getByTestId("delta");

describe("evaluation page (/eval) in Chromium", () => {
  let server: ConsoleServer;
  let browser: Browser;
  let reports: string;

  beforeAll(async () => {
    reports = mkdtempSync(join(tmpdir(), "eval-page-"));
    server = await startConsoleServer({ evalReportsDir: reports });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(reports, { recursive: true, force: true });
  });

  test("with no runs yet, says how to make one", async () => {
    const page = await openAs(browser, server, server.keys.evaluator, "/eval");
    const errors = collectErrors(page);
    await expect
      .poll(() => page.getByTestId("eval-empty").textContent())
      .toBe("尚无评估运行，运行 npm run eval:ci 生成");
    expect(await page.getByTestId("compare-form").isVisible()).toBe(false);
    await screenshot(page, "eval-empty");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("lists two runs, opens a report in a new tab and compares the two with coloured Δ", async () => {
    writeFixtureRuns(reports); // the store reads the folder on every request: no restart needed
    const page = await openAs(browser, server, server.keys.evaluator, "/eval");
    const errors = collectErrors(page);

    const rows = page.getByTestId("eval-run");
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(0).getAttribute("data-run")).toBe(NEWER);
    const newest = (await rows.nth(0).textContent()) ?? "";
    expect(newest).toContain("派单部门macro-F10.8500");
    expect(newest).toContain("知识检索recall@380.0%");

    // The report opens in a new tab, with the harness's heading and charts (its CSP lets the SVG draw).
    const [report] = await Promise.all([
      page.context().waitForEvent("page"),
      rows.nth(1).getByTestId("open-report").click(),
    ]);
    await report.waitForLoadState();
    expect(report.url()).toBe(`${server.url}/eval/runs/${OLDER}/report`);
    expect(await report.locator("h1").textContent()).toBe("评估报告 ci");
    expect(await report.locator("svg.chart").count()).toBeGreaterThanOrEqual(4);
    expect(
      (await report.locator('svg.chart[data-chart="confusion"]').first().boundingBox())?.width,
    ).toBeGreaterThan(50);
    await report.close();

    // Pick the pair with the keyboard: A = older, B = newer, then compare.
    await page.getByTestId("compare-a").focus();
    await page.getByTestId("compare-a").selectOption(OLDER);
    await page.getByTestId("compare-b").selectOption(NEWER);
    await page.getByTestId("compare-submit").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => deltaCell(page, "department", "macro-F1").textContent()).toContain("+0.0500");
    const macroF1 = deltaCell(page, "department", "macro-F1");
    expect(await macroF1.getAttribute("data-change")).toBe("better");
    expect(await macroF1.textContent()).toContain("更好");
    // ECE went up: worse, though the number grew.
    expect(await deltaCell(page, "department", "ECE").getAttribute("data-change")).toBe("worse");
    expect(await deltaCell(page, "department", "代价加权错误").getAttribute("data-change")).toBe("better");
    expect(await deltaCell(page, "retrieval", "recall@3").textContent()).toContain("-10.0 个百分点");
    expect(await deltaCell(page, "category", "macro-F1").getAttribute("data-change")).toBe("same");
    expect(await page.getByTestId("comparison").textContent()).toContain("仅 B 有：紧急");
    // Better and worse look different (not only by the word next to the number).
    const colour = (task: string, metric: string) =>
      deltaCell(page, task, metric).evaluate(
        // Runs in the page; the test's own types have no DOM.
        (cell) => (globalThis as unknown as BrowserWindow).getComputedStyle(cell).color,
      );
    expect(await colour("department", "macro-F1")).not.toBe(await colour("department", "ECE"));
    expect(new URL(page.url()).searchParams.get("b")).toBe(NEWER);
    await screenshot(page, "eval");

    // Swapping A and B (keyboard) flips every Δ.
    await page.locator("#swap-runs").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => deltaCell(page, "department", "macro-F1").textContent()).toContain("-0.0500");
    expect(await deltaCell(page, "department", "macro-F1").getAttribute("data-change")).toBe("worse");

    expect(errors).toEqual([]);
    await page.context().close();
  });
});
