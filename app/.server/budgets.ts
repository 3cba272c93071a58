import { and, eq, gt, lt, notExists, sql } from "drizzle-orm";
import { type BUDGET_SCOPES, budgetReservations, budgets, gradingJobs } from "#db/schema";
import { formatMicros, formatMicrosExact } from "~/domain/cost";
import { type Db, type DbLike, statement } from "./db";

/**
 * Monthly model budgets per team and per department. Spend is the ledger's cost in the calendar
 * month (UTC); open reservations hold the estimate of calls in flight. A call reserves its
 * estimated cost before it starts, inside one write-locked transaction, so a burst of concurrent
 * submissions, from any number of processes, cannot overshoot; it settles once its real cost is in
 * the ledger. The estimate must be an upper bound (e.g. priced at max output tokens), since the
 * check holds only for what was reserved.
 */

export type BudgetScope = (typeof BUDGET_SCOPES)[number];

export interface BudgetInput {
  scope: BudgetScope;
  scopeId: number;
  monthlyLimitMicros: number;
  /** Warn once this share of the limit is used (1–100). */
  warnPercent?: number;
}

export interface BudgetState {
  scope: BudgetScope;
  scopeId: number;
  limitMicros: number;
  warnPercent: number;
  /** Ledger cost in the calendar month (UTC) of `now`. */
  spentMicros: number;
  /** Open reservations: calls in flight whose cost is not in the ledger yet. */
  heldMicros: number;
  /** limit − spent − held; negative when real costs overshot their estimates. */
  remainingMicros: number;
  /** (spent + held) as a whole percentage of the limit, rounded down. */
  percent: number;
  /**
   * "blocked": spend reached the limit (live grading pauses until the month ends). "reserved": what is left is
   * held for calls in flight, so new attempts wait for them to settle. "warn": spent and held past warnPercent.
   */
  state: "ok" | "warn" | "reserved" | "blocked";
}

/** The budget rule: only spend blocks; money merely reserved makes new attempts wait. */
export function budgetLevel(spent: number, used: number, limit: number, warnPercent: number): BudgetState["state"] {
  if (spent >= limit) return "blocked";
  if (used >= limit) return "reserved";
  return used * 100 >= warnPercent * limit ? "warn" : "ok";
}

export type ReserveResult =
  | { ok: true; reservationId: number; warnings: string[] }
  /** `heldByOthers`: what is spent leaves room; reservations of calls in flight fill it (they settle soon). */
  | { ok: false; message: string; heldByOthers: boolean };

export interface Attribution {
  teamId: number | null;
  departmentId: number | null;
}

/** Creates or replaces the budget of one team or department. */
export function setBudget(database: DbLike, input: BudgetInput): void {
  const warnPercent = input.warnPercent ?? 80;
  if (!Number.isSafeInteger(input.monthlyLimitMicros) || input.monthlyLimitMicros < 0)
    throw new RangeError("monthlyLimitMicros must be a whole number of micro-dollars, 0 or more");
  if (!Number.isInteger(warnPercent) || warnPercent < 1 || warnPercent > 100)
    throw new RangeError("warnPercent must be a whole number from 1 to 100");
  const values = { monthlyLimitMicros: input.monthlyLimitMicros, warnPercent };
  database
    .insert(budgets)
    .values({ scope: input.scope, scopeId: input.scopeId, ...values })
    .onConflictDoUpdate({ target: [budgets.scope, budgets.scopeId], set: values })
    .run();
}

/** The calendar month (UTC) containing `now`: [start, end). */
export function monthWindow(now: Date): { start: Date; end: Date } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { start, end };
}

/**
 * The scope's ledger cost in the calendar month of `now`, from the running monthly totals the ledger's triggers keep
 * in the same transaction as every ledger write (ledger_team_rollup, migrations 0006 and 0010): a few rows, where
 * summing the month's ledger grew with it (57 ms per reservation at 100,000 rows, inside BEGIN IMMEDIATE).
 */
