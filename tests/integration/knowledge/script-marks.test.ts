import { describe, expect, it } from "vitest";
import { DATABASE_KINDS } from "../../helpers/databases";
import { useFixtureApp } from "../../helpers/fixture-app";

/** Agents' 不适用 marks on suggested scripts reach the editors (issue #14). */
describe.each(DATABASE_KINDS)("script marks for editors on %s", (kind) => {
  const fixture = useFixtureApp(kind);

  it("counts each script's 不适用 and used marks from suggestion feedback", async () => {
    const { call, keys } = fixture;
    const marks = async () =>
      (
        (await call("GET", "/v1/knowledge/script-marks", keys.editor)).body as {
          marks: { scriptId: string; dismissed: number; accepted: number; lastAt: string | null }[];
        }
      ).marks;
    expect(await marks()).toEqual([]);

    for (const mark of ["dismissed", "dismissed", "accepted"] as const) {
      const suggested = await call("POST", "/v1/suggest", keys.agent, { text: "社保卡丢了去哪里补办" });
      expect(suggested.status, suggested.text).toBe(200);
      const { id, scripts } = suggested.body as { id: string; scripts: { id: string }[] };
      const [first, second] = scripts;
      if (!first || !second) throw new Error("the fixture should suggest at least two scripts");
      const feedback = await call("POST", `/v1/suggestions/${id}/feedback`, keys.agent, {
        ...(mark === "dismissed" ? { dismissedScriptIds: [first.id] } : { acceptedScriptIds: [second.id] }),
      });
      expect(feedback.status, feedback.text).toBe(201);
    }
    const listed = await marks();
    const byId = new Map(listed.map((entry) => [entry.scriptId, entry]));
    const dismissed = listed.find((entry) => entry.dismissed > 0);
    expect(dismissed?.dismissed).toBe(2);
    expect(dismissed?.lastAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect([...byId.values()].reduce((sum, entry) => sum + entry.accepted, 0)).toBe(1);
    // Agents may not read editors' lists.
    expect((await call("GET", "/v1/knowledge/script-marks", keys.agent)).status).toBe(403);
  });
});
