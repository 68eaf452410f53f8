import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SuggestionRepository } from "#domain/cases";
import { createSuggestionRepository } from "#infra/db/case-repository";
import type { DatabaseHandle } from "#infra/db/client";
import { createSuggestionWriter } from "#infra/db/suggestion-writer";
import { DATABASE_KINDS, openTestDatabase } from "../../helpers/databases";

/** Long enough that no timer flush happens while a test looks. */
const NEVER_MS = 60_000;

function record(index: number): Parameters<SuggestionRepository["insert"]>[0] {
  return {
    id: `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
    createdAt: new Date("2026-03-02T01:00:00Z"),
    text: `楼下烧烤店油烟扰民${index}`,
    request: { callerType: "person" },
    result: { id: index },
    modelVersion: "untrained",
    actor: "test",
    actorKeyId: null,
  };
}

describe.each(DATABASE_KINDS)("suggestions stored off the request path on %s", (kind) => {
  let database: DatabaseHandle & { drop(): Promise<void> };
  let direct: SuggestionRepository;

  beforeEach(async () => {
    database = await openTestDatabase(kind);
    direct = createSuggestionRepository(database.db);
  });
  afterEach(async () => {
    await database.drop();
  });

  it("queues inserts and writes every waiting one on close (shutdown)", async () => {
    const writer = createSuggestionWriter(database.db, direct, { flushIntervalMs: NEVER_MS, maxBatch: 2 });
    for (let index = 1; index <= 5; index += 1) await writer.insert(record(index));
    expect(writer.pending()).toBe(5);
    expect(await direct.get(record(1).id)).toBeNull();

    await writer.close();
    expect(writer.pending()).toBe(0);
    for (let index = 1; index <= 5; index += 1) {
      expect((await direct.get(record(index).id))?.text).toBe(`楼下烧烤店油烟扰民${index}`);
    }
  });

  it("writes a batch on its timer without being asked", async () => {
    const writer = createSuggestionWriter(database.db, direct, { flushIntervalMs: 10 });
    await writer.insert(record(1));
    await writer.insert(record(2));
    await expect
      .poll(async () => (await direct.get(record(2).id))?.id ?? null, { timeout: 5_000 })
      .toBe(record(2).id);
    expect(writer.pending()).toBe(0);
    await writer.close();
  });

  it("finds a suggestion that is still waiting, so feedback right after it works", async () => {
    const writer = createSuggestionWriter(database.db, direct, { flushIntervalMs: NEVER_MS });
    await writer.insert(record(7));
    expect((await writer.get(record(7).id))?.id).toBe(record(7).id);
    await writer.insert(record(8));
    await writer.setFeedback(record(8).id, { finalDepartments: ["cgj"] }, new Date());
    expect((await direct.get(record(8).id))?.feedback).toEqual({ finalDepartments: ["cgj"] });
    await writer.close();
  });

  it("keeps the rows of a refused write queued instead of dropping them", async () => {
    let failures = 0;
    const writer = createSuggestionWriter(database.db, direct, {
      flushIntervalMs: NEVER_MS,
      onError: () => {
        failures += 1;
      },
    });
    await writer.insert(record(3));
    // The same id twice in one statement: the database refuses the whole batch.
    await writer.insert(record(3));
    await expect(writer.flush()).rejects.toThrow();
    expect(writer.pending()).toBe(2);
    expect(failures).toBe(0);
  });
});