function spentMicros(database: DbLike, scope: BudgetScope, scopeId: number, now: Date): number {
  const { start } = monthWindow(now);
  const sql =
    scope === "team"
      ? "select coalesce(sum(cost_micros), 0) as total from ledger_team_rollup where grain = 'month' and period_start = ? and team_id = ?"
      : "select coalesce(sum(cost_micros), 0) as total from ledger_team_rollup where grain = 'month' and period_start = ? and department_id = ?";
  const row = statement(database, sql).get(start.getTime(), scopeId) as { total: number } | undefined;
  return row?.total ?? 0;
}

function heldMicros(database: DbLike, scope: BudgetScope, scopeId: number): number {
  const sql =
    scope === "team"
      ? "select coalesce(sum(amount_micros), 0) as total from budget_reservations where status = 'held' and team_id = ?"
      : "select coalesce(sum(amount_micros), 0) as total from budget_reservations where status = 'held' and department_id = ?";
  const row = statement(database, sql).get(scopeId) as { total: number } | undefined;
  return row?.total ?? 0;
}

function percentUsed(usedMicros: number, limitMicros: number): number {
  return limitMicros > 0 ? Math.floor((usedMicros * 100) / limitMicros) : 100;
}

/** Every budget that applies to a call attributed to this team and department: team first. */
export function budgetStatus(database: DbLike, who: Attribution & { now: Date }): BudgetState[] {
  const scopes: [BudgetScope, number | null][] = [
    ["team", who.teamId],
    ["department", who.departmentId],
  ];
  const states: BudgetState[] = [];
  for (const [scope, scopeId] of scopes) {
    if (scopeId === null) continue;
    const budget = statement(
      database,
      "select monthly_limit_micros as monthlyLimitMicros, warn_percent as warnPercent from budgets where scope = ? and scope_id = ?",
    ).get(scope, scopeId) as { monthlyLimitMicros: number; warnPercent: number } | undefined;
    if (!budget) continue;
    const spent = spentMicros(database, scope, scopeId, who.now);
    const held = heldMicros(database, scope, scopeId);
    const used = spent + held;
    const limit = budget.monthlyLimitMicros;
    states.push({
      scope,
      scopeId,
      limitMicros: limit,
      warnPercent: budget.warnPercent,
      spentMicros: spent,
      heldMicros: held,
      remainingMicros: limit - used,
      percent: percentUsed(used, limit),
      state: budgetLevel(spent, used, limit, budget.warnPercent),
    });
  }
  return states;
}

const OWNER: Record<BudgetScope, string> = { team: "Your team's", department: "Your department's" };

function resetDay(now: Date): string {
  const { end } = monthWindow(now);
  const sameYear = end.getUTCFullYear() === now.getUTCFullYear();
  return end.toLocaleDateString("en-GB", {
    day: "numeric",
    month: "long",
    year: sameYear ? undefined : "numeric",
    timeZone: "UTC",
  });
}

/**
 * Why an attempt cannot be graded live, in the learner's words. "Used up" only when spend has reached the limit;
 * money reserved for attempts in flight is named as such, and amounts are exact where rounding would mislead.
 */
function refusal(state: BudgetState, amountMicros: number, now: Date): string {
  const budget = `${OWNER[state.scope]} monthly model budget (${formatMicros(state.limitMicros)})`;
  const fallback = "your attempt is graded by the offline judge instead.";
  if (state.spentMicros >= state.limitMicros)
    return `${budget} is used up: live grading is paused until ${resetDay(now)}; ${fallback}`;
  const left = state.limitMicros - state.spentMicros;
  if (left >= amountMicros)
    return (
      `${budget} has ${formatMicrosExact(left)} unspent, but ${formatMicrosExact(state.heldMicros)} of it is ` +
      `reserved for attempts being graded right now, and this attempt may cost up to ${formatMicrosExact(amountMicros)}.`
    );
  return (
    `${budget} has ${formatMicrosExact(left)} left, less than this attempt may cost ` +
    `(${formatMicrosExact(amountMicros)}): ${fallback} The budget renews on ${resetDay(now)}.`
  );
}

