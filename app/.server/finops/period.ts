import { z } from "zod";
import { monthWindow } from "~/.server/budgets";
import { parseParams } from "~/lib/params";

/**
 * A reporting period [from, to) of whole UTC days, chosen in the URL as `from` and `to`
 * (YYYY-MM-DD, `to` not included). Either bound defaults to the current calendar month's, so no
 * parameters means "this month" and `from=2025-10-01` alone means "since 1 October".
 */
export interface Period {
  from: Date;
  to: Date;
  /** The bounds as given in the URL, for links and file names. */
  fromDate: string;
  toDate: string;
}

/** A year and a day: enough for an annual report, small enough that a FOCUS export fits in memory. */
export const MAX_PERIOD_DAYS = 366;
const DAY_MS = 86_400_000;

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

const day = z.preprocess(
  (v) => (v === "" ? undefined : v),
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date as YYYY-MM-DD")
    .refine((s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && isoDay(d) === s;
    }, "is not a calendar date")
    .optional(),
);

function periodSchema(now: Date) {
  const month = monthWindow(now);
  return z
    .object({ from: day, to: day })
    .transform(({ from, to }) => ({ fromDate: from ?? isoDay(month.start), toDate: to ?? isoDay(month.end) }))
    .refine((p) => p.fromDate < p.toDate, { path: ["to"], message: "must be after `from` (the period is [from, to))" })
    .refine((p) => Date.parse(p.toDate) - Date.parse(p.fromDate) <= MAX_PERIOD_DAYS * DAY_MS, {
      path: ["to"],
      message: `the period may span at most ${MAX_PERIOD_DAYS} days`,
    });
}

/** The period in a request's search params; a malformed one is a 400 naming the parameter. */
export function parsePeriod(url: URL, now: Date = new Date()): Period {
  const { fromDate, toDate } = parseParams(periodSchema(now), {
    from: url.searchParams.get("from") ?? undefined,
    to: url.searchParams.get("to") ?? undefined,
  });
  return { from: new Date(`${fromDate}T00:00:00Z`), to: new Date(`${toDate}T00:00:00Z`), fromDate, toDate };
}

/** The query string that selects the same period (for export links). */
export function periodQuery(period: Pick<Period, "fromDate" | "toDate">): string {
  return new URLSearchParams({ from: period.fromDate, to: period.toDate }).toString();
}
