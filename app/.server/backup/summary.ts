/** A database's contents in one line, from its row counts: what a backup holds, what a restore put back. */

const KEY_TABLES: [table: string, one: string, many: string][] = [
  ["users", "user", "users"],
  ["attempts", "attempt", "attempts"],
  ["model_calls", "ledger row", "ledger rows"],
  ["exercises", "exercise", "exercises"],
];

const n = (v: number) => v.toLocaleString("en-US");

export function summariseTables(tables: Record<string, number>): string {
  const key = KEY_TABLES.filter(([t]) => t in tables).map(
    ([t, one, many]) => `${n(tables[t])} ${tables[t] === 1 ? one : many}`,
  );
  const all = Object.values(tables).reduce((sum, v) => sum + v, 0);
  const count = Object.keys(tables).length;
  return `${key.join(", ")}${key.length ? " " : ""}(${n(count)} tables, ${n(all)} rows in all)`;
}
