import { describe, expect, it } from "vitest";
import { DATABASE_KINDS } from "../../helpers/databases";
import { useFixtureApp } from "../../helpers/fixture-app";

const CITIZEN =
  "市民王秀英反映：她住在江城区东风三路88号3栋502房，楼下烧烤店油烟扰民严重，晚上吵到凌晨两点。联系电话１３９２２３３４４５５，身份证 441702 19850315 222X，座机（0662）3312345，旧身份证441702850315222。邮箱王秀英@163.com";
const IDENTIFYING = [
  "13922334455",
  "１３９２２３３４４５５",
  "222X",
  "3312345",
  "441702850315222",
  "王秀英",
  "502房",
];

describe.each(DATABASE_KINDS)("personal data on %s (review #1, #2)", (kind) => {
  const fixture = useFixtureApp(kind);

  it("review #1: another agent's similar cases show none of the citizen's numbers, name or address", async () => {
    const first = await fixture.call("POST", "/v1/suggest", fixture.keys.agent, { text: CITIZEN });
    expect(first.status, first.text).toBe(200);
    const id = (first.body as { id: string }).id;
    const feedback = await fixture.call("POST", `/v1/suggestions/${id}/feedback`, fixture.keys.agent, {});
    expect(feedback.status, feedback.text).toBe(201);

    const other = await fixture.call("POST", "/v1/suggest", fixture.keys.admin, {
      text: "楼下烧烤店油烟扰民，晚上很吵",
    });
    expect(other.status).toBe(200);
    const similar = (other.body as { similarCases: { id: string; text: string }[] }).similarCases;
    expect(similar.map((c) => c.id)).toContain(`feedback-${id}`);
    for (const fragment of IDENTIFYING) expect(JSON.stringify(similar)).not.toContain(fragment);
  });

  it("review #2: a dispatch reason is stored and audited masked", async () => {
    const created = await fixture.call("POST", "/v1/dispatch-events", fixture.keys.agent, {
      kind: "returned",
      fromDepartment: "cgj",
      reason: "市民张伟（电话13812345678，身份证440102199001011234）要求退回",
    });
    expect(created.status, created.text).toBe(201);
    const audit = await fixture.call("GET", "/v1/audit?entityType=dispatch", fixture.keys.admin);
    const text = JSON.stringify(audit.body);
    expect(text).toContain("dispatch");
    expect(text).not.toContain("13812345678");
    expect(text).not.toContain("440102199001011234");
  });
});
