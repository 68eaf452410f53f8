import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildWorkCalendar, type CalendarYear, checkCalendarYear } from "#domain/calendar";
import { calendarCoverage, computeDeadlines, uncoveredYears } from "#domain/deadlines";
import { loadCalendarFile } from "#infra/knowledge-fs/load-calendar";
import { createChineseHolidaySource } from "#infra/work-calendar";
import { fixtureBundle } from "../../fixtures/knowledge-bundle";

const rules = fixtureBundle().rules;
if (!rules) throw new Error("fixture has rules");
const source = createChineseHolidaySource();
const calendar = buildWorkCalendar(source, []);
const base = { marketEntity: false, dispatchWithinMinutes: null } as const;

/**
 * A made-up 2027 schedule for the tests only: it is NOT the State Council's 2027 notice (not
 * published when this was written). 元旦 Fri–Sun, 春节 Fri 02-05 … Thu 02-11, Saturday 02-13 a
 * make-up working day; the other holidays are there so the year counts as complete.
 */
const TEST_CALENDAR_YAML = `
years:
  2027:
    notice: 测试用虚构安排（不是国务院办公厅的通知）
    holidays:
      - { name: 元旦, from: 2027-01-01, to: 2027-01-03 }
      - { name: 春节, from: 2027-02-05, to: 2027-02-11 }
      - { name: 清明节, from: 2027-04-05, to: 2027-04-05 }
      - { name: 劳动节, from: 2027-05-01, to: 2027-05-05 }
      - { name: 端午节, from: 2027-06-09, to: 2027-06-09 }
      - { name: "中秋节、国庆节", from: 2027-10-01, to: 2027-10-07 }
    workdays: [2027-02-13]
`;

