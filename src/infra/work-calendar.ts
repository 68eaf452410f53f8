import chineseDays from "chinese-days";

// chinese-days is CommonJS (a UMD bundle): named ESM imports fail at run time, the default works.
const { isHoliday, isWorkday } = chineseDays;

import type { HolidaySource } from "#domain/calendar";

/** chinese-days' first year of State Council schedules. */
const FIRST_YEAR = 2004;

/**
 * The State Council's published 放假/调休 schedules as chinese-days ships them (2004 through its
 * newest year). Only day lookups are used: the day arithmetic is the domain's, exact for any year
 * (chinese-days' own findWorkday builds dates with `new Date(y, …)`, wrong below year 100).
 */
export function createChineseHolidaySource(): HolidaySource {
  return {
    firstYear: FIRST_YEAR,
    lastYear: lastYearWithHolidayData(),
    isWorkingDay: (day) => isWorkday(day),
  };
}

/**
 * The newest year whose State Council schedule chinese-days ships: a year with data has weekdays
 * that are holidays (春节 always falls partly on weekdays); without data only weekends are days off.
 */
function lastYearWithHolidayData(): number {
  let year = new Date().getUTCFullYear() + 2;
  while (year > FIRST_YEAR && !hasWeekdayHoliday(year)) year--;
  return year;
}

function hasWeekdayHoliday(year: number): boolean {
  for (
    let day = new Date(Date.UTC(year, 0, 1));
    day.getUTCFullYear() === year;
    day.setUTCDate(day.getUTCDate() + 1)
  ) {
    const weekday = day.getUTCDay();
    if (weekday !== 0 && weekday !== 6 && isHoliday(day.toISOString().slice(0, 10))) return true;
  }
  return false;
}
