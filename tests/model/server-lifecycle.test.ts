import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { copyModelRoot } from "../helpers/model-copy";
import { runTypeScript, type StartedProcess } from "../helpers/processes";

const START_TIMEOUT_MS = 90_000;

function startServer(env: Record<string, string>): StartedProcess {
  return runTypeScript(["src/main.ts"], {
    ...process.env,
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    KNOWLEDGE_SYNC_ON_START: "false",
    TRAIN_ON_START: "false",
    DATA_DIR: mkdtempSync(join(tmpdir(), "lifecycle-")),
    ...env,
  });
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("timed out");
}

describe("server lifecycle", () => {
  it(
    "refuses to start on a corrupt model with a clear message",
    async () => {
      // models/<id> may be a symlink to a shared copy, which the write below must not reach.
      const models = copyModelRoot("models");
      writeFileSync(join(models, "bge-small-zh-v1.5", "onnx", "model_quantized.onnx"), "not a model");
      const server = startServer({ PORT: "3291", MODEL_DIR: models });
      expect(await server.exited).toBe(1);
      expect(server.output()).toMatch(/failed verification: onnx\/model_quantized\.onnx has sha256/);
    },
    START_TIMEOUT_MS,
  );

  it(
    "prints the first admin key once, then drains an in-flight request on SIGTERM and exits 0",
    async () => {
      const server = startServer({ PORT: "3292", LOG_LEVEL: "info" });
      await waitFor(() => /admin key: hk_\S+\n/.test(server.output()), START_TIMEOUT_MS);
      const key = /admin key: (hk_\S+)/.exec(server.output())?.[1] ?? "";
      await waitFor(
        async () => (await fetch("http://127.0.0.1:3292/readyz").catch(() => null))?.ok === true,
        START_TIMEOUT_MS,
      );

      const inFlight = fetch("http://127.0.0.1:3292/v1/suggest", {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({
          text: "公司拖欠工资三个月，老板电话打不通，工友们都很着急，想问下去哪里投诉".repeat(8),
        }),
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      server.child.kill("SIGTERM");
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(await server.exited).toBe(0);
      expect(server.output()).toContain("stopped");
    },
    START_TIMEOUT_MS * 2,
  );
});
