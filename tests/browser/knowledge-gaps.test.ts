import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { UNCALIBRATED } from "#domain/retrieval/confidence";
import { fixtureBundle } from "../fixtures/knowledge-bundle";
import { type ConsoleServer, launchBrowser, openAs, screenshot, startConsoleServer } from "./harness";

/** Confident only when the best script is nearly the question itself. */
const STRICT = {
  ...UNCALIBRATED,
  answerable: { bias: -19, weights: { vector: 20, margin: 0, coverage: 0, known: 0, calm: 0 } },
  threshold: 0.5,
};
const QUESTIONS = ["火星移民签证怎么办理", "火星移民签证怎么办理呢", "请问火星移民签证怎么办理"];

describe("knowledge gaps (缺口) in the editor, in Chromium", () => {
  let server: ConsoleServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startConsoleServer({ bundle: { ...fixtureBundle(), retrievalConfidence: STRICT } });
    browser = await launchBrowser();
    // Agents ask what no script answers (the real model embeds the questions).
    for (const query of QUESTIONS) {
      const response = await fetch(`${server.url}/v1/knowledge/search`, {
        method: "POST",
        headers: { authorization: `Bearer ${server.keys.agent}`, "content-type": "application/json" },
        body: JSON.stringify({ query }),
      });
      expect(response.status, await response.clone().text()).toBe(200);
      expect(((await response.json()) as { confident: boolean }).confident).toBe(false);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test("lists the gap with its count and questions; one click opens a new script prefilled with them", async () => {
    const editor = await openAs(browser, server, server.keys.editor, "/editor");
    await editor.getByTestId("tab-gaps").click();
    const gap = editor.getByTestId("gap-0");
    await gap.waitFor();
    expect(await editor.getByTestId("gap-count-0").textContent()).toBe("3 次");
    const shown = (await gap.textContent()) ?? "";
    for (const question of QUESTIONS) expect(shown).toContain(question);
    await screenshot(editor, "editor-gaps");

    await editor.getByTestId("gap-new-0").click();
    const question = await editor.getByTestId("f-question").inputValue();
    const variants = [
      await editor.getByTestId("variant-0").inputValue(),
      await editor.getByTestId("variant-1").inputValue(),
    ];
    expect([question, ...variants].sort()).toEqual([...QUESTIONS].sort());
    expect(await editor.getByTestId("variant-2").inputValue()).toBe("");

    // Saved as a draft through the ordinary draft API, with the gap's questions as its wordings.
    await editor.getByTestId("f-id").fill("mars-visa");
    await editor.getByTestId("f-title").fill("火星移民签证");
    await editor.getByTestId("variant-2").fill("去火星要办什么签证");
    await editor.getByTestId("f-answer").fill("您好，目前没有火星移民签证业务，请留意官方公告。");
    await editor.getByTestId("f-department-add").selectOption("rsj");
    await editor.getByTestId("f-category").fill("劳动和社会保障 / 工资福利 / 拖欠工资");
    await editor.getByTestId("f-owner").fill("测试知识专员");
    await editor.getByTestId("save-draft").click();
    await expect.poll(async () => (await editor.getByTestId("message").textContent()) ?? "").toContain("v1");
    const response = await fetch(`${server.url}/v1/knowledge/scripts/mars-visa`, {
      headers: { authorization: `Bearer ${server.keys.editor}` },
    });
    const view = (await response.json()) as {
      latest: { state: string; question: string; variants: string[] };
    };
    expect(view.latest.state).toBe("draft");
    expect([view.latest.question, ...view.latest.variants]).toEqual(
      expect.arrayContaining([...QUESTIONS, "去火星要办什么签证"]),
    );
    await editor.context().close();
  });

  test("reviewers see the list without the new-script button", async () => {
    const reviewer = await openAs(browser, server, server.keys.reviewer, "/editor");
    await reviewer.getByTestId("tab-gaps").click();
    await reviewer.getByTestId("gap-0").waitFor();
    expect(await reviewer.getByTestId("gap-new-0").count()).toBe(0);
    await reviewer.context().close();
  });
});
