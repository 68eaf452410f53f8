import chineseDays from "chinese-days";

// chinese-days is CommonJS (a UMD bundle): named ESM imports fail at run time, the default works.
const { findWorkday, isHoliday, isWorkday } = chineseDays;

import type { WorkCalendar } from "#domain/deadlines";

/**
 * Working days of mainland China with public holidays and 调休 make-up days (chinese-days ships
 * the State Council's published schedules).
 */
export function createChineseWorkCalendar(): WorkCalendar {
  const coveredThrough = `${lastYearWithHolidayData()}-12-31`;
  return {
    coveredThrough: () => coveredThrough,
    addWorkingDays: (date, days) => {
      if (days === 0) return isWorkday(date) ? date : findWorkday(1, date);
      return findWorkday(days, date);
    },
  };
}

/**
 * The newest year whose State Council schedule chinese-days ships: a year with data has weekdays
 * that are holidays (春节 always falls partly on weekdays); without data only weekends are days off.
 */
function lastYearWithHolidayData(): number {
  let year = new Date().getUTCFullYear() + 2;
  while (year > 2004 && !hasWeekdayHoliday(year)) year--;
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