const scratch = mkdtempSync(join(tmpdir(), "calendar-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function calendarFile(text: string) {
  const path = join(scratch, `calendar-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, text);
  return loadCalendarFile(path);
}

describe("computeDeadlines on chinese-days (2026)", () => {
  it("2135: respond in 2 h, consultations closed by the next working day skipping the National Day holiday", () => {
    const deadlines = computeDeadlines(
      { ...base, receivedAt: new Date("2026-09-30T16:00:00+08:00"), type: "咨询", marketEntity: true },
      rules,
      calendar,
    );
    expect(deadlines).toEqual({
      rule: "2135",
      respondBy: "2026-09-30T10:00:00.000Z",
      completeBy: "2026-10-08T09:30:00.000Z",
      basis: "市场主体·咨询：1个工作日（2135）",
      warnings: [],
      warningDetails: [],
    });
  });

  it.each([
    ["求助", 3, "2026-03-05"],
    ["投诉", 5, "2026-03-09"],
    ["举报", 5, "2026-03-09"],
  ] as const)("2135: %s closed in %i working days", (type, days, day) => {
    const deadlines = computeDeadlines(
      { ...base, receivedAt: new Date("2026-03-02T10:00:00+08:00"), type, marketEntity: true },
      rules,
      calendar,
    );
    expect(deadlines.completeBy).toBe(new Date(`${day}T17:30:00+08:00`).toISOString());
    expect(deadlines.basis).toBe(`市场主体·${type}：${days}个工作日（2135）`);
  });

  it("counts a 调休 Saturday as a working day", () => {
    // 2026-10-10 (Saturday) is a make-up working day after the National Day holiday.
    expect(calendar.addWorkingDays("2026-10-09", 1)).toBe("2026-10-10");
  });

  it("春节 2026: Friday + 1 working day is the 调休 Saturday 02-14, then nothing until 02-24", () => {
    const deadlines = computeDeadlines(
      { ...base, receivedAt: new Date("2026-02-13T10:00:00+08:00"), type: "咨询", marketEntity: true },
      rules,
      calendar,
    );
    expect(deadlines.completeBy).toBe(new Date("2026-02-14T17:30:00+08:00").toISOString());
    expect(deadlines.warnings).toEqual([]);
    expect(calendar.addWorkingDays("2026-02-14", 1)).toBe("2026-02-24");
  });

  it("the standard table says it is the centre's setting", () => {
    const deadlines = computeDeadlines(
      { ...base, receivedAt: new Date("2026-03-02T10:00:00+08:00"), type: "投诉" },
      rules,
      calendar,
    );
    expect(deadlines).toMatchObject({ rule: "standard", basis: "一般诉求·投诉：15个工作日（本中心设定）" });
  });

  it("emergencies respond within the list's dispatch time and name the item", () => {
    const deadlines = computeDeadlines(
      {
        ...base,
        receivedAt: new Date("2026-03-02T10:00:00+08:00"),
        type: "求助",
        dispatchWithinMinutes: 15,
        emergencyName: "电梯困人",
      },
      rules,
      calendar,
    );
    expect(deadlines).toMatchObject({
      rule: "emergency",
      respondBy: "2026-03-02T02:15:00.000Z",
      completeBy: "2026-03-03T02:00:00.000Z",
      basis: "紧急项「电梯困人」：15分钟内派单，24小时内处置反馈",
    });
  });
});

describe("calendar coverage past chinese-days", () => {
  it("chinese-days covers 2026 but not 2027", () => {
    expect(calendar.coveredThrough()).toBe("2026-12-31");
    expect(calendar.covers(2026)).toBe(true);
    expect(calendar.covers(2027)).toBe(false);
  });

  it("a deadline counted into 2027 without holiday data is computed on weekends only and warned about, in Chinese too", () => {
    const deadlines = computeDeadlines(
      { ...base, receivedAt: new Date("2026-12-29T10:00:00+08:00"), type: "投诉", marketEntity: true },
      rules,
      calendar,
    );
    // 12-30, 12-31, 01-01 (Friday, counted as a working day), 01-04, 01-05.
    expect(deadlines.completeBy).toBe(new Date("2027-01-05T17:30:00+08:00").toISOString());
    expect(deadlines.warnings).toEqual(["calendar-not-covered:2027"]);
    expect(deadlines.warningDetails).toEqual([
      {
        code: "calendar-not-covered:2027",
        message: "2027年节假日与调休安排尚未录入，办结时间只扣除了周末，请人工核对后再告知市民。",
      },
    ]);
  });

  it("the same date with 2027 added to a calendar file counts its holidays, without a warning", () => {
    const { years, issues } = calendarFile(TEST_CALENDAR_YAML);
    expect(issues).toEqual([]);
    const extended = buildWorkCalendar(source, years);
    expect(extended.coveredThrough()).toBe("2027-12-31");
    const deadlines = computeDeadlines(
      { ...base, receivedAt: new Date("2026-12-29T10:00:00+08:00"), type: "投诉", marketEntity: true },
      rules,
      extended,
    );
    // 12-30, 12-31, (元旦 01-01…01-03 off) 01-04, 01-05, 01-06.
    expect(deadlines.completeBy).toBe(new Date("2027-01-06T17:30:00+08:00").toISOString());
    expect(deadlines.warnings).toEqual([]);
  });

  it("the file's 春节 days are off and its 调休 Saturday is a working day", () => {
    const extended = buildWorkCalendar(source, calendarFile(TEST_CALENDAR_YAML).years);
    // Thursday 02-04: +1 = Friday 02-12 (02-05…02-11 off), +2 = Saturday 02-13 (调休), +3 = Monday 02-15.
    expect(extended.addWorkingDays("2027-02-04", 1)).toBe("2027-02-12");
    expect(extended.addWorkingDays("2027-02-04", 2)).toBe("2027-02-13");
    expect(extended.addWorkingDays("2027-02-04", 3)).toBe("2027-02-15");
    expect(calendar.addWorkingDays("2027-02-04", 3)).toBe("2027-02-09");
  });

  it("an entered year after a gap does not close the gap", () => {
    const [entry] = calendarFile(TEST_CALENDAR_YAML).years;
    if (!entry) throw new Error("test file has a year");
    const later = buildWorkCalendar(source, [{ ...entry, year: 2028, holidays: [], workdays: [] }]);
    expect(later.coveredThrough()).toBe("2026-12-31");
    expect(uncoveredYears("2026-12-30", "2028-01-04", later)).toEqual([2027]);
  });

  it("lists every uncovered year the span touches", () => {
    expect(uncoveredYears("2026-12-30", "2028-01-02", calendar)).toEqual([2027, 2028]);
    expect(uncoveredYears("2026-03-01", "2026-03-09", calendar)).toEqual([]);
  });

  it("years below 100 are counted in that year, not in 19xx (review #20)", () => {
    // 0050-03-05 is a Saturday (proleptic Gregorian); the next working day is Monday 0050-03-07.
    const deadlines = computeDeadlines(
      { ...base, receivedAt: new Date("0050-03-05T00:00:00Z"), type: "咨询" },
      rules,
      calendar,
    );
    expect(deadlines.completeBy).toBe("0050-03-07T09:30:00.000Z");
    expect(deadlines.warnings).toEqual(["calendar-not-covered:0050"]);
    expect(calendar.addWorkingDays("0099-12-31", 1)).toBe("0100-01-01");
  });
});

describe("calendar file checks", () => {
  const valid = (): CalendarYear => {
    const [entry] = calendarFile(TEST_CALENDAR_YAML).years;
    if (!entry) throw new Error("test file has a year");
    return entry;
  };

  it("accepts the complete test year", () => {
    expect(checkCalendarYear(valid())).toEqual([]);
  });

  it("refuses a day that is both off and working", () => {
    const entry = valid();
    const issues = checkCalendarYear({ ...entry, workdays: ["2027-01-02"] });
    expect(issues).toContain("2027: 2027-01-02 is both a day off (元旦) and a working day (调休)");
  });

  it("refuses an incomplete year, a weekday 调休 and a day outside the year", () => {
    const entry = valid();
    const issues = checkCalendarYear({
      ...entry,
      holidays: entry.holidays.filter((holiday) => holiday.name !== "春节"),
      workdays: ["2027-02-10", "2028-01-01"],
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        "2027 is incomplete: no 春节 (enter the whole notice)",
        "2027 调休: 2027-02-10 is a weekday (a make-up working day is a Saturday or Sunday)",
        "2027 调休: 2028-01-01 is not in 2027",
      ]),
    );
  });

  it("refuses impossible dates in the file", () => {
    const { years, issues } = calendarFile(
      TEST_CALENDAR_YAML.replace("2027-04-05, to: 2027-04-05", "2027-02-30, to: 2027-02-30"),
    );
    expect(years).toEqual([]);
    expect(issues.map((issue) => issue.message).join("\n")).toContain("expected a real date YYYY-MM-DD");
  });

  it("the shipped knowledge/calendar.yaml is valid and enters no year nobody published", () => {
    const { years, issues } = loadCalendarFile("knowledge/calendar.yaml");
    expect(issues).toEqual([]);
    expect(years.map((entry) => entry.year).filter((year) => year >= 2027)).toEqual([]);
  });
});

describe("crisis deadlines (natural days)", () => {
  const crisis = { name: "台风「海燕」" };

  it("related ordinary requests: 2 natural days, across a weekend", () => {
    // Friday 16:00 → Sunday 16:00 (natural days: the weekend counts).
    const receivedAt = new Date("2026-03-06T16:00:00+08:00");
    const deadlines = computeDeadlines({ ...base, receivedAt, type: "咨询", crisis }, rules, calendar);
    expect(deadlines).toMatchObject({
      rule: "crisis",
      completeBy: "2026-03-08T08:00:00.000Z",
      basis: "应急「台风海燕」相关·咨询：2个自然日",
      warnings: [],
    });
    // The standard response (24 h) comes before completion and stays.
    expect(deadlines.respondBy).toBe("2026-03-07T08:00:00.000Z");
  });

  it("related urgent complaints and help requests: 1 natural day, across midnight", () => {
    const receivedAt = new Date("2026-03-02T23:30:00+08:00");
    for (const type of ["投诉", "求助"] as const) {
      const deadlines = computeDeadlines(
        { ...base, receivedAt, type, dispatchWithinMinutes: 30, emergencyName: "树木倒伏", crisis },
        rules,
        calendar,
      );
      expect(deadlines).toMatchObject({
        rule: "crisis",
        respondBy: "2026-03-02T16:00:00.000Z",
        completeBy: "2026-03-03T15:30:00.000Z",
        basis: `应急「台风海燕」相关·${type}（紧急）：1个自然日；紧急项「树木倒伏」：30分钟内派单`,
      });
    }
  });

  it("a related non-urgent complaint gets 2 natural days; a related request whose normal limit is earlier keeps it", () => {
    const receivedAt = new Date("2026-03-02T10:00:00+08:00");
    const complaint = computeDeadlines({ ...base, receivedAt, type: "投诉", crisis }, rules, calendar);
    expect(complaint).toMatchObject({ rule: "crisis", completeBy: "2026-03-04T02:00:00.000Z" });
    // An urgent consultation: the emergency's 24 h come before the crisis's 2 natural days.
    const urgentConsultation = computeDeadlines(
      { ...base, receivedAt, type: "咨询", dispatchWithinMinutes: 60, crisis },
      rules,
      calendar,
    );
    expect(urgentConsultation).toMatchObject({ rule: "emergency", completeBy: "2026-03-03T02:00:00.000Z" });
    expect(urgentConsultation.basis).toContain("常规时限更早");
    // A 2135 consultation on a Monday: the next working day's close comes before 2 natural days.
    const business = computeDeadlines(
      { ...base, receivedAt, type: "咨询", marketEntity: true, crisis },
      rules,
      calendar,
    );
    expect(business).toMatchObject({ rule: "2135", completeBy: "2026-03-03T09:30:00.000Z" });
  });

  it("unrelated requests keep their normal rule during a crisis", () => {
    const receivedAt = new Date("2026-03-06T16:00:00+08:00");
    const normal = computeDeadlines(
      { ...base, receivedAt, type: "投诉", marketEntity: true },
      rules,
      calendar,
    );
    const unrelated = computeDeadlines(
      { ...base, receivedAt, type: "投诉", marketEntity: true, crisis: null },
      rules,
      calendar,
    );
    expect(unrelated).toEqual(normal);
    expect(unrelated.rule).toBe("2135");
  });
});

describe("calendarCoverage (/readyz)", () => {
  it("is ok while holiday data reaches 45 days ahead, not ok within 45 days of its end", () => {
    expect(calendarCoverage("2026-12-31", new Date("2026-11-01T00:00:00+08:00")).ok).toBe(true);
    expect(calendarCoverage("2026-12-31", new Date("2026-12-02T00:00:00+08:00"))).toEqual({
      coveredThrough: "2026-12-31",
      ok: false,
    });
  });
});
