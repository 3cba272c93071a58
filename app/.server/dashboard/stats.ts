/** Small statistics shared by the leaderboards and the manager dashboard. Pure. */

/** The median, rounded to an integer (scores are integers); 0 for no values, so an empty team ranks last. */
export function median(values: number[]): number {
  if (values.length === 0) return 0;
  // A typed array sorts numerically without a comparator call per comparison (the grid takes a thousand medians).
  const sorted = Float64Array.from(values).sort();
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
}

/** The rounded mean, or null when there is nothing to average (shown as "—", never as 0). */
export function mean(values: number[]): number | null {
  if (values.length === 0) return null;
  return Math.round(values.reduce((s, v) => s + v, 0) / values.length);
}

/** Competition ranking (1, 2, 2, 4) over rows already sorted best first; rows with equal keys share a rank. */
export function rankBy<T>(rows: T[], key: (row: T) => unknown): { rank: number; row: T }[] {
  let rank = 0;
  return rows.map((row, i) => {
    if (i === 0 || key(rows[i - 1]) !== key(row)) rank = i + 1;
    return { rank, row };
  });
}

/** Rows grouped by a key, in their original order (Map.groupBy needs Node 21). */
export function groupBy<T, K>(rows: T[], key: (row: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}
