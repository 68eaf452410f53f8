import { z } from "zod";
import type { WorkCalendar } from "./calendar";
import type { RequestType } from "./classifier/rules";

export type { WorkCalendar } from "./calendar";

const DaysByType = z.strictObject({
  咨询: z.number().int().min(0),
  求助: z.number().int().min(0),
  投诉: z.number().int().min(0),
  举报: z.number().int().min(0),
  建议: z.number().int().min(0),
  表扬: z.number().int().min(0),
});

const RequestTypeSchema = z.enum(["咨询", "求助", "投诉", "举报", "建议", "表扬"]);

/** knowledge/rules.yaml: handling-time rules. */
export const HandlingRulesSchema = z.strictObject({
  /** "2135": business (市场主体) requests answered within 2 h, closed in 1/3/5 working days by type. */
  business2135: z.strictObject({
    respondWithinHours: z.number().positive(),
    completeWithinWorkingDays: DaysByType,
  }),
  /** Everything else: the centre's own table (to be confirmed by the centre). */
  standard: z.strictObject({
    respondWithinHours: z.number().positive(),
    completeWithinWorkingDays: DaysByType,
  }),
  emergency: z.strictObject({ completeWithinHours: z.number().positive() }),
  /** Close of business, China time, for "within N working days". */
  endOfWorkday: z.string().regex(/^\d{2}:\d{2}$/),
  /**
   * During a declared crisis, requests related to it are closed within natural days (weekends and
   * holidays included): urgent requests of `urgentTypes` faster. Unrelated requests keep their rule.
   */
  crisis: z.strictObject({
    completeWithinNaturalDays: z.number().int().positive(),
    urgentCompleteWithinNaturalDays: z.number().int().positive(),
    urgentTypes: z.array(RequestTypeSchema).min(1),
  }),
  /**
   * Precision a head must reach on held-out data before the console preselects or auto-fills a
   * field (absent: 0.95 and 0.85, see #domain/classifier/automation).
   */
  automation: z
    .strictObject({ autoFill: z.number().min(0).max(1), preselect: z.number().min(0).max(1) })
    .refine((targets) => targets.autoFill >= targets.preselect, "autoFill must be at least preselect")
    .optional(),
});
export type HandlingRules = z.infer<typeof HandlingRulesSchema>;

export interface DeadlineWarning {
  /** Stable code, e.g. `calendar-not-covered:2027`. */
  code: string;
  /** What the agent must know, in Chinese. */
  message: string;
}

export interface Deadlines {
  respondBy: string;
  completeBy: string;
  rule: "2135" | "emergency" | "standard" | "crisis";
  /** Why these times, in Chinese, e.g. "市场主体·咨询：1个工作日（2135）". */
  basis: string;
  /** `calendar-not-covered:YYYY` for each year the count crossed without holiday data. */
  warnings: string[];
  /** The same warnings with a Chinese message each, for the agent. */
  warningDetails: DeadlineWarning[];
}

/** The Chinese message shown with a warning code. */
export function warningMessage(code: string): string {
  const year = code.startsWith("calendar-not-covered:") ? code.slice("calendar-not-covered:".length) : null;
  return year ? `${year}年节假日与调休安排尚未录入，办结时间只扣除了周末，请人工核对后再告知市民。` : code;
}

/**
 * Years between two days (inclusive) whose holidays the calendar does not know: a working-day
 * count across them treated every holiday and 调休 day of that year as an ordinary day.
 */
export function uncoveredYears(
  fromDay: string,
  toDay: string,
  calendar: Pick<WorkCalendar, "covers">,
): number[] {
  const years: number[] = [];
  for (let year = Number(fromDay.slice(0, 4)); year <= Number(toDay.slice(0, 4)); year++) {
    if (!calendar.covers(year)) years.push(year);
  }
  return years;
}

const CHINA_OFFSET_MS = 8 * 3600_000;
const HOUR_MS = 3600_000;