function warning(state: BudgetState, now: Date): string {
  return (
    `${OWNER[state.scope]} monthly model budget is ${state.percent}% used or reserved ` +
    `(${formatMicros(state.spentMicros)} spent and ${formatMicros(state.heldMicros)} reserved of ${formatMicros(state.limitMicros)}); ` +
    `live grading pauses when it runs out and resumes on ${resetDay(now)}.`
  );
}

/**
 * Holds `amountMicros` against the team and department budgets, or refuses with a sentence for the
 * learner naming the exhausted budget. Takes the database, not a transaction: the check and the
 * insert must run in their own BEGIN IMMEDIATE, which takes the write lock before reading, so two
 * connections can never both read the same remaining amount (a nested savepoint could not).
 */
export function reserve(
  database: Db,
  request: Attribution & { attemptId: number | null; amountMicros: number; now: Date },
): ReserveResult {
  if (!Number.isSafeInteger(request.amountMicros) || request.amountMicros < 0)
    throw new RangeError("amountMicros must be a whole number of micro-dollars, 0 or more");
  return database.transaction(
    (tx): ReserveResult => {
      const states = budgetStatus(tx, request);
      const exhausted = states.find((s) => s.remainingMicros < request.amountMicros);
      if (exhausted) {
        const heldByOthers = exhausted.limitMicros - exhausted.spentMicros >= request.amountMicros;
        return { ok: false, message: refusal(exhausted, request.amountMicros, request.now), heldByOthers };
      }
      const row = statement(
        tx,
        `insert into budget_reservations (team_id, department_id, attempt_id, amount_micros, created_at)
         values (?, ?, ?, ?, ?) returning id`,
      ).get(request.teamId, request.departmentId, request.attemptId, request.amountMicros, request.now.getTime()) as {
        id: number;
      };
      const after = states.map((s) => {
        const used = s.limitMicros - s.remainingMicros + request.amountMicros;
        const heldMicros = s.heldMicros + request.amountMicros;
        return { ...s, heldMicros, remainingMicros: s.limitMicros - used, percent: percentUsed(used, s.limitMicros) };
      });
      const warnings = after.filter((s) => s.percent >= s.warnPercent).map((s) => warning(s, request.now));
      return { ok: true, reservationId: row.id, warnings };
    },
    { behavior: "immediate" },
  );
}

function close(database: DbLike, reservationId: number, status: "settled" | "released"): boolean {
  // Once per live attempt, in the transaction that scores it: prepared once per connection.
  const sql = "update budget_reservations set status = ? where id = ? and status = 'held'";
  return statement(database, sql).run(status, reservationId).changes === 1;
}

/**
 * Ends a hold once the call's real cost is in the ledger. Write the ledger row and settle in one
 * transaction where possible; in between, the cost counts twice, which errs on the safe side.
 * Returns false if the reservation was not held (already settled, released or unknown).
 */
export function settle(database: DbLike, reservationId: number): boolean {
  return close(database, reservationId, "settled");
}

/** Ends a hold for a call that never happened (a cache hit, an error before sending, a skipped judge). */
export function release(database: DbLike, reservationId: number): boolean {
  return close(database, reservationId, "released");
}

/**
 * Releases holds older than `olderThanMs`, left by a worker that died mid-call; returns how many. A hold whose
 * grading job is leased right now belongs to a live worker (a long run of retries can outlast any fixed age), so it
 * is kept: releasing it would let other calls spend the money that run is about to.
 */
export function releaseStale(database: DbLike, olderThanMs: number, now: Date = new Date()): number {
  const cutoff = new Date(now.getTime() - olderThanMs);
  const leased = database
    .select({ one: sql`1` })
    .from(gradingJobs)
    .where(and(eq(gradingJobs.attemptId, budgetReservations.attemptId), gt(gradingJobs.leaseUntil, now)));
  return database
    .update(budgetReservations)
    .set({ status: "released" })
    .where(and(eq(budgetReservations.status, "held"), lt(budgetReservations.createdAt, cutoff), notExists(leased)))
    .run().changes;
}
