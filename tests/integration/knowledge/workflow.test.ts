import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { syncKnowledge } from "#services/sync-knowledge";
import { fixtureBundle, script } from "../../fixtures/knowledge-bundle";
import { DATABASE_KINDS } from "../../helpers/databases";
import { FakeEmbedder } from "../../helpers/fakes";
import { useFixtureApp } from "../../helpers/fixture-app";

/**
 * Embeds like FakeEmbedder but takes its time, as the real model does: approving embeds before its
 * transaction, so a retirement or an edit sent at the same moment lands inside that window.
 */
class SlowEmbedder extends FakeEmbedder {
  override async embed(texts: readonly string[]): Promise<Float32Array[]> {
    await new Promise((resolve) => setTimeout(resolve, 40));
    return super.embed(texts);
  }
}

interface Version {
  version: number;
  state: string;
  answer: string;
  author: string;
  authorPerson: string;
  reviewerPerson: string | null;
}
interface View {
  item: { status: string; publishedVersion: number | null; latestVersion: number };
  published: Version | null;
  latest: Version;
}

const ROUNDS = 6;

/** The body of an edit: a script's wording without its id. */
const contentOf = (overrides: Parameters<typeof script>[0]) => {
  const { id: _id, ...content } = script(overrides);
  return content;
};

