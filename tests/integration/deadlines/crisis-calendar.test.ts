import { describe, expect, it } from "vitest";
import { SuggestResponseSchema } from "#api/schemas/suggest";
import { createCalendarCheck } from "#infra/readiness";
import { createPrometheusTelemetry } from "#infra/telemetry";
import { syncCalendarFile } from "#services/calendar";
import { createApp } from "../../../src/app";
import { fixtureBundle } from "../../fixtures/knowledge-bundle";
import { FICTIONAL_2027 } from "../../fixtures/test-calendar";
import { DATABASE_KINDS } from "../../helpers/databases";
import { FixedClock } from "../../helpers/fakes";
import { useFixtureApp } from "../../helpers/fixture-app";
import { buildIntegrationDeps } from "../../helpers/integration-deps";
import { client } from "../../helpers/keys";

const HOUR = 3600_000;
const TYPHOON = {
  active: true,
  name: "台风「海燕」",
  keywords: ["台风"],
  reason: "市三防指挥部启动防风Ⅳ级应急响应",
};
/** Mentions the typhoon; a business caller, so without the crisis the 2135 rule applies. */
const TYPHOON_REQUEST = {
  text: "我司咨询台风过后厂房门口倒了的树找哪个部门清理",
  callerType: "business",
  receivedAt: "2026-03-06T16:00:00+08:00",
};
const UNRELATED_REQUEST = {
  text: "我司想咨询员工社保卡批量办理",
  callerType: "business",
  receivedAt: "2026-03-06T16:00:00+08:00",
};
/** A business complaint received on 2026-12-29: 5 working days reach into 2027. */
const YEAR_END_COMPLAINT = {
  text: "我司投诉供电公司多次无故停电影响生产",
  callerType: "business",
  receivedAt: "2026-12-29T10:00:00+08:00",
};

type Suggestion = ReturnType<typeof SuggestResponseSchema.parse>;

