import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          sequence: { groupOrder: 0 },
          include: ["tests/unit/**/*.test.ts"],
          testTimeout: 10_000,
        },
      },
      {
        test: {
          name: "integration",
          sequence: { groupOrder: 1 },
          include: ["tests/integration/**/*.test.ts"],
          globalSetup: ["tests/global-setup.ts"],
          // Each file gets its own PostgreSQL database and PGlite instance; two at a time fit 2 cores.
          maxWorkers: 2,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "model",
          sequence: { groupOrder: 2 },
          include: ["tests/model/**/*.test.ts"],
          // Each file loads the real model; running them one by one keeps timings honest.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "browser",
          sequence: { groupOrder: 3 },
          include: ["tests/browser/**/*.test.ts"],
          globalSetup: ["tests/browser-setup.ts"],
          // One Chromium and one server at a time on 2 cores.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
