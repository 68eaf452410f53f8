import { describe, expect, it } from "vitest";
import { createProcessLocks } from "#infra/db/client";

describe("process locks (named mutual exclusion in one process)", () => {
  it("runs work under the same name one at a time, in call order", async () => {
    const withLock = createProcessLocks();
    const events: string[] = [];
    const job = (label: string, ms: number) =>
      withLock("hot-topics", async () => {
        events.push(`${label} start`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        events.push(`${label} end`);
        return label;
      });
    await expect(Promise.all([job("a", 20), job("b", 1)])).resolves.toEqual(["a", "b"]);
    expect(events).toEqual(["a start", "a end", "b start", "b end"]);
  });

  it("lets the next holder in after a failure, and other names run meanwhile", async () => {
    const withLock = createProcessLocks();
    const failed = withLock("x", async () => {
      throw new Error("boom");
    });
    const next = withLock("x", async () => "ran");
    let other = false;
    await withLock("y", async () => {
      other = true;
    });
    await expect(failed).rejects.toThrow("boom");
    await expect(next).resolves.toBe("ran");
    expect(other).toBe(true);
  });
});
