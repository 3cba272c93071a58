/**
 * Time windows, in UTC. Leaderboard windows are calendar periods ("this week" starts on Monday
 * 00:00 UTC, "this month" on the 1st, like budgets), so everyone competes over the same period.
 */

export const WINDOWS = ["week", "month", "all"] as const;
export type Window = (typeof WINDOWS)[number];

const DAY = 24 * 3600 * 1000;

/** Monday 00:00 UTC of the ISO week that holds `date`. */
export function weekStart(date: Date): Date {
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const daysSinceMonday = (date.getUTCDay() + 6) % 7;
  return new Date(midnight - daysSinceMonday * DAY);
}

/** The first instant of the window holding `now`, or null for all time. */
export function windowStart(window: Window, now: Date): Date | null {
  if (window === "week") return weekStart(now);
  if (window === "month") return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  return null;
}

/** ISO 8601 week label, e.g. "2026-W12" (the ISO year is the year of the week's Thursday). */
export function isoWeekKey(date: Date): string {
  const thursday = new Date(weekStart(date).getTime() + 3 * DAY);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY)) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

export interface Week {
  key: string;
  start: Date;
}

/** The last `count` ISO weeks up to and including the one holding `now`, oldest first. */
export function lastWeeks(now: Date, count: number): Week[] {
  const current = weekStart(now).getTime();
  return Array.from({ length: count }, (_, i) => {
    const start = new Date(current - (count - 1 - i) * 7 * DAY);
    return { key: isoWeekKey(start), start };
  });
}
