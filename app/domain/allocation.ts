import type { Attribution, SplitKey } from "./attribution";

/**
 * Turns each day's usage per dimension combination into usage per team, exactly: every figure of every input
 * cell ends up, whole, in output cells, so allocated + unallocated = imported to the micro-dollar and the token.
 * Direct attributions move a cell as it is; a shared one is split between its teams by largest remainders
 * (each team gets the floor of its proportional share, the leftover units go to the largest fractions, ties to
 * the lower team id), figure by figure, in integer arithmetic.
 */

export const SUM_FIELDS = [
  "calls",
  "inputTokens",
  "cachedInputTokens",
  "outputTokens",
  "costMicros",
  "meteredCostMicros",
  "meteredInputTokens",
  "meteredCachedInputTokens",
  "meteredOutputTokens",
] as const;
export type SumField = (typeof SUM_FIELDS)[number];
export type Sums = Record<SumField, number>;

export const ZERO_SUMS: Sums = Object.fromEntries(SUM_FIELDS.map((f) => [f, 0])) as Sums;

export function addSums(a: Sums, b: Sums): Sums {
  const out = { ...a };
  for (const f of SUM_FIELDS) out[f] += b[f];
  return out;
}

export interface DimDay extends Sums {
  day: number;
  dimId: number;
}

/** A piece of one dimension combination's day, allocated to a team (0: none) and department (0: none). */
export interface AllocatedCell extends Sums {
  day: number;
  dimId: number;
  teamId: number;
  departmentId: number;
}

/**
 * Splits `amount` into integers proportional to `weights` (non-negative, some positive) that sum to it exactly.
 * Negative amounts (credits) split as the negation of their absolute value's split.
 */
export function largestRemainder(amount: number, weights: readonly number[]): number[] {
  if (amount < 0) return largestRemainder(-amount, weights).map((x) => (x === 0 ? 0 : -x));
  const total = weights.reduce((s, w) => s + BigInt(w), 0n);
  if (total === 0n) throw new RangeError("largestRemainder needs a positive weight");
  const a = BigInt(amount);
  const shares = weights.map((w, i) => {
    const exact = a * BigInt(w);
    return { i, base: exact / total, rest: exact % total };
  });
  let left = a - shares.reduce((s, x) => s + x.base, 0n);
  const order = [...shares].sort((x, y) => (y.rest > x.rest ? 1 : y.rest < x.rest ? -1 : x.i - y.i));
  for (const s of order) {
    if (left === 0n) break;
    s.base += 1n;
    left -= 1n;
  }
  return shares.map((s) => Number(s.base));
}

function weightOf(sums: Sums, key: SplitKey): number {
  if (key === "calls") return Math.max(0, sums.calls);
  if (key === "tokens") return Math.max(0, sums.inputTokens + sums.outputTokens);
  if (key === "cost") return Math.max(0, sums.costMicros);
  return 1;
}

/**
 * Allocates a set of days' cells. `attributionOf` says where each dimension combination goes; `departmentOf` gives
 * a shared team's department. Output cells are per day, dimension combination, team and department.
 */
export function allocate(
  cells: readonly DimDay[],
  attributionOf: (dimId: number) => Attribution,
  departmentOf: (teamId: number) => number,
): AllocatedCell[] {
  const out: AllocatedCell[] = [];
  const byDay = new Map<number, DimDay[]>();
  for (const c of cells) {
    const list = byDay.get(c.day);
    if (list) list.push(c);
    else byDay.set(c.day, [c]);
  }
  for (const [day, dayCells] of byDay) {
    // What each team used directly that day: the weights of shared splits.
    const direct = new Map<number, Sums>();
    const shared: { cell: DimDay; a: Extract<Attribution, { kind: "shared" }> }[] = [];
    for (const cell of dayCells) {
      const a = attributionOf(cell.dimId);
      const sums = pick(cell);
      if (a.kind === "direct") {
        out.push({ ...sums, day, dimId: cell.dimId, teamId: a.teamId ?? 0, departmentId: a.departmentId });
        if (a.teamId !== null) direct.set(a.teamId, addSums(direct.get(a.teamId) ?? ZERO_SUMS, sums));
      } else if (a.kind === "shared") shared.push({ cell, a });
      else out.push({ ...sums, day, dimId: cell.dimId, teamId: 0, departmentId: 0 });
    }
    for (const { cell, a } of shared) {
      let weights = a.teamIds.map((t) => weightOf(direct.get(t) ?? ZERO_SUMS, a.splitBy));
      if (weights.every((w) => w === 0)) weights = a.teamIds.map(() => 1);
      const pieces = a.teamIds.map((teamId) => ({
        ...ZERO_SUMS,
        day,
        dimId: cell.dimId,
        teamId,
        departmentId: departmentOf(teamId),
      }));
      for (const f of SUM_FIELDS) {
        const split = largestRemainder(cell[f], weights);
        split.forEach((v, i) => {
          pieces[i][f] = v;
        });
      }
      out.push(...pieces);
    }
  }
  return out;
}

function pick(c: Sums): Sums {
  const out = { ...ZERO_SUMS };
  for (const f of SUM_FIELDS) out[f] = c[f];
  return out;
}
