import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AllocatedCell, allocate, type DimDay, largestRemainder, SUM_FIELDS, type Sums } from "./allocation";
import type { Attribution } from "./attribution";

const sumsArb = fc.record(
  Object.fromEntries(
    SUM_FIELDS.map((f) => [
      f,
      f === "costMicros" || f === "meteredCostMicros"
        ? fc.integer({ min: -5_000_000, max: 9_000_000_000_000 })
        : fc.integer({ min: 0, max: 2_000_000_000 }),
    ]),
  ) as Record<keyof Sums, fc.Arbitrary<number>>,
);

const DAYS = [0, 86_400_000, 2 * 86_400_000];
const TEAMS = [1, 2, 3, 4, 5];
const departmentOf = (team: number) => (team <= 2 ? 10 : 20);

const attributionArb: fc.Arbitrary<Attribution> = fc.oneof(
  fc.constant<Attribution>({ kind: "unallocated" }),
  fc
    .constantFrom(...TEAMS)
    .map((t): Attribution => ({ kind: "direct", teamId: t, departmentId: departmentOf(t), ruleId: 1 })),
  fc.constant<Attribution>({ kind: "direct", teamId: null, departmentId: 20, ruleId: 2 }),
  fc
    .record({
      teamIds: fc.uniqueArray(fc.constantFrom(...TEAMS), { minLength: 1, maxLength: 5 }),
      splitBy: fc.constantFrom("calls", "tokens", "cost", "equal" as const),
    })
    .map((s): Attribution => ({ kind: "shared", teamIds: [...s.teamIds].sort(), splitBy: s.splitBy, ruleId: 3 })),
);

const scenarioArb = fc
  .tuple(
    fc.array(attributionArb, { minLength: 1, maxLength: 8 }),
    fc.array(fc.tuple(fc.constantFrom(...DAYS), fc.nat(7), sumsArb), { maxLength: 40 }),
  )
  .map(([attributions, raw]) => {
    // One cell per (day, dim), as usage_dim_daily has them.
    const cells = new Map<string, DimDay>();
    for (const [day, d, sums] of raw)
      cells.set(`${day}:${d % attributions.length}`, { day, dimId: d % attributions.length, ...sums });
    return { attributions, cells: [...cells.values()] };
  });

function total(rows: Sums[], f: keyof Sums): bigint {
  return rows.reduce((s, r) => s + BigInt(r[f]), 0n);
}

describe("largestRemainder", () => {
  it("splits any amount exactly, each share within one unit of its exact proportion", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e15, max: 1e15 }),
        fc.array(fc.nat(1e9), { minLength: 1, maxLength: 12 }).filter((w) => w.some((x) => x > 0)),
        (amount, weights) => {
          const parts = largestRemainder(amount, weights);
          expect(parts.reduce((s, p) => s + BigInt(p), 0n)).toBe(BigInt(amount));
          const W = weights.reduce((s, w) => s + w, 0);
          parts.forEach((p, i) => {
            const exact = (amount * weights[i]) / W;
            expect(Math.abs(p - exact)).toBeLessThanOrEqual(1 + Math.abs(exact) * 1e-12);
          });
        },
      ),
    );
  });

  it("gives the leftover units to the largest remainders, ties to the first", () => {
    expect(largestRemainder(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(largestRemainder(-10, [1, 1, 1])).toEqual([-4, -3, -3]);
    expect(largestRemainder(100, [1, 2])).toEqual([33, 67]);
    expect(largestRemainder(0, [3, 4])).toEqual([0, 0]);
    expect(() => largestRemainder(5, [0, 0])).toThrow(RangeError);
  });
});

describe("allocate", () => {
  it("keeps every figure whole: allocated + unallocated = imported, per day and in total", () => {
    fc.assert(
      fc.property(scenarioArb, ({ attributions, cells }) => {
        const out = allocate(cells, (dim) => attributions[dim], departmentOf);
        for (const day of DAYS) {
          const inDay = cells.filter((c) => c.day === day);
          const outDay = out.filter((c) => c.day === day);
          for (const f of SUM_FIELDS) expect(total(outDay, f)).toBe(total(inDay, f));
        }
        for (const c of out) {
          if (c.teamId !== 0) expect(c.departmentId).toBe(departmentOf(c.teamId));
        }
      }),
    );
  });

  it("moves direct cells whole and sends unmatched ones to no team and no department", () => {
    const cells: DimDay[] = [
      { day: 0, dimId: 0, ...sums(100) },
      { day: 0, dimId: 1, ...sums(7) },
      { day: 0, dimId: 2, ...sums(5) },
    ];
    const attributions: Attribution[] = [
      { kind: "direct", teamId: 1, departmentId: 10, ruleId: 1 },
      { kind: "unallocated" },
      { kind: "direct", teamId: null, departmentId: 20, ruleId: 2 },
    ];
    const out = allocate(cells, (d) => attributions[d], departmentOf);
    expect(out.map((c) => [c.dimId, c.teamId, c.departmentId, c.costMicros])).toEqual([
      [0, 1, 10, 100],
      [1, 0, 0, 7],
      [2, 0, 20, 5],
    ]);
  });

  it("splits a shared cell by what each team used directly that day, equally when none used anything", () => {
    const attributions: Attribution[] = [
      { kind: "direct", teamId: 1, departmentId: 10, ruleId: 1 },
      { kind: "direct", teamId: 3, departmentId: 20, ruleId: 1 },
      { kind: "shared", teamIds: [1, 3], splitBy: "calls", ruleId: 2 },
    ];
    const cells: DimDay[] = [
      { day: 0, dimId: 0, ...sums(0), calls: 300 },
      { day: 0, dimId: 1, ...sums(0), calls: 100 },
      { day: 0, dimId: 2, ...sums(1_000_001) },
      { day: 86_400_000, dimId: 2, ...sums(11) },
    ];
    const shared = (out: AllocatedCell[], day: number) =>
      out.filter((c) => c.dimId === 2 && c.day === day).map((c) => [c.teamId, c.departmentId, c.costMicros]);
    const out = allocate(cells, (d) => attributions[d], departmentOf);
    // 3:1 by calls; the odd micro-dollar goes to the larger remainder.
    expect(shared(out, 0)).toEqual([
      [1, 10, 750_001],
      [3, 20, 250_000],
    ]);
    // Nobody used anything directly on day 2: equal halves, the odd one to the lower team id.
    expect(shared(out, 86_400_000)).toEqual([
      [1, 10, 6],
      [3, 20, 5],
    ]);
  });
});

function sums(cost: number): Sums {
  return {
    calls: 0,
    inputTokens: 0,
    cachedInputTokens: 0,
    outputTokens: 0,
    costMicros: cost,
    meteredCostMicros: 0,
    meteredInputTokens: 0,
    meteredCachedInputTokens: 0,
    meteredOutputTokens: 0,
  };
}
