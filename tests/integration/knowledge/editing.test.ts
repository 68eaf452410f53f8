import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scriptContent } from "#domain/knowledge/passages";
import type { ScriptContent } from "#domain/knowledge/repository";
import { DATABASE_KINDS, type openTestDatabase } from "../../helpers/databases";
import { FixedClock } from "../../helpers/fakes";
import { openFixtureApp } from "../../helpers/fixture-app";
import type { client, TestKeys } from "../../helpers/keys";

interface View {
  item: { id: string; status: string; publishedVersion: number | null; latestVersion: number };
  published: { version: number; answer: string } | null;
  latest: { version: number; state: string; answer: string; author: string };
  etag: string;
}

describe.each(DATABASE_KINDS)("knowledge editor workflow on %s", (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let keys: TestKeys;
  let call: ReturnType<typeof client>;
  const clock = new FixedClock(new Date("2026-03-02T09:00:00+08:00"));

  beforeAll(async () => {
    ({ database, keys, call } = await openFixtureApp(kind, { clock }));
  });
  afterAll(async () => {
    await database.drop();
  });

  const content = async (id: string) => {
    const view = (await call("GET", `/v1/knowledge/scripts/${id}`, keys.editor)).body as unknown as View;
    const { latest } = view as unknown as { latest: Record<string, unknown> };
    return { view, content: scriptContent(latest as unknown as ScriptContent) };
  };
  const searchTop = async (query: string) => {
    const response = await call("POST", "/v1/knowledge/search", keys.agent, { query, limit: 3 });
    return (response.body.results as { id: string; answer: string }[])[0];
  };

  it("draft → approval by another user → publish → rollback, with the old wording live until approval", async () => {
    const { view, content: current } = await content("shebao-card-lost");
    expect(view.item.latestVersion).toBe(1);
    const newAnswer = "您好，社保卡遗失请先拨打12333或通过粤省事挂失，再携带身份证到任一服务网点补卡。";

    const edited = await call("PUT", "/v1/knowledge/scripts/shebao-card-lost", keys.editor, {
      baseVersion: 1,
      content: { ...current, answer: newAnswer },
      changeNote: "补充挂失渠道",
    });
    expect(edited.status, edited.text).toBe(200);
    const afterEdit = edited.body as unknown as View;
    expect(afterEdit.latest).toMatchObject({ version: 2, state: "pending_review", author: "test-editor" });
    expect(afterEdit.published?.version).toBe(1);
    expect((await searchTop("医保卡丢了"))?.answer).not.toBe(newAnswer);

    // Two-person rule: the author cannot approve, even with a reviewer key of the same name.
    const editorReviews = await call(
      "POST",
      "/v1/knowledge/scripts/shebao-card-lost/versions/2/review",
      keys.editor,
      {
        decision: "approve",
      },
    );
    expect(editorReviews.status).toBe(403);

    const approved = await call(
      "POST",
      "/v1/knowledge/scripts/shebao-card-lost/versions/2/review",
      keys.reviewer,
      {
        decision: "approve",
        comment: "同意",
      },
    );
    expect(approved.status, approved.text).toBe(200);
    expect((approved.body as unknown as View).published?.version).toBe(2);
    expect((await searchTop("医保卡丢了"))?.answer).toBe(newAnswer);

    const diff = await call("GET", "/v1/knowledge/scripts/shebao-card-lost/diff?from=1&to=2", keys.reviewer);
    expect(diff.status).toBe(200);
    expect((diff.body.changes as { field: string }[]).map((change) => change.field)).toEqual(["answer"]);

    const rolledBack = await call("POST", "/v1/knowledge/scripts/shebao-card-lost/rollback", keys.reviewer, {
      toVersion: 1,
      reason: "新口径待核实",
    });
    expect(rolledBack.status, rolledBack.text).toBe(200);
    const afterRollback = rolledBack.body as unknown as View;
    expect(afterRollback.published?.version).toBe(3);
    expect(afterRollback.published?.answer).toBe(current.answer);

    const history = await call("GET", "/v1/knowledge/scripts/shebao-card-lost/versions", keys.editor);
    expect(
      (history.body.versions as { version: number; state: string }[]).map((v) => [v.version, v.state]),
    ).toEqual([
      [1, "superseded"],
      [2, "superseded"],
      [3, "published"],
    ]);
    const audit = await call("GET", "/v1/knowledge/scripts/shebao-card-lost/audit", keys.editor);
    expect((audit.body.entries as { action: string; actor: string }[]).map((entry) => entry.action)).toEqual(
      expect.arrayContaining(["script.edit", "script.approve", "script.publish", "script.rollback"]),
    );
  });

  it("rejects a stale edit with 409 and the current version, losing nothing", async () => {
    const { view, content: current } = await content("labor-wage-arrears");
    const base = view.item.latestVersion;
    const first = await call(
      "PUT",
      "/v1/knowledge/scripts/labor-wage-arrears",
      keys.editor,
      { content: { ...current, answer: "您好，第一位编辑的口径。" } },
      { "if-match": view.etag },
    );
    expect(first.status, first.text).toBe(200);
    const second = await call("PUT", "/v1/knowledge/scripts/labor-wage-arrears", keys.editor2, {
      baseVersion: base,
      content: { ...current, answer: "您好，第二位编辑的口径。" },
    });
    expect(second.status).toBe(409);
    expect(second.body.error?.code).toBe("CONFLICT");
    const details = (
      second.body.error as unknown as { details: { currentVersion: number; current: { answer: string } } }
    ).details;
    expect(details.currentVersion).toBe(base + 1);
    expect(details.current.answer).toBe("您好，第一位编辑的口径。");
    const history = await call("GET", "/v1/knowledge/scripts/labor-wage-arrears/versions", keys.editor);
    expect((history.body.versions as unknown[]).length).toBe(base + 1);
  });

  it("rejects with a comment, and needs one", async () => {
    const { view } = await content("labor-wage-arrears");
    const pending = view.latest.version;
    const noComment = await call(
      "POST",
      `/v1/knowledge/scripts/labor-wage-arrears/versions/${pending}/review`,
      keys.reviewer,
      {
        decision: "reject",
      },
    );
    expect(noComment.status).toBe(422);
    const rejected = await call(
      "POST",
      `/v1/knowledge/scripts/labor-wage-arrears/versions/${pending}/review`,
      keys.reviewer,
      {
        decision: "reject",
        comment: "口径过于简单",
      },
    );
    expect(rejected.status).toBe(200);
    expect((rejected.body as unknown as View).latest.state).toBe("rejected");
    const queue = await call("GET", "/v1/knowledge/review-queue", keys.reviewer);
    expect((queue.body.versions as { itemId: string }[]).some((v) => v.itemId === "labor-wage-arrears")).toBe(
      false,
    );
  });

  it("hides a script from agents once it expires, and lists it as expiring before", async () => {
    const { content: current } = await content("housing-property-fee");
    const created = await call("POST", "/v1/knowledge/scripts", keys.editor, {
      ...current,
      id: "housing-fee-2026-notice",
      title: "2026年物业费调整公示",
      question: "2026年物业费调整要公示多久？",
      variants: ["物业费今年要涨价公示几耐", "物业话要加价但冇公示", "管理费调价要公示吗"],
      region: "全市",
      validFrom: "2026-01-01",
      validTo: "2026-03-20",
    });
    expect(created.status, created.text).toBe(201);
    const approved = await call(
      "POST",
      "/v1/knowledge/scripts/housing-fee-2026-notice/versions/1/review",
      keys.reviewer2,
      {
        decision: "approve",
      },
    );
    expect(approved.status, approved.text).toBe(200);

    const expiring = await call("GET", "/v1/knowledge/expiring?days=30", keys.editor);
    expect((expiring.body.scripts as { itemId: string }[]).map((s) => s.itemId)).toContain(
      "housing-fee-2026-notice",
    );
    const before = await call("POST", "/v1/knowledge/search", keys.agent, {
      query: "物业费涨价公示几耐",
      limit: 10,
    });
    expect((before.body.results as { id: string }[]).map((r) => r.id)).toContain("housing-fee-2026-notice");

    clock.set(new Date("2026-03-21T09:00:00+08:00"));
    const after = await call("POST", "/v1/knowledge/search", keys.agent, {
      query: "物业费涨价公示几耐",
      limit: 10,
    });
    expect((after.body.results as { id: string }[]).map((r) => r.id)).not.toContain(
      "housing-fee-2026-notice",
    );
    clock.set(new Date("2026-03-02T09:00:00+08:00"));
  });

  it("review #3: rollback to a rejected version is refused (409) and agents keep the published wording", async () => {
    const { view } = await content("labor-wage-arrears");
    expect(view.latest.state).toBe("rejected");
    const before = view.published?.answer;
    const rollback = await call("POST", "/v1/knowledge/scripts/labor-wage-arrears/rollback", keys.reviewer2, {
      toVersion: view.latest.version,
      reason: "restore",
    });
    expect(rollback.status, rollback.text).toBe(409);
    const after = (await call("GET", "/v1/knowledge/scripts/labor-wage-arrears", keys.editor))
      .body as unknown as View;
    expect(after.published?.answer).toBe(before);
    expect(after.item.latestVersion).toBe(view.item.latestVersion);
  });

  it("retires a script so agents never see it again", async () => {
    const retired = await call(
      "POST",
      "/v1/knowledge/scripts/housing-fee-2026-notice/retire",
      keys.reviewer,
      {
        reason: "通知已撤回",
      },
    );
    expect(retired.status, retired.text).toBe(200);
    const search = await call("POST", "/v1/knowledge/search", keys.agent, {
      query: "物业费涨价公示几耐",
      limit: 10,
    });
    expect((search.body.results as { id: string }[]).map((r) => r.id)).not.toContain(
      "housing-fee-2026-notice",
    );
  });

  it("review #6: rollback does not bring a retired script back (409)", async () => {
    const rollback = await call(
      "POST",
      "/v1/knowledge/scripts/housing-fee-2026-notice/rollback",
      keys.reviewer2,
      {
        toVersion: 1,
        reason: "restore",
      },
    );
    expect(rollback.status, rollback.text).toBe(409);
    const view = (await call("GET", "/v1/knowledge/scripts/housing-fee-2026-notice", keys.editor))
      .body as unknown as View;
    expect(view.item.status).toBe("retired");
  });

  it("keeps an intact audit chain over all of the above", async () => {
    const verify = await call("GET", "/v1/audit/verify", keys.admin);
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ ok: true });
    expect(verify.body.checked as number).toBeGreaterThan(10);
  });
});
