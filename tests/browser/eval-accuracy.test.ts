import { randomUUID } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ingestWorkOrderEvents } from "#services/work-orders";
import {
  type ConsoleServer,
  collectErrors,
  launchBrowser,
  openAs,
  screenshot,
  startConsoleServer,
} from "./harness";

const NOW = new Date("2026-03-20T12:00:00+08:00");

describe("accuracy against final values on the evaluation page (#15) in Chromium", () => {
  let server: ConsoleServer;
  let browser: Browser;

  /** A closed order whose stored suggestion put `suggested` first for the lead department. */
  async function closedOrder(orderId: string, receivedAt: string, suggested: string, final: string) {
    const path = server.deps.suggest.categoryPaths[0];
    if (!path) throw new Error("the fixture has a taxonomy");
    const suggestionId = randomUUID();
    await server.deps.suggestions.insert({
      id: suggestionId,
      createdAt: new Date(receivedAt),
      text: "测试",
      request: {},
      result: {
        category: [{ path: [...path], band: "high", confidence: 0.9 }],
        type: [{ label: "咨询", band: "high", confidence: 0.9 }],
        departments: [
          { code: suggested, band: "medium", confidence: 0.6, role: "lead", name: suggested, reasons: [] },
        ],
        urgent: { flag: false, confidence: 0.1 },
        marketEntity: { flag: false, confidence: 0.1 },
      },
      modelVersion: "test",
      actor: "test-agent",
      actorKeyId: null,
    });
    const report = await ingestWorkOrderEvents({
      deps: server.deps,
      actor: { name: "test-platform" },
      input: {
        events: [
          {
            eventId: `${orderId}-c`,
            orderId,
            kind: "created",
            receivedAt,
            channel: "phone",
            text: "小区路灯坏了",
            callerType: "person",
            suggestionId,
          },
          {
            eventId: `${orderId}-x`,
            orderId,
            kind: "closed",
            at: NOW.toISOString(),
            category: [...path],
            type: "咨询",
            urgent: false,
            marketEntity: false,
            departments: [{ code: final, role: "主办" }],
            result: "已修复",
          },
        ],
      },
    });
    expect(report.rejected, JSON.stringify(report)).toBe(0);
  }

  beforeAll(async () => {
    server = await startConsoleServer({ clock: { now: () => NOW } });
    browser = await launchBrowser();
    // Week of 03-02: both lead departments right; week of 03-09: both wrong (rsj → zjj twice).
    await closedOrder("W1-1", "2026-03-02T10:00:00+08:00", "zjj", "zjj");
    await closedOrder("W1-2", "2026-03-03T10:00:00+08:00", "cgj", "cgj");
    await closedOrder("W2-1", "2026-03-09T10:00:00+08:00", "rsj", "zjj");
    await closedOrder("W2-2", "2026-03-10T10:00:00+08:00", "rsj", "zjj");
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test("draws one point per week for each head, the numbers as a table, and the recurring wrong pair", async () => {
    const page = await openAs(browser, server, server.keys.evaluator, "/eval");
    const errors = collectErrors(page);
    await page.locator("#acc-from").fill("2026-03-01");
    await page.locator("#acc-to").fill("2026-03-15");
    await page.getByTestId("accuracy-form").getByRole("button", { name: "查看" }).click();

    const department = page.getByTestId("curve-department");
    await expect.poll(() => department.locator("circle").count()).toBe(2);
    const titles = await department.locator("circle title").allTextContents();
    expect(titles).toEqual([
      "派单部门 · 2026-03-02 起一周：top1 100.0%（2 单）",
      "派单部门 · 2026-03-09 起一周：top1 0.0%（2 单）",
    ]);
    // The first point sits on the 100 % line, the second on the 0 % line.
    const [high, low] = await department
      .locator("circle")
      .evaluateAll((circles) => circles.map((circle) => Number(circle.getAttribute("cy"))));
    expect(high).toBeLessThan(low ?? 0);

    const numbers = page.getByTestId("accuracy-numbers");
    expect(await numbers.locator("tbody tr").count()).toBe(3);
    expect(await numbers.locator("tbody tr").last().textContent()).toContain("50.0% / 50.0%");

    const fails = page.getByTestId("known-fails-table");
    await expect.poll(() => fails.locator("tbody tr").count()).toBe(1);
    const row = await fails.locator("tbody tr").first().textContent();
    expect(row).toContain("派单部门");
    expect(row).toContain("rsj");
    expect(row).toContain("zjj");
    expect(row).toContain("W2-2、W2-1");

    // top-3 redraws the same curves from the other figure.
    await page.getByTestId("accuracy-metric").selectOption("top3");
    await expect
      .poll(() => department.locator("circle title").first().textContent())
      .toContain("top3 100.0%");
    await screenshot(page, "eval-accuracy");
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
