import type { UsageSource } from "#db/schema";
import type { Db } from "~/.server/db";
import type { CostLine } from "./reader";
import type { UsageDims } from "./row";
import { UsageStore } from "./store";

/**
 * Providers' billed amounts (OpenAI's Costs API, Anthropic's cost report) next to their usage reports (tokens,
 * priced here at the catalogue's list prices). For each day and scope a provider billed, one adjustment row makes
 * the usage add up to the bill: its cost is the billed amount minus the list-priced usage of that day and scope.
 * It is attributed like any usage of that scope (an OpenAI project's rules catch its adjustment), counts no calls,
 * and is rewritten whenever either side of that day is imported again, so importing in any order, or twice,
 * gives the same rows.
 */

const DAY_MS = 86_400_000;

const SCOPE_COLUMN: Partial<Record<UsageSource, "project" | "workspace">> = {
  openai: "project",
  anthropic: "workspace",
};
const SERVICE: Partial<Record<UsageSource, { provider: string; service: string }>> = {
  openai: { provider: "OpenAI", service: "OpenAI API" },
  anthropic: { provider: "Anthropic", service: "Claude API" },
};

export const ADJUSTMENT_MODEL = "billing adjustment";

export function writeCostLines(database: Db, source: UsageSource, lines: CostLine[], importId: number): void {
  const upsert = database.$client.prepare(
    `insert into usage_cost_reports (source, day, scope, item, amount_micros, import_id) values (?, ?, ?, ?, ?, ?)
     on conflict (source, day, scope, item) do update set amount_micros = excluded.amount_micros, import_id = excluded.import_id
     where amount_micros is not excluded.amount_micros`,
  );
  database.$client
    .transaction(() => {
      for (const l of lines) upsert.run(source, l.day, l.scope, l.item, l.amountMicros, importId);
    })
    .immediate();
}

/** Rewrites the adjustment rows of `days` (UTC day starts) for the source; returns how many were written. */
export function reconcile(database: Db, source: UsageSource, days: Iterable<number>, importId: number): number {
  const column = SCOPE_COLUMN[source];
  const about = SERVICE[source];
  if (!column || !about) return 0;
  const s = database.$client;
  const billedOf = s.prepare(
    "select scope, sum(amount_micros) from usage_cost_reports where source = ? and day = ? group by scope",
  );
  // "" is the scope of a bill for a usage without one (the default Anthropic workspace), or of a report not
  // grouped by scope at all: then (a day whose only scope is "") it covers all of the source's usage that day.
  const listedOf = s.prepare(
    `select coalesce(sum(r.cost_micros), 0) from usage_records r join usage_dims d on d.id = r.dim_id
      where r.source = ? and r.period_start >= ? and r.period_start < ? and r.record_key not like 'adjust|%'
        and (? or coalesce(d.${column}, '') = ?)`,
  );
  const store = new UsageStore(database);
  const rows = [];
  for (const day of new Set(days)) {
    const bills = billedOf.raw().all(source, day) as [string, number][];
    const wholeDay = bills.length === 1 && bills[0][0] === "" ? 1 : 0;
    for (const [scope, billed] of bills) {
      const listed = listedOf.pluck().get(source, day, day + DAY_MS, wholeDay, scope) as number;
      const dims: UsageDims = {
        source,
        provider: about.provider,
        service: about.service,
        account: null,
        project: column === "project" && scope ? scope : null,
        apiKey: null,
        workspace: column === "workspace" && scope ? scope : null,
        user: null,
        model: ADJUSTMENT_MODEL,
        tier: "unknown",
        tags: {},
      };
      rows.push({
        key: `adjust|${day}|${scope}`,
        dims,
        periodStart: day,
        periodEnd: day + DAY_MS,
        calls: null,
        inputTokens: 0,
        cachedInputTokens: 0,
        outputTokens: 0,
        costMicros: billed - listed,
        listCostMicros: null,
      });
    }
  }
  if (rows.length > 0) store.write(rows, importId);
  return rows.length;
}
