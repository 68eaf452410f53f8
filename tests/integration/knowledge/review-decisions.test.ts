import { describe, expect, it } from "vitest";
import { scriptContent } from "#domain/knowledge/passages";
import type { ScriptContent } from "#domain/knowledge/repository";
import { DATABASE_KINDS } from "../../helpers/databases";
import { useFixtureApp } from "../../helpers/fixture-app";

interface View {
  item: { status: string; publishedVersion: number | null; latestVersion: number };
  published: { version: number; answer: string } | null;
  latest: { version: number; state: string } & Record<string, unknown>;
}

describe.each(DATABASE_KINDS)("review decisions on %s", (kind) => {
  const fixture = useFixtureApp(kind);

  const view = async (id: string) =>
    (await fixture.call("GET", `/v1/knowledge/scripts/${id}`, fixture.keys.editor)).body as unknown as View;

  /** The editor saves a new wording of `id`; returns its (pending) version number. */
  const propose = async (id: string, answer: string, editorKey = fixture.keys.editor) => {
    const current = await view(id);
    const content = scriptContent(current.latest as unknown as ScriptContent);
    const edited = await fixture.call("PUT", `/v1/knowledge/scripts/${id}`, editorKey, {
      baseVersion: current.item.latestVersion,
      content: { ...content, answer },
      changeNote: "测试修改",
    });
    expect(edited.status, edited.text).toBe(200);
    return (edited.body as unknown as View).latest.version;
  };

  it("review #7: approve and reject at the same moment — exactly one wins, the loser gets 409", async () => {
    const version = await propose("shebao-card-lost", "您好，社保卡遗失请先挂失再补办。（竞争测试）");
    const path = `/v1/knowledge/scripts/shebao-card-lost/versions/${version}/review`;
    const [approve, reject] = await Promise.all([
      fixture.call("POST", path, fixture.keys.reviewer, { decision: "approve", comment: "同意" }),
      fixture.call("POST", path, fixture.keys.reviewer2, { decision: "reject", comment: "不同意" }),
    ]);
    expect([approve.status, reject.status].sort()).toEqual([200, 409]);
    const after = await view("shebao-card-lost");
    const expected = approve.status === 200 ? ["approved", "published"] : ["rejected"];
    expect(expected).toContain(after.latest.state);
  });

  it("review #6: a version pending before the retirement cannot republish the script", async () => {
    const version = await propose(
      "housing-property-fee",
      "您好，物业费问题请先与物业服务企业协商。（停用测试）",
    );
    const retired = await fixture.call(
      "POST",
      "/v1/knowledge/scripts/housing-property-fee/retire",
      fixture.keys.reviewer2,
      {
        reason: "政策废止",
      },
    );
    expect(retired.status, retired.text).toBe(200);
    const approve = await fixture.call(
      "POST",
      `/v1/knowledge/scripts/housing-property-fee/versions/${version}/review`,
      fixture.keys.reviewer,
      {
        decision: "approve",
        comment: "同意",
      },
    );
    expect(approve.status).toBe(409);
    const after = await view("housing-property-fee");
    expect(after.item.status).toBe("retired");
    expect(after.latest.state).toBe("rejected");
  });

  it("review #6: an approved but unpublished version cannot be published after the retirement", async () => {
    const version = await propose(
      "urban-street-vendor-2023-campaign",
      "您好，流动摊贩问题请向城管部门反映。（停用测试）",
    );
    const approved = await fixture.call(
      "POST",
      `/v1/knowledge/scripts/urban-street-vendor-2023-campaign/versions/${version}/review`,
      fixture.keys.reviewer,
      { decision: "approve", comment: "同意", publish: false },
    );
    expect(approved.status, approved.text).toBe(200);
    const retired = await fixture.call(
      "POST",
      "/v1/knowledge/scripts/urban-street-vendor-2023-campaign/retire",
      fixture.keys.reviewer2,
      {
        reason: "专项行动结束",
      },
    );
    expect(retired.status, retired.text).toBe(200);
    const publish = await fixture.call(
      "POST",
      `/v1/knowledge/scripts/urban-street-vendor-2023-campaign/versions/${version}/publish`,
      fixture.keys.reviewer,
      {},
    );
    expect(publish.status).toBe(409);
    expect((await view("urban-street-vendor-2023-campaign")).item.status).toBe("retired");
  });

  it("review #12: the two-person rule treats Mallory and ｍａｌｌｏｒｙ as one person", async () => {
    const editor = await fixture.call("POST", "/v1/keys", fixture.keys.admin, {
      name: "Mallory",
      role: "editor",
    });
    const reviewer = await fixture.call("POST", "/v1/keys", fixture.keys.admin, {
      name: " ｍａｌｌｏｒｙ",
      role: "reviewer",
    });
    expect(editor.status, editor.text).toBe(201);
    if (reviewer.status !== 201) return expect(reviewer.status).toBe(409); // refusing the second identity is fine too
    const version = await propose(
      "labor-wage-arrears",
      "您好，欠薪问题请向人社部门劳动监察投诉。（同人测试）",
      editor.body.key as string,
    );
    const approve = await fixture.call(
      "POST",
      `/v1/knowledge/scripts/labor-wage-arrears/versions/${version}/review`,
      reviewer.body.key as string,
      { decision: "approve", comment: "同意" },
    );
    expect(approve.status).toBe(403);
    expect((await view("labor-wage-arrears")).latest.state).toBe("pending_review");
  });
});
