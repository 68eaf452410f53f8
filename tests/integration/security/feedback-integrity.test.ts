import { describe, expect, it } from "vitest";
import type { Transact } from "#domain/repositories";
import { createApiKey } from "#services/access";
import { createApp } from "../../../src/app";
import { DATABASE_KINDS } from "../../helpers/databases";
import { useFixtureApp } from "../../helpers/fixture-app";
import { client } from "../../helpers/keys";

type Fixture = ReturnType<typeof useFixtureApp>;

async function suggestAs(fixture: Fixture, key: string, text: string): Promise<string> {
  const response = await fixture.call("POST", "/v1/suggest", key, { text });
  expect(response.status, response.text).toBe(200);
  return (response.body as { id: string }).id;
}

async function dispatchRows(fixture: Fixture): Promise<number> {
  const counts = await fixture.deps.suggestions.disputeCounts();
  return counts.reduce((sum, row) => sum + row.count, 0);
}

async function feedbackCases(fixture: Fixture): Promise<string[]> {
  return (await fixture.deps.cases.all()).filter((row) => row.source === "feedback").map((row) => row.id);
}

async function auditCount(fixture: Fixture): Promise<number> {
  return (await fixture.deps.audit.all()).length;
}

describe.each(DATABASE_KINDS)("feedback integrity and atomic writes on %s (review #10, #11)", (kind) => {
  const fixture = useFixtureApp(kind);
  let agent2 = "";
  const secondAgent = async () => {
    if (!agent2) {
      agent2 = (
        await createApiKey({
          deps: fixture.deps,
          input: { name: "test-agent2", role: "agent" },
          actor: "test",
        })
      ).key;
    }
    return agent2;
  };

  it("review #11: another agent cannot label a suggestion (404), and nothing is written", async () => {
    const id = await suggestAs(fixture, fixture.keys.agent, "我家楼下的路灯坏了");
    const other = await secondAgent();
    const audits = await auditCount(fixture);
    const response = await fixture.call("POST", `/v1/suggestions/${id}/feedback`, other, {
      agentId: "test-agent2",
      finalCategory: ["劳动和社会保障"],
      finalDepartments: ["rsj"],
      finalType: "表扬",
    });
    expect(response.status, response.text).toBe(404);
    expect((await fixture.deps.suggestions.get(id))?.feedback).toBeNull();
    expect(await feedbackCases(fixture)).not.toContain(`feedback-${id}`);
    expect(await auditCount(fixture)).toBe(audits);
  });

  it("review #11: agentId comes from the key; a claimed other identity is refused (403)", async () => {
    const id = await suggestAs(fixture, fixture.keys.agent, "小区垃圾清运不及时");
    const spoofed = await fixture.call("POST", `/v1/suggestions/${id}/feedback`, fixture.keys.agent, {
      agentId: "agent1",
    });
    expect(spoofed.status, spoofed.text).toBe(403);
    expect((await fixture.deps.suggestions.get(id))?.feedback).toBeNull();

    const own = await fixture.call("POST", `/v1/suggestions/${id}/feedback`, fixture.keys.agent, {});
    expect(own.status, own.text).toBe(201);
    expect((await fixture.deps.suggestions.get(id))?.feedback).toMatchObject({ agentId: "test-agent" });
  });

  it("review #11: finalCategory must be a taxonomy path and finalDepartments known codes; lengths are bounded", async () => {
    const id = await suggestAs(fixture, fixture.keys.agent, "工厂拖欠工资三个月");
    const path = fixture.deps.suggest.categoryPaths[0];
    if (!path) throw new Error("the fixture has a taxonomy");
    for (const [body, status] of [
      [{ finalCategory: ["垃圾", "标签", "注入"] }, 422],
      [{ finalCategory: [path[0], "不存在的二级"] }, 422],
      [{ finalCategory: ["毒".repeat(3000)] }, 400],
      [{ finalDepartments: ["zzz"] }, 422],
      [{ finalDepartments: ["x".repeat(500)] }, 400],
      [{ acceptedScriptIds: ["s".repeat(5000)] }, 400],
      [{ acceptedScriptIds: ["not-shown-to-this-agent"] }, 422],
    ] as const) {
      const response = await fixture.call("POST", `/v1/suggestions/${id}/feedback`, fixture.keys.agent, {
        ...body,
        agentId: "test-agent",
      });
      expect(response.status, `${JSON.stringify(body).slice(0, 80)} → ${response.text}`).toBe(status);
    }
    expect((await fixture.deps.suggestions.get(id))?.feedback).toBeNull();
    expect(await feedbackCases(fixture)).not.toContain(`feedback-${id}`);

    for (const levels of [1, 2, 3]) {
      const response = await fixture.call("POST", `/v1/suggestions/${id}/feedback`, fixture.keys.agent, {
        finalCategory: path.slice(0, levels),
        agentId: "test-agent",
      });
      expect(response.status, response.text).toBe(201);
    }
  });

  it("review #11: a reassignment relabels only for the suggestion's own agent or a reviewer", async () => {
    const id = await suggestAs(fixture, fixture.keys.agent, "物业乱收停车费");
    const rows = await dispatchRows(fixture);
    const event = {
      suggestionId: id,
      kind: "reassigned",
      fromDepartment: "zjj",
      toDepartment: "cgj",
      reason: "改派",
    };
    const other = await fixture.call("POST", "/v1/dispatch-events", await secondAgent(), event);
    expect(other.status, other.text).toBe(404);
    expect(await dispatchRows(fixture)).toBe(rows);
    expect((await fixture.deps.suggestions.get(id))?.feedback).toBeNull();

    const supervisor = await fixture.call("POST", "/v1/dispatch-events", fixture.keys.reviewer, event);
    expect(supervisor.status, supervisor.text).toBe(201);
    expect((await fixture.deps.suggestions.get(id))?.feedback).toMatchObject({
      finalDepartments: ["cgj"],
      agentId: "test-reviewer",
    });
  });

  it("review #10: a reassignment of an unknown suggestion answers 404 and leaves no dispatch row", async () => {
    const rows = await dispatchRows(fixture);
    const audits = await auditCount(fixture);
    const response = await fixture.call("POST", "/v1/dispatch-events", fixture.keys.agent, {
      kind: "reassigned",
      suggestionId: "11111111-1111-4111-8111-111111111111",
      fromDepartment: "zjj",
      toDepartment: "cgj",
      reason: "改派",
    });
    expect(response.status, response.text).toBe(404);
    expect(await dispatchRows(fixture)).toBe(rows);
    expect(await auditCount(fixture)).toBe(audits);
  });

  it("review #10: refused feedback (blank agentId and category) leaves the suggestion untouched", async () => {
    const id = await suggestAs(fixture, fixture.keys.agent, "噪音扰民");
    const response = await fixture.call("POST", `/v1/suggestions/${id}/feedback`, fixture.keys.agent, {
      agentId: "   ",
      finalCategory: ["   "],
    });
    expect([400, 403, 422], response.text).toContain(response.status);
    expect((await fixture.deps.suggestions.get(id))?.feedback).toBeNull();
    expect(await feedbackCases(fixture)).not.toContain(`feedback-${id}`);
  });

  it("review #10: when the audit append fails (500), neither the dispatch event nor the feedback and its case remain", async () => {
    const failingAudit: Transact = (work) =>
      fixture.deps.transact((repositories) =>
        work({
          ...repositories,
          audit: {
            ...repositories.audit,
            append: async () => {
              throw new Error("audit unavailable");
            },
          },
        }),
      );
    const call = client(createApp({ ...fixture.deps, transact: failingAudit }));
    const id = await suggestAs(fixture, fixture.keys.agent, "市场门口乱摆卖");
    const rows = await dispatchRows(fixture);

    const event = await call("POST", "/v1/dispatch-events", fixture.keys.agent, {
      kind: "reassigned",
      suggestionId: id,
      fromDepartment: "zjj",
      toDepartment: "cgj",
      reason: "改派",
    });
    expect(event.status, event.text).toBe(500);
    const feedback = await call("POST", `/v1/suggestions/${id}/feedback`, fixture.keys.agent, {
      finalDepartments: ["cgj"],
      agentId: "test-agent",
    });
    expect(feedback.status, feedback.text).toBe(500);

    expect(await dispatchRows(fixture)).toBe(rows);
    expect((await fixture.deps.suggestions.get(id))?.feedback).toBeNull();
    expect(await feedbackCases(fixture)).not.toContain(`feedback-${id}`);
  });
});
