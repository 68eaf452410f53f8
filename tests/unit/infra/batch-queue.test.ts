import { describe, expect, it } from "vitest";
import { createBatchQueue } from "#infra/db/batch-queue";

const NEVER_MS = 3_600_000;

describe("batch queue (writes off the request path)", () => {
  it("writes waiting rows in batches of maxBatch, oldest first, on flush", async () => {
    const written: number[][] = [];
    const queue = createBatchQueue<number>({
      flushIntervalMs: NEVER_MS,
      maxBatch: 2,
      write: async (batch) => {
        written.push([...batch]);
      },
    });
    for (const row of [1, 2, 3, 4, 5]) await queue.push(row);
    expect(written).toEqual([]);
    expect(queue.waiting()).toEqual([1, 2, 3, 4, 5]);
    await queue.flush();
    expect(written).toEqual([[1, 2], [3, 4], [5]]);
    expect(queue.waiting()).toEqual([]);
  });

  it("keeps a refused batch queued and writes it on the next flush", async () => {
    let refuse = true;
    const written: string[] = [];
    const queue = createBatchQueue<string>({
      flushIntervalMs: NEVER_MS,
      write: async (batch) => {
        if (refuse) throw new Error("database down");
        written.push(...batch);
      },
    });
    await queue.push("a");
    await expect(queue.flush()).rejects.toThrow("database down");
    expect(queue.waiting()).toEqual(["a"]);
    refuse = false;
    await queue.flush();
    expect(written).toEqual(["a"]);
  });

  it("makes push wait for a write once maxPending rows wait (back-pressure, nothing dropped)", async () => {
    const written: number[] = [];
    const queue = createBatchQueue<number>({
      flushIntervalMs: NEVER_MS,
      maxPending: 3,
      write: async (batch) => {
        written.push(...batch);
      },
    });
    await queue.push(1);
    await queue.push(2);
    expect(written).toEqual([]);
    await queue.push(3);
    expect(written).toEqual([1, 2, 3]);
  });

  it("flushes on its timer, reports a failed timed write and retries it", async () => {
    const errors: number[] = [];
    let attempts = 0;
    const written: number[] = [];
    const queue = createBatchQueue<number>({
      flushIntervalMs: 5,
      write: async (batch) => {
        attempts += 1;
        if (attempts === 1) throw new Error("busy");
        written.push(...batch);
      },
      onError: (_error, pending) => errors.push(pending),
    });
    await queue.push(7);
    await expect.poll(() => written, { timeout: 2_000 }).toEqual([7]);
    expect(errors).toEqual([1]);
  });

  it("writes what waits on close, and writes at once after it", async () => {
    const written: number[][] = [];
    const queue = createBatchQueue<number>({
      flushIntervalMs: NEVER_MS,
      write: async (batch) => {
        written.push([...batch]);
      },
    });
    await queue.push(1);
    await queue.close();
    expect(written).toEqual([[1]]);
    await queue.push(2);
    expect(written).toEqual([[1], [2]]);
  });
});
