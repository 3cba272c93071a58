import type Database from "better-sqlite3";
import type { Db } from "~/.server/db";
import { dimKey, tagsJson, type UsageDims, type UsageRow } from "./row";

/**
 * Writes usage rows: each row's dimensions become (or find) a usage_dims row, and the row itself is inserted,
 * or, when its (source, key) is already stored, updated only if a figure changed. Re-importing the same rows
 * therefore writes nothing at all, and the triggers on usage_records (which keep usage_dim_daily) fire only for
 * real changes. Prepared statements on the driver: an import writes millions of rows.
 */

export interface WriteCounts {
  added: number;
  updated: number;
  unchanged: number;
}

type Stored = [
  id: number,
  importId: number | null,
  dimId: number,
  periodStart: number,
  periodEnd: number,
  calls: number | null,
  input: number,
  cached: number,
  output: number,
  cost: number,
  list: number | null,
];

export class UsageStore {
  private readonly sqlite: Database.Database;
  private readonly dims = new Map<string, number>();
  /** Parsers hand back the same dimensions object for the same combination (focus-row.ts): one lookup each. */
  private readonly byObject = new WeakMap<UsageDims, number>();
  private readonly findDim: Database.Statement;
  private readonly addDim: Database.Statement;
  private readonly findRecord: Database.Statement;
  private readonly addRecord: Database.Statement;
  private readonly changeRecord: Database.Statement;
  private readonly touchRecord: Database.Statement;

  constructor(database: Db) {
    this.sqlite = database.$client;
    this.findDim = this.sqlite.prepare("select id from usage_dims where dim_key = ?").pluck();
    this.addDim = this.sqlite.prepare(
      `insert into usage_dims (dim_key, source, provider, service, account, project, api_key, workspace, user, model, tier, tags)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (dim_key) do nothing`,
    );
    this.findRecord = this.sqlite
      .prepare(
        `select id, import_id, dim_id, period_start, period_end, calls, input_tokens, cached_input_tokens, output_tokens,
                cost_micros, list_cost_micros
           from usage_records where source = ? and record_key = ?`,
      )
      .raw();
    this.addRecord = this.sqlite.prepare(
      `insert into usage_records (source, record_key, dim_id, import_id, period_start, period_end, calls, input_tokens,
         cached_input_tokens, output_tokens, cost_micros, list_cost_micros) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.changeRecord = this.sqlite.prepare(
      `update usage_records set dim_id = ?, import_id = ?, period_start = ?, period_end = ?, calls = ?, input_tokens = ?,
         cached_input_tokens = ?, output_tokens = ?, cost_micros = ?, list_cost_micros = ? where id = ?`,
    );
    this.touchRecord = this.sqlite.prepare("update usage_records set import_id = ? where id = ?");
  }

  /** The id of a dimension combination, created on first sight. */
  dimId(dims: UsageDims): number {
    const seen = this.byObject.get(dims);
    if (seen !== undefined) return seen;
    const key = dimKey(dims);
    const known = this.dims.get(key);
    if (known !== undefined) {
      this.byObject.set(dims, known);
      return known;
    }
    this.addDim.run(
      key,
      dims.source,
      dims.provider,
      dims.service,
      dims.account,
      dims.project,
      dims.apiKey,
      dims.workspace,
      dims.user,
      dims.model,
      dims.tier,
      tagsJson(dims.tags),
    );
    const id = this.findDim.get(key) as number;
    this.dims.set(key, id);
    this.byObject.set(dims, id);
    return id;
  }

  /**
   * Writes the rows in one transaction. A key seen twice in one import is, with `duplicates: "replace"`, the same
   * charge restated (a request id, a report bucket); with "add" (FOCUS, whose keys are the identifying columns)
   * it is a second charge of the same kind, stored under the key with "#2", "#3"… So the n-th such row of a file
   * is the n-th again when the file is imported again.
   */
  write(rows: UsageRow[], importId: number, duplicates: "add" | "replace" = "replace"): WriteCounts {
    const counts: WriteCounts = { added: 0, updated: 0, unchanged: 0 };
    this.sqlite
      .transaction(() => {
        for (const row of rows) counts[this.writeOne(row, importId, duplicates)]++;
      })
      .immediate();
    return counts;
  }

  private writeOne(row: UsageRow, importId: number, duplicates: "add" | "replace"): keyof WriteCounts {
    const dimId = this.dimId(row.dims);
    const figures = [
      row.periodStart,
      row.periodEnd,
      row.calls,
      row.inputTokens,
      row.cachedInputTokens,
      row.outputTokens,
      row.costMicros,
      row.listCostMicros,
    ] as const;
    let key = row.key;
    let stored = this.findRecord.get(row.dims.source, key) as Stored | undefined;
    for (let n = 2; duplicates === "add" && stored && stored[1] === importId; n++) {
      key = `${row.key}#${n}`;
      stored = this.findRecord.get(row.dims.source, key) as Stored | undefined;
    }
    if (!stored) {
      this.addRecord.run(row.dims.source, key, dimId, importId, ...figures);
      return "added";
    }
    const [id, , storedDim, ...storedFigures] = stored;
    if (storedDim === dimId && storedFigures.every((v, i) => v === figures[i])) {
      // Only the import that saw it last; no figure changes, so no trigger fires.
      this.touchRecord.run(importId, id);
      return "unchanged";
    }
    this.changeRecord.run(dimId, importId, ...figures, id);
    return "updated";
  }
}