/** The day in China (UTC+8, no daylight saving) of an instant; exact for any 4-digit year. */
function chinaDay(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

function atChinaTime(day: string, time: string): Date {
  return new Date(`${day}T${time}:00+08:00`);
}

/** The crisis a request is related to (see crisisRelation), by name. */
export interface RelatedCrisis {
  name: string;
}

/**
 * Response and completion deadlines, with their basis in Chinese.
 * - Related to a declared crisis: closed within natural days (urgent 投诉/求助 faster) when that
 *   is earlier than the normal limit below (the crisis rule only ever shortens); an emergency
 *   still has its dispatch time as the response limit.
 * - Emergencies: respond within the list's dispatch time, close within the emergency hours.
 * - Business (市场主体) requests: the 2135 rule; otherwise the standard table.
 * "N working days" ends at close of business on the Nth working day after the day received
 * (holidays and 调休 from the calendar).
 *
 * @example
 * computeDeadlines({ receivedAt, type: "咨询", marketEntity: true, dispatchWithinMinutes: null }, rules, calendar);
 * // { respondBy: receivedAt + 2 h, completeBy: next working day 17:30, rule: "2135", basis: "市场主体·咨询：1个工作日（2135）" }
 */
export function computeDeadlines(
  input: {
    receivedAt: Date;
    type: RequestType;
    marketEntity: boolean;
    /** Set when the request is urgent: the dispatch limit in minutes. */
    dispatchWithinMinutes: number | null;
    /** The matched emergency-list item, for the basis. */
    emergencyName?: string | null;
    /** The active crisis this request is related to, if any. */
    crisis?: RelatedCrisis | null;
  },
  rules: HandlingRules,
  calendar: WorkCalendar,
): Deadlines {
  const received = input.receivedAt.getTime();
  const after = (hours: number) => new Date(received + hours * HOUR_MS);
  const warnings: string[] = [];
  const workingDays = (days: number) => {
    const fromDay = chinaDay(input.receivedAt);
    const dueDay = calendar.addWorkingDays(fromDay, days);
    for (const year of uncoveredYears(fromDay, dueDay, calendar))
      warnings.push(`calendar-not-covered:${String(year).padStart(4, "0")}`);
    return atChinaTime(dueDay, rules.endOfWorkday);
  };
  const result = (
    deadlines: Omit<Deadlines, "warnings" | "warningDetails" | "respondBy" | "completeBy"> & {
      respondBy: Date;
      completeBy: Date;
    },
  ): Deadlines => ({
    ...deadlines,
    respondBy: deadlines.respondBy.toISOString(),
    completeBy: deadlines.completeBy.toISOString(),
    warnings,
    warningDetails: warnings.map((code) => ({ code, message: warningMessage(code) })),
  });

  const urgent = input.dispatchWithinMinutes !== null;
  const dispatchBasis = urgent
    ? `${input.emergencyName ? `紧急项「${input.emergencyName}」` : "紧急诉求"}：${input.dispatchWithinMinutes}分钟内派单`
    : "";
  const normalRule = input.marketEntity ? rules.business2135 : rules.standard;

  const normal = normalDeadlines();
  if (!input.crisis) return result(normal);
  // The crisis rule exists to shorten limits: a related request whose normal limit is already
  // earlier (an emergency's 24 h, a 2135 consultation's next working day) keeps it.
  const fast = urgent && rules.crisis.urgentTypes.includes(input.type);
  const days = fast ? rules.crisis.urgentCompleteWithinNaturalDays : rules.crisis.completeWithinNaturalDays;
  const crisisCompleteBy = after(days * 24);
  const name = input.crisis.name.replace(/[「」]/g, "");
  if (crisisCompleteBy.getTime() > normal.completeBy.getTime()) {
    return result({ ...normal, basis: `${normal.basis}（应急「${name}」相关，常规时限更早，按常规时限）` });
  }
  // The count in working days was not used: its calendar warnings do not apply.
  warnings.length = 0;
  return result({
    rule: "crisis",
    respondBy: new Date(Math.min(crisisCompleteBy.getTime(), normal.respondBy.getTime())),
    completeBy: crisisCompleteBy,
    basis: [`应急「${name}」相关·${input.type}${urgent ? "（紧急）" : ""}：${days}个自然日`, dispatchBasis]
      .filter(Boolean)
      .join("；"),
  });

  function normalDeadlines() {
    if (input.dispatchWithinMinutes !== null) {
      return {
        rule: "emergency" as const,
        respondBy: after(input.dispatchWithinMinutes / 60),
        completeBy: after(rules.emergency.completeWithinHours),
        basis: `${dispatchBasis}，${rules.emergency.completeWithinHours}小时内处置反馈`,
      };
    }
    const workingDaysDue = normalRule.completeWithinWorkingDays[input.type];
    return {
      rule: input.marketEntity ? ("2135" as const) : ("standard" as const),
      respondBy: after(normalRule.respondWithinHours),
      completeBy: workingDays(workingDaysDue),
      basis: input.marketEntity
        ? `市场主体·${input.type}：${workingDaysDue}个工作日（2135）`
        : `一般诉求·${input.type}：${workingDaysDue}个工作日（本中心设定）`,
    };
  }
}

/** Days before the end of holiday data from which `/readyz` reports the calendar as not ok. */
export const CALENDAR_WARNING_DAYS = 45;

/**
 * Whether the working-day calendar still covers the coming weeks: false once its last covered day
 * is fewer than CALENDAR_WARNING_DAYS days away (the next year's notice must be entered).
 */
export function calendarCoverage(coveredThrough: string, now: Date): { coveredThrough: string; ok: boolean } {
  const end = new Date(`${coveredThrough}T23:59:59+08:00`).getTime();
  return { coveredThrough, ok: end - now.getTime() >= CALENDAR_WARNING_DAYS * 86_400_000 };
}
