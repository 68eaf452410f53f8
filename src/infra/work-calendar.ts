import chineseDays from "chinese-days";

// chinese-days is CommonJS (a UMD bundle): named ESM imports fail at run time, the default works.
const { findWorkday, isWorkday } = chineseDays;

import type { WorkCalendar } from "#domain/deadlines";

/**
 * Working days of mainland China with public holidays and 调休 make-up days (chinese-days ships
 * the State Council's published schedules).
 */
export function createChineseWorkCalendar(): WorkCalendar {
  return {
    addWorkingDays: (date, days) => {
      if (days === 0) return isWorkday(date) ? date : findWorkday(1, date);
      return findWorkday(days, date);
    },
  };
}
