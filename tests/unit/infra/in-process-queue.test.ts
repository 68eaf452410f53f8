import { describe, expect, it } from "vitest";
import type { JobView } from "#domain/jobs";
import { createInProcessQueue, nextCronTime } from "#infra/jobs/in-process-queue";

async function until(queue: ReturnType<typeof createInProcessQueue>, id: string, states: string[]) {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const job = await queue.get(id);
    if (job && states.includes(job.state)) return job;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`job ${id} never reached ${states.join("/")}: ${JSON.stringify(await queue.get(id))}`);
}

describe("in-process job queue (embedded database)", () => {
  it("runs a job with its progress and result", async () => {
    const queue = createInProcessQueue();
    await queue.work("retention", async (job) => {
      await job.progress("deleting", 3, 4);
      return { forgotten: 3 };
    });
    const id = (await queue.enqueue("retention", { days: 180 })) as string;
    const job = await until(queue, id, ["completed"]);
    expect(job).toMatchObject({ state: "completed", data: { days: 180 }, output: { forgotten: 3 } });
    expect(job.progress).toMatchObject({ stage: "deleting", done: 3, total: 4 });
    await queue.stop(0);
  });

  it("retries a failing job with growing delays, then fails it", async () => {
    const queue = createInProcessQueue({ retryDelayMs: 20 });
    const attempts: number[] = [];
    await queue.work("reembed", async () => {
      attempts.push(Date.now());
      throw new Error("model not loaded");
    });
    const id = (await queue.enqueue("reembed", {})) as string;
    const job: JobView = await until(queue, id, ["failed"]);
    expect(job.retryCount).toBe(3);
    expect(job.output).toEqual({ message: "model not loaded" });
    expect(attempts).toHaveLength(4);
    const gaps = attempts.slice(1).map((at, index) => at - (attempts[index] as number));
    // Each retry waits at least its delay (20, 40, 80 ms). Only lower bounds: a loaded machine
    // makes any gap longer, so comparing gaps with each other was flaky (a slow first gap).
    [20, 40, 80].forEach((delay, index) => {
      expect(gaps[index]).toBeGreaterThanOrEqual(delay - 2);
    });
    await queue.stop(0);
  });

  it("keeps one waiting job per singleton key, and runs one job of a name at a time", async () => {
    const queue = createInProcessQueue();
    let running = 0;
    let most = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    await queue.work("train", async () => {
      running += 1;
      most = Math.max(most, running);
      await gate;
      running -= 1;
      return null;
    });
    const first = await queue.enqueue("train", {}, { singletonKey: "train" });
    await until(queue, first as string, ["active"]);
    const second = await queue.enqueue("train", {}, { singletonKey: "train" });
    const third = await queue.enqueue("train", {}, { singletonKey: "train" });
    expect(second).not.toBeNull();
    expect(third).toBeNull(); // the second is still waiting
    const unkeyed = await queue.enqueue("train", {}); // another key (none) waits on its own
    expect(unkeyed).not.toBeNull();
    release();
    await until(queue, unkeyed as string, ["completed"]);
    expect(most).toBe(1);
    expect((await queue.list({ limit: 10, name: "train" })).map((job) => job.id)).toEqual([
      unkeyed,
      second,
      first,
    ]);
    await queue.stop(0);
  });
});

describe("nextCronTime", () => {
  it.each([
    ["0 * * * *", "2026-12-02T10:15:00", "2026-12-02T11:00:00"],
    ["0 3 * * 0", "2026-12-02T10:15:00", "2026-12-06T03:00:00"], // Wednesday → Sunday
    ["*/15 * * * *", "2026-12-02T10:15:00", "2026-12-02T10:30:00"],
    ["30 8-9 1 * *", "2026-12-02T10:15:00", "2027-01-01T08:30:00"],
  ])("%s after %s is %s", (cron, after, expected) => {
    expect(nextCronTime(cron, new Date(after)).getTime()).toBe(new Date(expected).getTime());
  });
});
