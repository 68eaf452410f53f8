import { randomUUID } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { recordRequestSignal, updateHotTopics } from "#services/analytics";
import { ingestWorkOrderEvents } from "#services/work-orders";
import {
  type ConsoleServer,
  collectErrors,
  launchBrowser,
  openAs,
  screenshot,
  startConsoleServer,
} from "./harness";

const NOW = new Date("2026-11-30T18:00:00+08:00");
const at = (time: string) => `2026-11-30T${time}:00+08:00`;

const FUMES = [
  "江城区魅力之城小区临街的烧烤店油烟直排，熏得窗户都不敢开",
  "魅力之城小区楼下烧烤店油烟很大，晚上还很吵",
  "魅力之城小区临街烧烤店油烟直排进楼道，老人孩子受不了",
  "魅力之城小区的烧烤店油烟扰民，希望管一管",
];

describe("the printable daily report and 专报 draft (#18) in Chromium", () => {
  let server: ConsoleServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startConsoleServer({ clock: { now: () => NOW } });
    browser = await launchBrowser();
    const { deps } = server;
    const [d1, d2] = [...deps.suggest.departmentNames.keys()];
    const path = [...(deps.suggest.categoryPaths[0] ?? [])];
    for (const [index, text] of FUMES.entries()) {
      const [embedding] = await deps.embedder.embed([text]);
      await recordRequestSignal({
        deps,
        input: {
          source: "suggestion",
          sourceId: `fumes-${index}`,
          at: new Date(NOW.getTime() - (index + 1) * 3_600_000),
          text,
          embedding: embedding as Float32Array,
          district: "江城区",
        },
      });
    }
    await updateHotTopics({ deps });
    const suggestionId = randomUUID();
    await deps.suggestions.insert({
      id: suggestionId,
      createdAt: new Date(at("08:00")),
      text: "测试",
      request: {},
      result: {
        category: [{ path, band: "high", confidence: 0.9 }],
        type: [{ label: "投诉", band: "high", confidence: 0.9 }],
        departments: [{ code: d1, band: "high", confidence: 0.9, role: "lead", reasons: [] }],
        urgent: { flag: true, confidence: 0.9 },
        marketEntity: { flag: true, confidence: 0.9 },
        deadlines: { rule: "2135", completeBy: at("12:00"), respondBy: at("11:00") },
      },
      modelVersion: "test",
      actor: "agent-b",
      actorKeyId: null,
    });
    const report = await ingestWorkOrderEvents({
      deps,
      actor: { name: "test-platform" },
      input: {
        events: [
          {
            eventId: "O1-c",
            orderId: "O1",
            kind: "created",
            receivedAt: at("09:00"),
            channel: "phone",
            text: "公司门口燃气管道漏气，电话13900001111",
            callerType: "business",
            district: "阳东区",
            suggestionId,
          },
          {
            eventId: "O1-d",
            orderId: "O1",
            kind: "dispatched",
            at: at("09:10"),
            departments: [{ code: d1, role: "主办" }],
          },
          {
            eventId: "O1-x",
            orderId: "O1",
            kind: "reassigned",
            at: at("10:00"),
            from: d1,
            to: d2,
            reason: "属地",
          },
          {
            eventId: "O2-c",
            orderId: "O2",
            kind: "created",
            receivedAt: at("11:00"),
            channel: "wechat",
            text: "路灯不亮",
            callerType: "person",
          },
        ],
      },
    });
    expect(report.rejected, JSON.stringify(report.results)).toBe(0);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test("an admin prints the day: charts drawn on the server, the lists, the boards, and a topic's 专报 draft", async () => {
    const page = await openAs(browser, server, server.keys.admin, "/reports/daily?date=2026-11-30");
    const errors = collectErrors(page);
    await page.reload();
    await expect.poll(() => page.locator("h1").first().textContent()).toContain("2026年11月30日");
    expect(await page.getByTestId("report-volume").textContent()).toContain("受理工单 2 件");
    // One bar per channel, drawn as SVG by the server.
    expect(await page.getByTestId("chart-channel").locator("svg rect").count()).toBe(2);
    expect(await page.getByTestId("report-overdue").locator("tbody tr").count()).toBe(1);
    const overdue = await page.getByTestId("report-overdue").textContent();
    expect(overdue).toContain("O1");
    expect(overdue).not.toContain("13900001111");
    expect(await page.getByTestId("report-urgent").textContent()).toContain("工单 O1");
    expect(await page.getByTestId("report-disputes").locator("tbody tr").count()).toBe(2);
    expect(await page.getByTestId("department-board").locator("tbody tr").count()).toBeGreaterThan(0);
    expect(await page.getByTestId("agent-board").textContent()).toContain("agent-b");
    // Printing hides the navigation and the date form.
    await page.emulateMedia({ media: "print" });
    expect(await page.locator(".topbar").isVisible()).toBe(false);
    expect(await page.locator("form.report-date").isVisible()).toBe(false);
    await page.emulateMedia({ media: "screen" });
    await screenshot(page, "report");

    const topics = page.getByTestId("report-topics").locator("a");
    expect(await topics.count()).toBeGreaterThan(0);
    expect(await topics.first().textContent()).toContain("魅力之城小区");
    await topics.first().click();
    await page.getByTestId("topic-report").waitFor();
    expect(await page.getByTestId("topic-chart").locator("svg rect").count()).toBe(1);
    const draft = await page.getByTestId("topic-draft").textContent();
    expect(draft).toContain("专报（草稿）");
    expect(draft).toContain("【待填写：");
    await screenshot(page, "report-topic");
    expect(errors).toEqual([]);
  });

  test("an evaluator sees the report from the navigation but not the agent board; an agent may not open it", async () => {
    const page = await openAs(browser, server, server.keys.evaluator, "/eval");
    await page.getByRole("link", { name: "日报" }).click();
    await page.getByTestId("daily-report").waitFor();
    expect(await page.getByTestId("department-board").count()).toBe(1);
    expect(await page.getByTestId("agent-board").count()).toBe(0);

    const agent = await openAs(browser, server, server.keys.agent, "/console");
    const response = await agent.goto(`${server.url}/reports/daily`);
    expect(response?.status()).toBe(403);
  });
});
