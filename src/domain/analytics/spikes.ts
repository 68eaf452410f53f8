/**
 * Spike alerts: a category, department, district or topic whose count in the latest window is far
 * above its usual level for that time of the week. The usual level is the mean of the same window
 * (same weekday and hours) in previous weeks, so a Monday-morning rush is not an alert; the bar is
 * a Poisson-style margin over that mean (counts are small integers, a normal approximation of
 * their spread would fire on noise).
 */

export interface SpikeOptions {
  /** Length of the window that is compared, in hours. */
  readonly windowHours: number;
  /** How many previous weeks make the usual level. */
  readonly baselineWeeks: number;
  /** Standard deviations above the usual level. */
  readonly threshold: number;
  /** Fewer requests than this are never an alert. */
  readonly minCount: number;
  /** At least this many times the usual level. */
  readonly minRatio: number;
}

export const DEFAULT_SPIKES: SpikeOptions = {
  windowHours: 24,
  baselineWeeks: 4,
  threshold: 3,
  minCount: 5,
  minRatio: 2,
};

export interface KeyedEvent {
  /** e.g. "department:zjj", "category:城乡建设/物业管理", "district:江城区", "topic:t-12". */
  readonly key: string;
  readonly at: Date;
}

export interface Spike {
  readonly key: string;
  readonly count: number;
  /** Mean count of the same window in the baseline weeks. */
  readonly usual: number;
  /** The counts of those weeks, oldest first: the evidence. */
  readonly previous: number[];
  readonly ratio: number;
  readonly windowStart: Date;
  readonly windowEnd: Date;
}

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;

/**
 * @example
 * detectSpikes(events, new Date("2026-12-02T10:00:00+08:00")); // [{ key: "department:gas", count: 31, usual: 2.5, … }]
 */
export function detectSpikes(
  events: readonly KeyedEvent[],
  now: Date,
  options: SpikeOptions = DEFAULT_SPIKES,
): Spike[] {
  const windowMs = options.windowHours * HOUR_MS;
  const windowEnd = now.getTime();
  const windowStart = windowEnd - windowMs;
  // counts[key][0] is the current window, counts[key][w] the same window w weeks earlier.
  const counts = new Map<string, number[]>();
  for (const event of events) {
    const at = event.at.getTime();
    for (let week = 0; week <= options.baselineWeeks; week += 1) {
      const end = windowEnd - week * WEEK_MS;
      if (at > end - windowMs && at <= end) {
        const row = counts.get(event.key) ?? new Array<number>(options.baselineWeeks + 1).fill(0);
        row[week] = (row[week] ?? 0) + 1;
        counts.set(event.key, row);
        break;
      }
    }
  }
  const spikes: Spike[] = [];
  for (const [key, row] of counts) {
    const count = row[0] ?? 0;
    const previous = row.slice(1).reverse();
    const usual = previous.reduce((sum, value) => sum + value, 0) / Math.max(1, previous.length);
    const variance =
      previous.reduce((sum, value) => sum + (value - usual) ** 2, 0) / Math.max(1, previous.length);
    // A quiet key (usual 0) still needs minCount; a Poisson floor keeps one busy week from hiding the spread.
    const bar = usual + options.threshold * Math.sqrt(Math.max(variance, usual, 1));
    const ratio = count / Math.max(usual, 0.5);
    if (count >= options.minCount && count > bar && ratio >= options.minRatio) {
      spikes.push({
        key,
        count,
        usual: Math.round(usual * 100) / 100,
        previous,
        ratio: Math.round(ratio * 100) / 100,
        windowStart: new Date(windowStart),
        windowEnd: new Date(windowEnd),
      });
    }
  }
  return spikes.sort((left, right) => right.ratio - left.ratio || right.count - left.count);
}
