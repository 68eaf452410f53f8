import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "#config/env";

describe("loadConfig", () => {
  it("defaults to the embedded database on port 3000", () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.EMBEDDING_DIM).toBe(512);
    expect(config.KNOWLEDGE_SYNC_ON_START).toBe(true);
  });

  it("coerces numbers and booleans from strings", () => {
    const config = loadConfig({ PORT: "8080", KNOWLEDGE_SYNC_ON_START: "false", EMBEDDING_WORKERS: "1" });
    expect(config.PORT).toBe(8080);
    expect(config.KNOWLEDGE_SYNC_ON_START).toBe(false);
    expect(config.EMBEDDING_WORKERS).toBe(1);
  });

  it("refuses a second embedding worker, which aborts the process in onnxruntime-node 1.21", () => {
    expect(() => loadConfig({ EMBEDDING_WORKERS: "2" })).toThrow(/EMBEDDING_WORKERS: .*onnxruntime#24486/);
  });

  it("fails fast listing every invalid variable", () => {
    let error: unknown;
    try {
      loadConfig({ PORT: "eighty", DATABASE_URL: "not a url", LOG_LEVEL: "loud" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain("PORT");
    expect(message).toContain("DATABASE_URL");
    expect(message).toContain("LOG_LEVEL");
  });

  it("refuses the removed CRISIS_MODE instead of ignoring it", () => {
    expect(() => loadConfig({ CRISIS_MODE: "true" })).toThrow(
      /CRISIS_MODE: removed; .*PUT \/v1\/admin\/crisis/,
    );
  });
});
