import { describe, expect, it } from "vitest";
import { detectSpikes, type KeyedEvent } from "#domain/analytics/spikes";

const now = new Date("2026-12-02T12:00:00+08:00");
const HOUR = 3_600_000;

/** `count` events of `key` spread over the 24 h window that ended `weeksAgo` weeks before now. */
function events(key: string, count: number, weeksAgo: number): KeyedEvent[] {
  const end = now.getTime() - weeksAgo * 7 * 24 * HOUR;
  return Array.from({ length: count }, (_, index) => ({
    key,
    at: new Date(end - ((index + 0.5) * 24 * HOUR) / count),
  }));
}

describe("detectSpikes", () => {
  it("raises a key far above its usual level for the same time of the week, with the evidence", () => {
    const history = [
      ...events("department:gas", 30, 0),
      ...events("department:gas", 3, 1),
      ...events("department:gas", 2, 2),
      ...events("department:gas", 4, 3),
      ...events("department:gas", 3, 4),
    ];
    const [spike, ...rest] = detectSpikes(history, now);
    expect(rest).toEqual([]);
    expect(spike).toMatchObject({ key: "department:gas", count: 30, usual: 3, previous: [3, 4, 2, 3] });
  });

  it("does not alert on a key that is always this busy (seasonality), nor on a few calls about something new", () => {
    const busyEveryWeek = [0, 1, 2, 3, 4].flatMap((week) => events("department:rsj", 40 + week, week));
    const small = events("district:阳西县", 4, 0);
    expect(detectSpikes([...busyEveryWeek, ...small], now)).toEqual([]);
  });

  it("alerts on something new once it is more than a handful", () => {
    expect(detectSpikes(events("topic:t-9", 8, 0), now).map((spike) => spike.key)).toEqual(["topic:t-9"]);
  });

  it("ignores events outside the compared windows", () => {
    const justBefore = [{ key: "category:x", at: new Date(now.getTime() - 30 * HOUR) }];
    expect(detectSpikes([...justBefore, ...events("category:x", 2, 0)], now)).toEqual([]);
  });
});
