import { describe, expect, it } from "vitest";
import { calendarCoverage, computeDeadlines, uncoveredYears, type WorkCalendar } from "#domain/deadlines";
import { createChineseWorkCalendar } from "#infra/work-calendar";
import { fixtureBundle } from "../../fixtures/knowledge-bundle";

const rules = fixtureBundle().rules;
if (!rules) throw new Error("fixture has rules");
const calendar = createChineseWorkCalendar();
const base = { marketEntity: false, dispatchWithinMinutes: null, crisisMode: false } as const;

describe("computeDeadlines", () => {
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
      warnings: [],
    });
  });

  it.each([
    ["求助", 3, "2026-03-05"],
    ["投诉", 5, "2026-03-09"],
    ["举报", 5, "2026-03-09"],
  ] as const)("2135: %s closed in %i working days", (type, _days, day) => {
    const deadlines = computeDeadlines(
      { ...base, receivedAt: new Date("2026-03-02T10:00:00+08:00"), type, marketEntity: true },
      rules,
      calendar,
    );
    expect(deadlines.completeBy).toBe(new Date(`${day}T17:30:00+08:00`).toISOString());
  });

  it("counts a 调休 Saturday as a working day", () => {
    // 2026-10-10 (Saturday) is a make-up working day after the National Day holiday.
    expect(calendar.addWorkingDays("2026-10-09", 1)).toBe("2026-10-10");
  });

  it("emergencies respond within the list's dispatch time", () => {
    const deadlines = computeDeadlines(
      { ...base, receivedAt: new Date("2026-03-02T10:00:00+08:00"), type: "求助", dispatchWithinMinutes: 10 },
      rules,
      calendar,
    );
    expect(deadlines).toMatchObject({ rule: "emergency", respondBy: "2026-03-02T02:10:00.000Z" });
  });

  it("crisis mode halves every limit", () => {
    const normal = computeDeadlines(
      { ...base, receivedAt: new Date("2026-03-02T10:00:00+08:00"), type: "投诉" },
      rules,
      calendar,
    );
    const crisis = computeDeadlines(
      { ...base, receivedAt: new Date("2026-03-02T10:00:00+08:00"), type: "投诉", crisisMode: true },
      rules,
      calendar,
    );
    expect(new Date(crisis.respondBy).getTime() - new Date("2026-03-02T02:00:00Z").getTime()).toBe(
      12 * 3600_000,
    );
    expect(crisis.completeBy < normal.completeBy).toBe(true);
  });
});

describe("calendar coverage", () => {
  it("chinese-days covers 2026 (春节 2026-02-17 is a holiday) but not 2027", () => {
    expect(calendar.coveredThrough()).toBe("2026-12-31");
  });

  it("a deadline counted into 2027 without holiday data carries calendar-not-covered:2027", () => {
    const deadlines = computeDeadlines(
      { ...base, receivedAt: new Date("2026-12-29T10:00:00+08:00"), type: "投诉", marketEntity: true },
      rules,
      calendar,
    );
    expect(deadlines.warnings).toEqual(["calendar-not-covered:2027"]);
  });

  it("a deadline inside the covered year has no warning, also for the 春节 2026 holiday", () => {
    // 2026-02-13 (Friday) + 1 working day: 春节 runs 02-15..02-23, 02-14 (Saturday) is a 调休 working day.
    const deadlines = computeDeadlines(
      { ...base, receivedAt: new Date("2026-02-13T10:00:00+08:00"), type: "咨询", marketEntity: true },
      rules,
      calendar,
    );
    expect(deadlines.completeBy).toBe(new Date("2026-02-14T17:30:00+08:00").toISOString());
    expect(deadlines.warnings).toEqual([]);
  });

  it("a calendar that covers 2027 gives no warning for the same date", () => {
    const extended: WorkCalendar = { ...calendar, coveredThrough: () => "2027-12-31" };
    const deadlines = computeDeadlines(
      { ...base, receivedAt: new Date("2026-12-29T10:00:00+08:00"), type: "投诉", marketEntity: true },
      rules,
      extended,
    );
    expect(deadlines.warnings).toEqual([]);
  });

  it("lists every uncovered year the span touches", () => {
    expect(uncoveredYears("2026-12-30", "2028-01-02", "2026-12-31")).toEqual([2027, 2028]);
    expect(uncoveredYears("2026-03-01", "2026-03-09", "2026-12-31")).toEqual([]);
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