describe.each(DATABASE_KINDS)("crisis mode and calendar years on %s", (kind) => {
  const clock = new FixedClock(new Date("2026-12-02T10:00:00+08:00"));
  const fixture = useFixtureApp(kind, { clock, telemetry: createPrometheusTelemetry() });

  async function suggest(request: object, call = fixture.call): Promise<Suggestion> {
    const response = await call("POST", "/v1/suggest", fixture.keys.agent, request);
    expect(response.status, response.text).toBe(200);
    return SuggestResponseSchema.parse(response.body);
  }

  async function auditOf(entityType: string) {
    const response = await fixture.call("GET", `/v1/audit?entityType=${entityType}`, fixture.keys.admin);
    expect(response.status, response.text).toBe(200);
    return (
      response.body as {
        entries: { action: string; actor: string; entityId: string; reason: string; after: unknown }[];
      }
    ).entries;
  }

  describe("crisis", () => {
    it("switching on changes the very next suggest, for related requests only, on every replica", async () => {
      const before = await suggest(TYPHOON_REQUEST);
      expect(before.crisis).toBeNull();
      expect(before.deadlines.rule).toBe("2135");

      const declared = await fixture.call("PUT", "/v1/admin/crisis", fixture.keys.admin, TYPHOON);
      expect(declared.status, declared.text).toBe(200);
      expect(declared.body).toMatchObject({
        active: true,
        crisis: { name: "台风「海燕」", keywords: ["台风"] },
      });

      const related = await suggest(TYPHOON_REQUEST);
      expect(related.crisis).toEqual({ name: "台风「海燕」", related: true, reasons: ["关键词「台风」"] });
      expect(related.deadlines.rule).toBe("crisis");
      const fast = related.urgent.flag && ["投诉", "求助"].includes(related.type[0]?.label ?? "");
      const days = fast ? 1 : 2;
      // Friday 16:00 + natural days: the weekend counts.
      expect(new Date(related.deadlines.completeBy).getTime()).toBe(
        new Date(TYPHOON_REQUEST.receivedAt).getTime() + days * 24 * HOUR,
      );
      expect(related.deadlines.basis).toContain(`应急「台风海燕」相关·${related.type[0]?.label}`);
      expect(related.deadlines.basis).toContain(`${days}个自然日`);

      const unrelated = await suggest(UNRELATED_REQUEST);
      expect(unrelated.crisis).toEqual({ name: "台风「海燕」", related: false, reasons: [] });
      expect(unrelated.deadlines.rule).toBe("2135");

      // Another replica (its own app and deps, the same database) sees the crisis at once.
      const replica = createApp(buildIntegrationDeps(fixture.database, fixtureBundle(), { clock }));
      const elsewhere = await suggest(TYPHOON_REQUEST, client(replica));
      expect(elsewhere.deadlines.rule).toBe("crisis");

      const visible = await fixture.call("GET", "/v1/crisis", fixture.keys.agent);
      expect(visible.status, visible.text).toBe(200);
      expect(visible.body).toMatchObject({
        active: true,
        crisis: { name: "台风「海燕」", declaredBy: "test-admin" },
      });

      const ended = await fixture.call("PUT", "/v1/admin/crisis", fixture.keys.admin, {
        active: false,
        reason: "应急响应解除",
      });
      expect(ended.status, ended.text).toBe(200);
      expect(ended.body).toEqual({ active: false, crisis: null });
      const after = await suggest(TYPHOON_REQUEST);
      expect(after.crisis).toBeNull();
      expect(after.deadlines).toEqual(before.deadlines);
      expect((await suggest(TYPHOON_REQUEST, client(replica))).deadlines.rule).toBe("2135");

      const entries = await auditOf("crisis");
      expect(entries.map((entry) => [entry.action, entry.actor, entry.reason])).toEqual([
        ["crisis.end", "test-admin", "应急响应解除"],
        ["crisis.declare", "test-admin", TYPHOON.reason],
      ]);
    });

    it("is refused without a key (401) and for every role but admin (403), and a bad declaration is 400", async () => {
      expect((await fixture.call("PUT", "/v1/admin/crisis", null, TYPHOON)).status).toBe(401);
      for (const role of ["agent", "editor", "reviewer", "evaluator"] as const) {
        const response = await fixture.call("PUT", "/v1/admin/crisis", fixture.keys[role], TYPHOON);
        expect(response.status, `${role}: ${response.text}`).toBe(403);
        expect(response.body.error?.code).toBe("FORBIDDEN");
      }
      expect((await fixture.call("GET", "/v1/crisis", null)).status).toBe(401);
      for (const body of [
        { active: true, name: "台风", reason: "x" }, // nothing identifies its requests
        { active: true, keywords: ["台风"], reason: "x" }, // no name
        { active: true, name: "台风", keywords: ["台风"] }, // no reason
        { ...TYPHOON, factor: 0.5 }, // unknown field
        { ...TYPHOON, categories: ["城乡建设/不存在的分类"] }, // a typo would relate nothing
        { ...TYPHOON, emergencies: ["no-such-item"] },
      ]) {
        const response = await fixture.call("PUT", "/v1/admin/crisis", fixture.keys.admin, body);
        expect(response.status, response.text).toBe(400);
        expect(response.body.error?.code).toBe("BAD_REQUEST");
      }
      const state = await fixture.call("GET", "/v1/crisis", fixture.keys.evaluator);
      expect(state.body).toEqual({ active: false, crisis: null });
    });
  });

  describe("calendar years", () => {
    it("/readyz shows coverage; PUT /v1/admin/calendar/2027 makes 2027 deadlines use it and the warning go", async () => {
      const ready = createApp({
        ...fixture.deps,
        readiness: [
          createCalendarCheck(fixture.deps.calendar, fixture.deps.calendarYears, () => clock.now()),
        ],
      });
      const readyz = async () => {
        const response = await ready.request("/readyz");
        expect(response.status).toBe(200);
        const body = (await response.json()) as {
          checks: { name: string; ok: boolean; coveredThrough?: string }[];
        };
        return body.checks.find((check) => check.name === "calendar");
      };
      expect(await readyz()).toMatchObject({ ok: false, coveredThrough: "2026-12-31", advisory: true });

      const uncovered = await suggest(YEAR_END_COMPLAINT);
      expect(uncovered.type[0]?.label).toBe("投诉");
      expect(uncovered.deadlines.warnings).toEqual(["calendar-not-covered:2027"]);
      expect(uncovered.deadlines.warningDetails[0]?.message).toContain("2027年节假日与调休安排尚未录入");
      // Weekends only: 12-30, 12-31, 01-01, 01-04, 01-05.
      expect(uncovered.deadlines.completeBy).toBe("2027-01-05T09:30:00.000Z");
      const metrics = await fixture.call("GET", "/metrics", null);
      expect(metrics.text).toMatch(/^deadline_calendar_uncovered_total\{year="2027"\} 1$/m);

      const put = await fixture.call("PUT", "/v1/admin/calendar/2027", fixture.keys.admin, FICTIONAL_2027);
      expect(put.status, put.text).toBe(200);
      expect(put.body).toMatchObject({ year: 2027, source: "api" });

      const covered = await suggest(YEAR_END_COMPLAINT);
      expect(covered.deadlines.warnings).toEqual([]);
      // 元旦 01-01…01-03 off: 12-30, 12-31, 01-04, 01-05, 01-06.
      expect(covered.deadlines.completeBy).toBe("2027-01-06T09:30:00.000Z");
      expect(await readyz()).toMatchObject({ ok: true, coveredThrough: "2027-12-31" });
      // Deadlines inside entered years are not counted.
      expect((await fixture.call("GET", "/metrics", null)).text).toMatch(
        /^deadline_calendar_uncovered_total\{year="2027"\} 1$/m,
      );

      const status = await fixture.call("GET", "/v1/calendar", fixture.keys.agent);
      expect(status.body).toMatchObject({
        coveredThrough: "2027-12-31",
        ok: true,
        message: null,
        years: [{ year: 2027, source: "api", updatedBy: "test-admin" }],
      });
      const entries = await auditOf("calendar_year");
      expect(entries[0]).toMatchObject({ action: "calendar.put", actor: "test-admin", entityId: "2027" });
    });

    it("refuses bad dates, a day both off and working and an incomplete year (400), and non-admins (401/403)", async () => {
      const cases: [string, object, string][] = [
        ["impossible date", { ...FICTIONAL_2027, workdays: ["2027-02-30"] }, "real date"],
        ["off and working", { ...FICTIONAL_2027, workdays: ["2027-02-13", "2027-01-02"] }, "both a day off"],
        [
          "incomplete",
          { ...FICTIONAL_2027, holidays: FICTIONAL_2027.holidays.slice(1) },
          "incomplete: no 元旦",
        ],
        ["another year's days", FICTIONAL_2027, "is not in 2031"],
      ];
      for (const [what, body, message] of cases) {
        const year = what === "another year's days" ? 2031 : 2027;
        const response = await fixture.call("PUT", `/v1/admin/calendar/${year}`, fixture.keys.admin, body);
        expect(response.status, `${what}: ${response.text}`).toBe(400);
        expect(response.body.error?.message, what).toContain(message);
      }
      expect((await fixture.call("PUT", "/v1/admin/calendar/2028", null, FICTIONAL_2027)).status).toBe(401);
      const agent = await fixture.call("PUT", "/v1/admin/calendar/2028", fixture.keys.agent, FICTIONAL_2027);
      expect(agent.status).toBe(403);
      const years = await fixture.deps.calendarYears.list();
      expect(years.map((entry) => entry.year)).toEqual([2027]);
      expect(years[0]?.workdays).toEqual(["2027-02-13"]);
    });

    it("knowledge/calendar.yaml years sync in at start: written once (audited as the file's), then left alone", async () => {
      const fileYear = { year: 2027, ...FICTIONAL_2027, notice: "测试用虚构安排（文件录入）" };
      const first = await syncCalendarFile({ deps: fixture.deps, input: { years: [fileYear] } });
      expect(first.written).toEqual([2027]);
      const again = await syncCalendarFile({ deps: fixture.deps, input: { years: [fileYear] } });
      expect(again.written).toEqual([]);
      const status = await fixture.call("GET", "/v1/calendar", fixture.keys.agent);
      expect(status.body).toMatchObject({ years: [{ year: 2027, source: "file", notice: fileYear.notice }] });
      const entries = await auditOf("calendar_year");
      expect(entries[0]).toMatchObject({
        action: "calendar.sync",
        actor: "knowledge-files",
        entityId: "2027",
      });
      // An invalid file year is refused, not half-written.
      await expect(
        syncCalendarFile({
          deps: fixture.deps,
          input: { years: [{ ...fileYear, workdays: ["2027-01-01"] }] },
        }),
      ).rejects.toThrow("both a day off");
    });
  });
});
