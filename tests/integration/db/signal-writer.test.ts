import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AnalyticsRepository } from "#domain/analytics/repository";
import { createAnalyticsRepository } from "#infra/db/analytics-repository";
import type { DatabaseHandle } from "#infra/db/client";
import { createSignalWriter } from "#infra/db/signal-writer";
import { DATABASE_KINDS, openTestDatabase } from "../../helpers/databases";

/** Long enough that no timer flush happens while a test looks. */
const NEVER_MS = 60_000;
const DIMENSIONS = 512;
const SINCE = new Date("2026-11-01T00:00:00Z");

/** A unit vector mostly along `axis`, tilted towards axis 1 by `tilt`. */
function direction(axis: number, tilt = 0): Float32Array {
  const vector = new Float32Array(DIMENSIONS);
  vector[axis] = Math.cos(tilt);
  vector[1] = (vector[1] ?? 0) + Math.sin(tilt);
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}

function signal(
  index: number,
  embedding: Float32Array,
  changes: Partial<Parameters<AnalyticsRepository["saveSignal"]>[0]> = {},
): Parameters<AnalyticsRepository["saveSignal"]>[0] {
  return {
    id: `suggestion:${index}`,
    source: "suggestion",
    sourceId: String(index),
    at: new Date("2026-11-30T02:00:00Z"),
    summary: `魅力之城小区烧烤店油烟扰民${index}`,
    places: ["魅力之城小区"],
    districts: ["江城区"],
    terms: ["油烟"],
    category: [],
    department: null,
    likes: 0,
    embedding,
    closedAt: null,
    ...changes,
  };
}

describe.each(DATABASE_KINDS)("request signals stored off the request path on %s", (kind) => {
  let database: DatabaseHandle & { drop(): Promise<void> };
  let direct: AnalyticsRepository;

  beforeEach(async () => {
    database = await openTestDatabase(kind);
    direct = createAnalyticsRepository(database.db);
  });
  afterEach(async () => {
    await database.drop();
  });

  it("queues saves and writes every waiting one on close (shutdown)", async () => {
    const writer = createSignalWriter(database.db, direct, { flushIntervalMs: NEVER_MS, maxBatch: 2 });
    for (let index = 1; index <= 5; index += 1) await writer.saveSignal(signal(index, direction(0)));
    expect(writer.pending()).toBe(5);
    expect(await direct.nearestOpen(direction(0), SINCE, 10)).toEqual([]);

    await writer.close();
    expect(writer.pending()).toBe(0);
    const stored = await direct.nearestOpen(direction(0), SINCE, 10);
    expect(stored.map((row) => row.id).sort()).toEqual([1, 2, 3, 4, 5].map((index) => `suggestion:${index}`));
  });

  it("writes a batch on its timer without being asked", async () => {
    const writer = createSignalWriter(database.db, direct, { flushIntervalMs: 10 });
    await writer.saveSignal(signal(1, direction(0)));
    await expect
      .poll(async () => (await direct.nearestOpen(direction(0), SINCE, 10)).length, { timeout: 5_000 })
      .toBe(1);
    expect(writer.pending()).toBe(0);
    await writer.close();
  });

  it("lets the 并单 lookup see waiting signals in their place by similarity, without writing them", async () => {
    const writer = createSignalWriter(database.db, direct, { flushIntervalMs: NEVER_MS });
    await direct.saveSignal(signal(1, direction(0, 0.1)));
    await direct.saveSignal(signal(2, direction(0, 0.6)));
    await writer.saveSignal(signal(3, direction(0, 0.3)));
    await writer.saveSignal(signal(4, direction(0), { closedAt: new Date("2026-11-30T03:00:00Z") }));
    await writer.saveSignal(signal(5, direction(0), { at: new Date("2026-10-01T00:00:00Z") }));

    const near = await writer.nearestOpen(direction(0), SINCE, 10);
    // Closed (4) and too old (5) waiting signals are left out, as the database leaves them out.
    expect(near.map((row) => row.id)).toEqual(["suggestion:1", "suggestion:3", "suggestion:2"]);
    expect(near[1]?.summary).toBe("魅力之城小区烧烤店油烟扰民3");
    // Stored and waiting alike carry their similarity (the database's for stored rows), not vectors.
    const similarities = near.map((row) => row.similarity);
    expect(similarities).toEqual([...similarities].sort((x, y) => y - x));
    expect(similarities[0]).toBeCloseTo(Math.cos(0.1), 4);
    expect(near.some((row) => "embedding" in row)).toBe(false);
    expect((await writer.nearestOpen(direction(0), SINCE, 2)).map((row) => row.id)).toEqual([
      "suggestion:1",
      "suggestion:3",
    ]);
    expect((await writer.nearestOpen(direction(0), SINCE, 10, "suggestion:3")).map((row) => row.id)).toEqual([
      "suggestion:1",
      "suggestion:2",
    ]);
    expect(writer.pending()).toBe(3);
    await writer.close();
  });

  it("writes the waiting signals before any other read, so hot topics and retention see them", async () => {
    const writer = createSignalWriter(database.db, direct, { flushIntervalMs: NEVER_MS });
    await writer.saveSignal(signal(1, direction(0)));
    await writer.saveSignal(signal(2, direction(2)));
    expect((await writer.unclustered(10)).map((row) => row.id)).toEqual(["suggestion:1", "suggestion:2"]);
    expect(writer.pending()).toBe(0);

    await writer.saveSignal(signal(3, direction(0)));
    expect(await writer.forgetSummariesBefore(new Date("2026-12-01T00:00:00Z"))).toBe(3);
    await writer.close();
  });

  it("stores a signal saved twice while waiting once, with the later values", async () => {
    const writer = createSignalWriter(database.db, direct, { flushIntervalMs: NEVER_MS });
    await writer.saveSignal(signal(1, direction(0)));
    await writer.saveSignal(signal(1, direction(0), { department: "cgj", likes: 2 }));
    await writer.flush();
    const stored = await direct.nearestOpen(direction(0), SINCE, 10);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ id: "suggestion:1", department: "cgj", likes: 2 });
    await writer.close();
  });

  it("keeps the rows of a refused write queued instead of dropping them", async () => {
    const writer = createSignalWriter(database.db, direct, { flushIntervalMs: NEVER_MS });
    await writer.saveSignal(signal(1, direction(0)));
    // A vector of the wrong dimensions: the database refuses the whole batch.
    await writer.saveSignal(signal(2, new Float32Array([1, 0, 0])));
    await expect(writer.flush()).rejects.toThrow();
    expect(writer.pending()).toBe(2);
    expect(await direct.nearestOpen(direction(0), SINCE, 10)).toEqual([]);
  });
});
