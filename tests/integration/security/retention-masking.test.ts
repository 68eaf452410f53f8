import { describe, expect, it } from "vitest";
import { scriptContent } from "#domain/knowledge/passages";
import type { ScriptContent } from "#domain/knowledge/repository";
import { dispatchEvents } from "#infra/db/schema/index";
import { importCases } from "#services/import-cases";
import { applyRetention } from "#services/retention";
import { DATABASE_KINDS } from "../../helpers/databases";
import { FixedClock } from "../../helpers/fakes";
import { useFixtureApp } from "../../helpers/fixture-app";

const DAY = 86_400_000;

describe.each(DATABASE_KINDS)("retention and masking of every copy on %s (review #1, #2)", (kind) => {
  const clock = new FixedClock(new Date("2026-03-02T09:00:00+08:00"));
  const fixture = useFixtureApp(kind, { clock });

  it("review #1: after the retention period no copy of the citizen's words is left; seed cases stay", async () => {
    const start = new Date("2026-03-02T09:00:00+08:00");
    clock.set(start);
    await importCases({
      deps: fixture.deps,
      input: { rows: [{ id: "seed-1", text: "楼下烧烤店油烟扰民", department: "cgj" }], source: "seed" },
      actor: { name: "test" },
    });
    const first = await fixture.call("POST", "/v1/suggest", fixture.keys.agent, {
      text: "市民王秀英反映楼下烧烤店油烟扰民，晚上很吵",
    });
    expect(first.status, first.text).toBe(200);
    const id = (first.body as { id: string }).id;
    const feedback = await fixture.call("POST", `/v1/suggestions/${id}/feedback`, fixture.keys.agent, {
      agentId: "test-agent",
    });
    expect(feedback.status, feedback.text).toBe(201);
    const second = await fixture.call("POST", "/v1/suggest", fixture.keys.agent, {
      text: "烧烤店油烟很大，晚上吵",
    });
    const secondId = (second.body as { id: string; similarCases: unknown[] }).id;
    expect((second.body as { similarCases: { id: string }[] }).similarCases.map((c) => c.id)).toContain(
      `feedback-${id}`,
    );
    const event = await fixture.call("POST", "/v1/dispatch-events", fixture.keys.agent, {
      suggestionId: id,
      kind: "returned",
      fromDepartment: "cgj",
      reason: "市民说不是城管的事，要求退回",
    });
    expect(event.status, event.text).toBe(201);

    // Not yet: nothing is older than 180 days.
    clock.set(new Date(start.getTime() + 100 * DAY));
    expect(await applyRetention({ deps: fixture.deps, input: { days: 180 } })).toMatchObject({
      suggestions: 0,
      feedbackCases: 0,
      dispatchReasons: 0,
    });
    expect((await fixture.deps.suggestions.get(id))?.text).not.toBeNull();

    clock.set(new Date(start.getTime() + 181 * DAY));
    const counts = await applyRetention({ deps: fixture.deps, input: { days: 180 } });
    expect(counts.suggestions).toBeGreaterThanOrEqual(2);
    expect(counts.feedbackCases).toBe(1);
    expect(counts.dispatchReasons).toBe(1);

    for (const suggestionId of [id, secondId]) {
      const stored = await fixture.deps.suggestions.get(suggestionId);
      if (!stored) throw new Error(`suggestion ${suggestionId} is gone`);
      expect(stored.text).toBeNull();
      const result = stored.result as { similarCases: unknown[]; category: unknown[] };
      expect(result.similarCases).toEqual([]);
      // The labels stay, for statistics.
      expect(result.category.length).toBeGreaterThan(0);
    }
    const cases = await fixture.deps.cases.all();
    expect(cases.map((row) => row.id)).not.toContain(`feedback-${id}`);
    expect(cases.map((row) => row.id)).toContain("seed-1");
    const reasons = await fixture.database.db.select({ reason: dispatchEvents.reason }).from(dispatchEvents);
    expect(JSON.stringify(reasons)).not.toContain("退回");
    const later = await fixture.call("POST", "/v1/suggest", fixture.keys.agent, { text: "烧烤店油烟很大" });
    expect(JSON.stringify((later.body as { similarCases: unknown }).similarCases)).not.toContain("王秀英");
    clock.set(start);
  });

  it("review #2: key names, script change notes, review comments, rollback and retire reasons, hit-test names, dispatch reasons and district are stored and audited masked", async () => {
    const numbers = {
      keyName: "13600001111",
      changeNote: "13811112222",
      comment: "440102199001011234",
      rollback: "13933334444",
      retire: "13955556666",
      hitName: "13700001111",
      hitQuestion: "13700002222",
      district: "13922334455",
      dispatch: "13812345678",
    };
    const { call, keys } = fixture;
    const ok = (response: { status: number; text: string }, status = 200) =>
      expect(response.status, response.text).toBe(status);

    ok(await call("POST", "/v1/keys", keys.admin, { name: `张三${numbers.keyName}`, role: "agent" }), 201);
    const view = (await call("GET", "/v1/knowledge/scripts/shebao-card-lost", keys.editor)).body as {
      latest: Record<string, unknown>;
    };
    const content = scriptContent(view.latest as unknown as ScriptContent);
    ok(
      await call("PUT", "/v1/knowledge/scripts/shebao-card-lost", keys.editor, {
        baseVersion: 1,
        content: { ...content, answer: `${content.answer}（补充）` },
        changeNote: `市民电话${numbers.changeNote}要求补充`,
      }),
    );
    ok(
      await call("POST", "/v1/knowledge/scripts/shebao-card-lost/versions/2/review", keys.reviewer, {
        decision: "reject",
        comment: `口径里不得出现身份证${numbers.comment}`,
      }),
    );
    // Version 1 is live: publish a version 3 so that the rollback to 1 is a real restore.
    ok(
      await call("PUT", "/v1/knowledge/scripts/shebao-card-lost", keys.editor, {
        baseVersion: 2,
        content: { ...content, answer: `${content.answer}（修订）` },
      }),
    );
    ok(
      await call("POST", "/v1/knowledge/scripts/shebao-card-lost/versions/3/review", keys.reviewer, {
        decision: "approve",
      }),
    );
    ok(
      await call("POST", "/v1/knowledge/scripts/shebao-card-lost/rollback", keys.reviewer, {
        toVersion: 1,
        reason: `市民${numbers.rollback}投诉新口径`,
      }),
    );
    ok(
      await call("POST", "/v1/knowledge/scripts/shebao-card-lost/retire", keys.reviewer2, {
        reason: `来电${numbers.retire}要求停用`,
      }),
    );
    const hit = await call("POST", "/v1/knowledge/hit-tests", keys.evaluator, {
      name: `回归${numbers.hitName}`,
      cases: [{ question: `我电话${numbers.hitQuestion}社保卡丢了`, expected: [] }],
    });
    ok(hit, 201);
    const suggestion = await call("POST", "/v1/suggest", keys.agent, {
      text: "物业乱收费",
      district: numbers.district,
    });
    ok(suggestion);
    ok(
      await call("POST", "/v1/dispatch-events", keys.agent, {
        kind: "returned",
        fromDepartment: "zjj",
        reason: `市民张伟（电话${numbers.dispatch}）要求退回`,
      }),
      201,
    );

    const stored = JSON.stringify([
      await fixture.deps.audit.all(),
      (await call("GET", "/v1/keys", keys.admin)).body,
      (await call("GET", "/v1/knowledge/scripts/shebao-card-lost/versions", keys.editor)).body,
      (await call("GET", `/v1/knowledge/hit-tests/${(hit.body as { id: number }).id}`, keys.evaluator)).body,
      await fixture.deps.suggestions.get((suggestion.body as { id: string }).id),
      await fixture.database.db.select().from(dispatchEvents),
    ]);
    for (const [field, number] of Object.entries(numbers)) {
      expect(stored.includes(number), `${field} ${number} is stored unmasked`).toBe(false);
    }
    expect(stored).toContain("[手机号]");
    expect((await call("GET", "/v1/audit/verify", keys.admin)).body).toMatchObject({ ok: true });
  });
});