describe.each(DATABASE_KINDS)("knowledge workflow on %s", (kind) => {
  const fixture = useFixtureApp(kind, { embedder: new SlowEmbedder() });

  const view = async (id: string, key = fixture.keys.editor) =>
    (await fixture.call("GET", `/v1/knowledge/scripts/${id}`, key)).body as unknown as View;

  /** A new script, version 1 approved and published by a reviewer. */
  const publishedScript = async (id: string, answer = "您好，测试口径第一版。") => {
    const created = await fixture.call("POST", "/v1/knowledge/scripts", fixture.keys.editor, {
      ...script({ id, answer }),
      changeNote: "新建",
    });
    expect(created.status, created.text).toBe(201);
    const approved = await fixture.call(
      "POST",
      `/v1/knowledge/scripts/${id}/versions/1/review`,
      fixture.keys.reviewer,
      { decision: "approve" },
    );
    expect(approved.status, approved.text).toBe(200);
  };

  /** A reviewer retires the script; returns the response. */
  const retire = (id: string, reason: string) =>
    fixture.call("POST", `/v1/knowledge/scripts/${id}/retire`, fixture.keys.reviewer, { reason });

  /** The editor saves new wording on top of the latest version; returns the response. */
  const save = async (id: string, answer: string, options: { submit?: boolean; key?: string } = {}) => {
    const current = await view(id);
    return fixture.call("PUT", `/v1/knowledge/scripts/${id}`, options.key ?? fixture.keys.editor, {
      baseVersion: current.item.latestVersion,
      content: contentOf({ id, answer }),
      submit: options.submit ?? true,
    });
  };

  it("approve, retire and an edit race on one script: every 200 agrees with the end state, nothing stays pending on a retired script", async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const id = `race-round-${round}`;
      await publishedScript(id);
      const pending = await save(id, `您好，第${round}轮待审口径。`);
      expect(pending.status, pending.text).toBe(200);
      const base = await view(id);
      const [approve, retired, edit] = await Promise.all([
        fixture.call("POST", `/v1/knowledge/scripts/${id}/versions/2/review`, fixture.keys.reviewer, {
          decision: "approve",
        }),
        // Started a little later so it lands while the approval is embedding.
        new Promise((resolve) => setTimeout(resolve, round % 3 === 0 ? 0 : 15)).then(() =>
          fixture.call("POST", `/v1/knowledge/scripts/${id}/retire`, fixture.keys.reviewer2, {
            reason: "政策废止",
          }),
        ),
        fixture.call("PUT", `/v1/knowledge/scripts/${id}`, fixture.keys.editor2, {
          baseVersion: base.item.latestVersion,
          content: contentOf({ id, answer: `您好，第${round}轮并发修改。` }),
        }),
      ]);
      for (const response of [approve, retired, edit]) {
        expect([200, 409], response.text).toContain(response.status);
      }
      expect(retired.status, retired.text).toBe(200); // nothing else can stop a retirement here
      const after = await view(id);
      const versions = (
        (await fixture.call("GET", `/v1/knowledge/scripts/${id}/versions`, fixture.keys.editor)).body as {
          versions: Version[];
        }
      ).versions;
      expect(after.item.status).toBe("retired");
      expect(versions.filter((version) => ["draft", "pending_review"].includes(version.state))).toEqual([]);
      const approved = versions.find((version) => version.version === 2);
      // The approval either came first (published, then superseded by nothing: the item is retired)
      // or lost to the retirement and got 409; never 200 with the version cancelled.
      expect(approve.status === 200 ? ["published"] : ["rejected"], approve.text).toContain(approved?.state);
      if (approve.status === 200) expect(after.item.publishedVersion).toBe(2);
      // No passages: agents' search can no longer find it.
      const search = await fixture.call("POST", "/v1/knowledge/search", fixture.keys.agent, {
        query: `第${round}轮`,
        limit: 10,
      });
      expect(JSON.stringify(search.body)).not.toContain(id);
    }
  });

  it("two editors create the same id at the same moment: one 201, the other 409 (never a 500)", async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const id = `race-create-${round}`;
      const [first, second] = await Promise.all(
        [fixture.keys.editor, fixture.keys.editor2].map((key) =>
          fixture.call("POST", "/v1/knowledge/scripts", key, script({ id })),
        ),
      );
      expect([first?.status, second?.status].sort(), `${first?.text} ${second?.text}`).toEqual([201, 409]);
      expect((await view(id)).item.latestVersion).toBe(1);
    }
  });

  it("a draft cancelled by the retirement cannot be submitted again (409), and no version of a retired script can be", async () => {
    await publishedScript("race-submit");
    const draft = await save("race-submit", "您好，草稿口径。", { submit: false });
    expect(draft.status, draft.text).toBe(200);
    const retired = await retire("race-submit", "停用");
    expect(retired.status, retired.text).toBe(200);
    const submit = await fixture.call(
      "POST",
      "/v1/knowledge/scripts/race-submit/versions/2/submit",
      fixture.keys.editor,
    );
    expect(submit.status, submit.text).toBe(409);
    const queue = (await fixture.call("GET", "/v1/knowledge/review-queue", fixture.keys.reviewer)).body as {
      versions: { itemId: string }[];
    };
    expect(queue.versions.map((version) => version.itemId)).not.toContain("race-submit");
    const edit = await save("race-submit", "您好，停用后再改。");
    expect(edit.status, edit.text).toBe(409);
  });

  it("review #12: Mallory, ｍａｌｌｏｒｙ and mallory are one person whatever key they use; so is an explicit person id", async () => {
    const create = (body: Record<string, unknown>) =>
      fixture.call("POST", "/v1/keys", fixture.keys.admin, body);
    const editor = await create({ name: "Mallory", role: "editor" });
    const fullWidth = await create({ name: "ｍａｌｌｏｒｙ", role: "reviewer" });
    const lower = await create({ name: " mallory ", role: "reviewer" });
    const alias = await create({ name: "M. Smith", person: "MALLORY", role: "reviewer" });
    for (const response of [editor, fullWidth, lower, alias])
      expect(response.status, response.text).toBe(201);
    for (const response of [editor, fullWidth, lower, alias]) {
      expect((response.body.record as { person: string }).person).toBe("mallory");
    }
    await publishedScript("people-mallory");
    const saved = await save("people-mallory", "您好，Mallory 的修改。", { key: editor.body.key as string });
    expect(saved.status, saved.text).toBe(200);
    expect((saved.body as unknown as View).latest.authorPerson).toBe("mallory");
    for (const reviewer of [fullWidth, lower, alias]) {
      const approve = await fixture.call(
        "POST",
        "/v1/knowledge/scripts/people-mallory/versions/2/review",
        reviewer.body.key as string,
        { decision: "approve" },
      );
      expect(approve.status, approve.text).toBe(403);
    }
    expect((await view("people-mallory")).latest.state).toBe("pending_review");
  });

  it("review #12: two people both named 张伟 review each other's work when their keys name different persons", async () => {
    const create = (body: Record<string, unknown>) =>
      fixture.call("POST", "/v1/keys", fixture.keys.admin, body);
    const zhangEditor = await create({ name: "张伟", person: "zhangwei-rsj", role: "editor" });
    const zhangReviewer = await create({ name: "张伟", person: "zhangwei-gaj", role: "reviewer" });
    expect(zhangEditor.status, zhangEditor.text).toBe(201);
    expect(zhangReviewer.status, zhangReviewer.text).toBe(201);
    // A third 张伟 without a person id would be ambiguous: refused, not silently merged.
    const ambiguous = await create({ name: "张伟", role: "reviewer" });
    expect(ambiguous.status, ambiguous.text).toBe(409);
    await publishedScript("people-zhangwei");
    const saved = await save("people-zhangwei", "您好，张伟（人社）的修改。", {
      key: zhangEditor.body.key as string,
    });
    expect(saved.status, saved.text).toBe(200);
    const approve = await fixture.call(
      "POST",
      "/v1/knowledge/scripts/people-zhangwei/versions/2/review",
      zhangReviewer.body.key as string,
      { decision: "approve" },
    );
    expect(approve.status, approve.text).toBe(200);
    const after = await view("people-zhangwei");
    expect(after.published).toMatchObject({
      version: 2,
      author: "张伟",
      authorPerson: "zhangwei-rsj",
      reviewerPerson: "zhangwei-gaj",
    });
  });

  it("review #12: keys and versions written before persons existed (null person) read as their normalised names", async () => {
    const legacy = await fixture.call("POST", "/v1/keys", fixture.keys.admin, {
      name: " Legacy Editor ",
      role: "editor",
    });
    expect(legacy.status, legacy.text).toBe(201);
    // What migration 0008 leaves on rows that existed before it: no person at all.
    await fixture.database.db.execute(sql`update api_keys set person = null where name = 'Legacy Editor'`);
    const listed = (await fixture.call("GET", "/v1/keys", fixture.keys.admin)).body as {
      keys: { name: string; person: string }[];
    };
    expect(listed.keys.find((key) => key.name === "Legacy Editor")?.person).toBe("legacy editor");
    await publishedScript("people-legacy");
    const saved = await save("people-legacy", "您好，旧钥匙的修改。", { key: legacy.body.key as string });
    expect((saved.body as unknown as View).latest.authorPerson).toBe("legacy editor");
    await fixture.database.db.execute(
      sql`update knowledge_versions set author_person = null, author = 'ＬＥＧＡＣＹ  editor' where item_id = 'people-legacy' and version = 2`,
    );
    // A reviewer key of the same person (another spelling) is still refused: the rule reads the name.
    const sameOldPerson = await fixture.call("POST", "/v1/keys", fixture.keys.admin, {
      name: "reviewer alias",
      person: "legacy editor",
      role: "reviewer",
    });
    const approve = await fixture.call(
      "POST",
      "/v1/knowledge/scripts/people-legacy/versions/2/review",
      sameOldPerson.body.key as string,
      { decision: "approve" },
    );
    expect(approve.status, approve.text).toBe(403);
  });

  it("review #17: agents read only published wording; editors, reviewers and admins see the newest version", async () => {
    await publishedScript("agents-published-only", "您好，已发布口径。");
    const pending = await save("agents-published-only", "您好，【未审核】待审口径。");
    expect(pending.status, pending.text).toBe(200);
    const draftOnly = await fixture.call("POST", "/v1/knowledge/scripts", fixture.keys.editor, {
      ...script({ id: "agents-draft-only", answer: "您好，【草稿】从未发布。" }),
      submit: false,
    });
    expect(draftOnly.status, draftOnly.text).toBe(201);

    const agent = await fixture.call(
      "GET",
      "/v1/knowledge/scripts/agents-published-only",
      fixture.keys.agent,
    );
    expect(agent.status, agent.text).toBe(200);
    expect(agent.text).not.toContain("未审核");
    const agentView = agent.body as unknown as View;
    expect(agentView.latest).toMatchObject({ version: 1, state: "published" });
    expect(agentView.published?.version).toBe(1);
    const hidden = await fixture.call("GET", "/v1/knowledge/scripts/agents-draft-only", fixture.keys.agent);
    expect(hidden.status, hidden.text).toBe(404);
    expect(hidden.text).not.toContain("草稿");

    for (const key of [fixture.keys.editor, fixture.keys.reviewer, fixture.keys.admin]) {
      const seen = (await view("agents-published-only", key)).latest;
      expect(seen).toMatchObject({ version: 2, state: "pending_review" });
      expect((await fixture.call("GET", "/v1/knowledge/scripts/agents-draft-only", key)).status).toBe(200);
    }
    // Every other read of versions stays closed to agents.
    for (const path of [
      "/v1/knowledge/scripts/agents-published-only/versions",
      "/v1/knowledge/scripts/agents-published-only/diff?from=1&to=2",
      "/v1/knowledge/scripts/agents-published-only/audit",
      "/v1/knowledge/scripts?status=pending_review",
      "/v1/knowledge/review-queue",
      "/v1/knowledge/export",
    ]) {
      expect((await fixture.call("GET", path, fixture.keys.agent)).status, path).toBe(403);
    }
  });

  it("review #20: script content is checked once for files, API and service; nothing is written on a refusal", async () => {
    const base = script({ id: "content-checks" });
    const refused: [string, Record<string, unknown>][] = [
      ["unknown department", { departments: ["zzz"] }],
      ["unknown category", { category: ["劳动和社会保障", "城镇职工社会保险", "没有这一类"] }],
      ["validTo before validFrom", { validFrom: "2026-03-01", validTo: "2026-02-01" }],
      ["impossible date", { validFrom: "2026-02-30" }],
      ["duplicate departments", { departments: ["rsj", "rsj"] }],
      ["too many departments", { departments: Array.from({ length: 11 }, () => "rsj") }],
      ["too many tags", { tags: Array.from({ length: 21 }, (_, index) => `标签${index}`) }],
      ["a huge tag", { tags: ["长".repeat(31)] }],
      ["an empty tag", { tags: [""] }],
      ["whitespace owner", { owner: "   " }],
      ["whitespace variant", { variants: ["  ", "社保卡丢了去哪里补", "医保卡被偷了怎么办"] }],
      ["too many variants", { variants: Array.from({ length: 31 }, (_, index) => `变体${index}`) }],
      ["whitespace category level", { category: [" ", "城镇职工社会保险", "社保卡"] }],
    ];
    for (const [what, change] of refused) {
      const response = await fixture.call("POST", "/v1/knowledge/scripts", fixture.keys.editor, {
        ...base,
        ...change,
      });
      expect([400, 422], `${what}: ${response.text}`).toContain(response.status);
      expect(response.body.error?.code, what).toMatch(/BAD_REQUEST|UNPROCESSABLE/);
    }
    expect(
      (await fixture.call("GET", "/v1/knowledge/scripts/content-checks", fixture.keys.editor)).status,
    ).toBe(404);
    // The same rules hold for an edit, and for the reason of a retirement or a rollback.
    await publishedScript("content-checks-edit");
    const current = await view("content-checks-edit");
    const edit = await fixture.call("PUT", "/v1/knowledge/scripts/content-checks-edit", fixture.keys.editor, {
      baseVersion: current.item.latestVersion,
      content: contentOf({ id: "content-checks-edit", departments: ["zzz"] }),
    });
    expect([400, 422], edit.text).toContain(edit.status);
    const retired = await retire("content-checks-edit", "   ");
    expect(retired.status, retired.text).toBe(400);
    expect((await view("content-checks-edit")).item).toMatchObject({ status: "published", latestVersion: 1 });
  });

  it("review #15: the sync audits every version it writes, and a retired script stays retired when its file changes", async () => {
    const audited = async (action: string) =>
      (await fixture.deps.audit.all())
        .filter((entry) => entry.action === action)
        .map((entry) => entry.entityId);
    // The fixture app's first sync created the four fixture scripts.
    expect((await audited("script.sync-create")).sort()).toEqual(
      fixtureBundle()
        .scripts.map((entry) => entry.id)
        .sort(),
    );
    const retired = await retire("housing-property-fee", "政策废止");
    expect(retired.status, retired.text).toBe(200);

    const bundle = fixtureBundle();
    bundle.scripts = bundle.scripts.map((entry) =>
      entry.id === "housing-property-fee" || entry.id === "labor-wage-arrears"
        ? { ...entry, answer: `${entry.answer}（文件已更新）` }
        : entry,
    );
    const report = await syncKnowledge({ deps: fixture.deps, input: { bundle } });
    expect(report.scripts).toMatchObject({ updated: 1, skippedRetired: ["housing-property-fee"] });
    expect(await audited("script.sync-update")).toEqual(["labor-wage-arrears"]);
    const housing = await view("housing-property-fee");
    expect(housing.item.status).toBe("retired");
    expect(housing.published?.answer).not.toContain("文件已更新");
    const agents = await fixture.call("POST", "/v1/knowledge/search", fixture.keys.agent, {
      query: "物业费",
      limit: 10,
    });
    expect(JSON.stringify(agents.body)).not.toContain("housing-property-fee");
    // The audit chain still verifies with the sync's entries in it.
    const entries = await fixture.deps.audit.all();
    for (let index = 1; index < entries.length; index += 1) {
      expect(entries[index]?.prevHash).toBe(entries[index - 1]?.hash);
    }
  });
});
