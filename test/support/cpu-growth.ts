/**
 * Complexity guards that hold on a loaded machine (non-negotiable 8: speed targets live in bench/, not in unit
 * tests). A guard compares the CPU time of one call at size n with one at size factor × n, measured in the same run:
 * CPU time (process.cpuUsage) leaves out the time the process waited for a core, and the ratio cancels how fast the
 * machine is, so load moves it little, while a quadratic path multiplies it by the factor once more and an
 * exponential one by far more. Each window repeats the call until it has used `windowMicros` of CPU, so a slow path
 * costs one long call, never a hang of thousands.
 */

/** CPU microseconds per call of `fn`, over a window of at least `windowMicros` of CPU. */
export function cpuMicrosPerCall(fn: () => unknown, windowMicros = 4_000): number {
  const start = process.cpuUsage();
  let calls = 0;
  let used = 0;
  do {
    fn();
    calls++;
    const d = process.cpuUsage(start);
    used = d.user + d.system;
  } while (used < windowMicros);
  return used / calls;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Median over `samples` of (CPU per call of `run(factor × n)`) / (CPU per call of `run(n)`), the two sizes measured
 * alternately so a burst of load or a GC falls on one sample, not on one size. Linear work gives about `factor`
 * (less when a fixed cost dominates), quadratic about factor².
 */
export function cpuGrowth(run: (n: number) => unknown, n: number, factor: number, samples = 5): number {
  run(n);
  run(n * factor); // compile and warm both paths before measuring
  const ratios: number[] = [];
  for (let i = 0; i < samples; i++) {
    const small = cpuMicrosPerCall(() => run(n));
    const large = cpuMicrosPerCall(() => run(n * factor));
    ratios.push(large / small);
  }
  return median(ratios);
}

/**
 * Doubles the size from `from` up to `to` and returns the first step whose CPU growth reaches `bound` (linear gives
 * about 2, quadratic 4, exponential far more), or null. It stops at that step, so a path that explodes (a
 * backtracking regex) fails after a few milliseconds instead of hanging on a large input.
 */
export function firstSteepStep(
  run: (n: number) => unknown,
  from: number,
  to: number,
  bound = 6,
): { n: number; ratio: number } | null {
  for (let n = from; n < to; n *= 2) {
    const ratio = cpuGrowth(run, n, 2);
    if (ratio >= bound) return { n: n * 2, ratio };
  }
  return null;
}
