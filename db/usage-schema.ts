import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Production usage: the company's own AI bill, imported from FOCUS files, the OpenAI and Anthropic usage
 * and cost reports and LiteLLM spend logs (app/.server/usage/). Re-exported by db/schema.ts, so `#db/schema`
 * stays the one place tables are imported from; kept in its own file because it is its own domain.
 *
 * Timestamps are UTC milliseconds; money is integer micro-dollars, as everywhere else.
 */

export const USAGE_SOURCES = ["focus", "openai", "anthropic", "litellm"] as const;
export type UsageSource = (typeof USAGE_SOURCES)[number];

export const IMPORT_STATUSES = ["running", "done", "refused", "failed"] as const;
/** What an import does with a file that has bad rows: refuse the whole file, or keep the good rows. */
export const BAD_ROW_POLICIES = ["refuse", "keep"] as const;

/** One import run: a file (CLI or admin upload) or a scheduled pull. Its counters are its progress. */
export const usageImports = sqliteTable(
  "usage_imports",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    source: text("source", { enum: USAGE_SOURCES }).notNull(),
    /** What was read: a file name, or the API it was pulled from (never a key). */
    origin: text("origin").notNull(),
    policy: text("policy", { enum: BAD_ROW_POLICIES }).notNull(),
    status: text("status", { enum: IMPORT_STATUSES }).notNull().default("running"),
    /** Size of the input when known (files), for a progress bar; bytesRead counts towards it. */
    bytesTotal: integer("bytes_total"),
    bytesRead: integer("bytes_read").notNull().default(0),
    rowsRead: integer("rows_read").notNull().default(0),
    rowsAdded: integer("rows_added").notNull().default(0),
    rowsUpdated: integer("rows_updated").notNull().default(0),
    rowsUnchanged: integer("rows_unchanged").notNull().default(0),
    /** Rows that are fine but not AI spend (e.g. a FOCUS file's compute and storage rows). */
    rowsSkipped: integer("rows_skipped").notNull().default(0),
    rowsBad: integer("rows_bad").notNull().default(0),
    /** The first bad rows, each with its line and the field at fault (see usage/import-run.ts). */
    errors: text("errors", { mode: "json" }).notNull().default(sql`'[]'`),
    /** Why the whole import failed or was refused, in one sentence. */
    message: text("message"),
    createdBy: integer("created_by"),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
    /** Written with every batch: a running import that stopped beating was interrupted (usage/import-run.ts). */
    beatAt: integer("beat_at", { mode: "timestamp_ms" }).notNull(),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("usage_imports_started").on(t.startedAt)],
);

/**
 * The distinct attribution dimensions that usage rows carry: who or what a charge belongs to, as the source
 * says it. Millions of usage rows share a few thousand of these, so attribution rules are applied here, not per
 * row, and re-attributing history touches this table and the rollups only.
 */
export const usageDims = sqliteTable(
  "usage_dims",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The canonical JSON of the columns below: one row per distinct combination. */
    dimKey: text("dim_key").notNull(),
    source: text("source", { enum: USAGE_SOURCES }).notNull(),
    /** Who sold the service: OpenAI, Anthropic, AWS, Microsoft, Google Cloud… */
    provider: text("provider").notNull(),
    service: text("service").notNull(),
    /** Billing account or organisation, when the source names one. */
    account: text("account"),
    /** OpenAI project, cloud sub-account (AWS account, Azure subscription, GCP project). */
    project: text("project"),
    apiKey: text("api_key"),
    /** Anthropic workspace, LiteLLM team. */
    workspace: text("workspace"),
    /** The end user as the source names them: an email where it has one. */
    user: text("user"),
    model: text("model").notNull(),
    /** The model's tier in the catalogue (db/models.yaml), or "unknown". */
    tier: text("tier").notNull(),
    /** Tags as a JSON object, keys sorted; "{}" when none. */
    tags: text("tags").notNull().default("{}"),
  },
  (t) => [uniqueIndex("usage_dims_key").on(t.dimKey)],
);

/**
 * One imported usage row. `recordKey` is stable for the same charge across re-imports (the source's request
 * id, or its bucket and grouping, or a hash of a FOCUS row's identifying columns), so importing a file or a
 * report again adds nothing; a restated row replaces the old figures.
 */
export const usageRecords = sqliteTable(
  "usage_records",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    source: text("source", { enum: USAGE_SOURCES }).notNull(),
    recordKey: text("record_key").notNull(),
    dimId: integer("dim_id")
      .notNull()
      .references(() => usageDims.id),
    importId: integer("import_id"),
    periodStart: integer("period_start").notNull(),
    periodEnd: integer("period_end").notNull(),
    /** Requests, when the source counts them (null: it does not, e.g. a FOCUS token meter). */
    calls: integer("calls"),
    inputTokens: integer("input_tokens").notNull().default(0),
    /** Part of inputTokens, read from a prompt cache. */
    cachedInputTokens: integer("cached_input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    /** What the charge cost the company (FOCUS EffectiveCost, a provider's reported cost, LiteLLM spend). */
    costMicros: integer("cost_micros").notNull(),
    /** The cost at list prices, when known. */
    listCostMicros: integer("list_cost_micros"),
  },
  (t) => [uniqueIndex("usage_records_key").on(t.source, t.recordKey)],
);

/** The usage rollups' sums (fresh column builders for each table); the names of app/domain/allocation.ts's sums. */
export const usageSums = () => ({
  calls: integer("calls").notNull(),
  inputTokens: integer("input_tokens").notNull(),
  cachedInputTokens: integer("cached_input_tokens").notNull(),
  outputTokens: integer("output_tokens").notNull(),
  costMicros: integer("cost_micros").notNull(),
  /** The same figures over rows that count their calls, for per-call unit economics. */
  meteredCostMicros: integer("metered_cost_micros").notNull(),
  meteredInputTokens: integer("metered_input_tokens").notNull(),
  meteredCachedInputTokens: integer("metered_cached_input_tokens").notNull(),
  meteredOutputTokens: integer("metered_output_tokens").notNull(),
});

/**
 * Usage per UTC day and dimension combination, kept by triggers on usage_records (the
 * usage_triggers migration), so every writer keeps it exact. Attribution and the showback read it, never the rows.
 */
export const usageDimDaily = sqliteTable(
  "usage_dim_daily",
  {
    day: integer("day").notNull(),
    dimId: integer("dim_id").notNull(),
    records: integer("records").notNull(),
    ...usageSums(),
  },
  // WITHOUT ROWID (written into the migration by hand, as drizzle cannot declare it): a day's rows are one range.
  (t) => [primaryKey({ columns: [t.day, t.dimId] })],
);

/** Days whose usage changed since their attribution was last computed; the same triggers mark them. */
export const usageDirtyDays = sqliteTable("usage_dirty_days", {
  day: integer("day").primaryKey(),
});

/**
 * Attribution rules, applied in `position` order: the first that matches a dimension combination decides where its
 * usage goes (app/domain/attribution.ts). Field, match, target kind and split key are checked by the app's schema.
 * Team and department ids are not foreign keys: a rule whose team is gone no longer applies, and says so.
 */
export const usageRules = sqliteTable(
  "usage_rules",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    position: integer("position").notNull(),
    field: text("field").notNull(),
    match: text("match").notNull(),
    value: text("value").notNull(),
    targetKind: text("target_kind").notNull(),
    teamId: integer("team_id"),
    departmentId: integer("department_id"),
    /** A shared rule's teams, as a JSON array of ids. */
    sharedTeamIds: text("shared_team_ids", { mode: "json" }).$type<number[]>(),
    splitBy: text("split_by"),
    createdBy: integer("created_by"),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("usage_rules_position").on(t.position)],
);

/** Rollup grains. Week rows (from Monday, UTC) exist in usage_team_rollup only, for the training impact's weeks. */
export const USAGE_GRAINS = ["day", "week", "month"] as const;

/**
 * Allocated usage per UTC day and calendar month by department × team × source × provider × model × tier: what
 * the production showback reads. Team 0 is no team (a department-level rule, or unallocated); department 0 is
 * unallocated. Rebuilt for the days whose usage or attribution changed (usage/allocate.ts), from usage_dim_daily
 * and the rules, so it always equals allocating the raw rows (tests and bench/usage-scale.ts hold the two equal).
 */
export const usageRollup = sqliteTable(
  "usage_rollup",
  {
    grain: text("grain", { enum: USAGE_GRAINS }).notNull(),
    periodStart: integer("period_start").notNull(),
    departmentId: integer("department_id").notNull(),
    teamId: integer("team_id").notNull(),
    source: text("source").notNull(),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    tier: text("tier").notNull(),
    ...usageSums(),
  },
  // WITHOUT ROWID (by hand in the migration): a period's rows are one range of the primary key.
  (t) => [
    primaryKey({
      columns: [t.grain, t.periodStart, t.departmentId, t.teamId, t.source, t.provider, t.model, t.tier],
    }),
  ],
);

/** usage_rollup by department and team only, with the frontier tier's cost apart: trends, unit economics, impact. */
export const usageTeamRollup = sqliteTable(
  "usage_team_rollup",
  {
    grain: text("grain", { enum: USAGE_GRAINS }).notNull(),
    periodStart: integer("period_start").notNull(),
    departmentId: integer("department_id").notNull(),
    teamId: integer("team_id").notNull(),
    ...usageSums(),
    frontierCostMicros: integer("frontier_cost_micros").notNull(),
  },
  (t) => [primaryKey({ columns: [t.grain, t.periodStart, t.departmentId, t.teamId] })],
);

/**
 * usage_team_rollup by department only: the admin's daily trend per department reads a row per day and department
 * (about 20), not one per team (about 200). Rebuilt with the others (usage/allocate.ts).
 */
export const usageDepartmentRollup = sqliteTable(
  "usage_department_rollup",
  {
    grain: text("grain", { enum: USAGE_GRAINS }).notNull(),
    periodStart: integer("period_start").notNull(),
    departmentId: integer("department_id").notNull(),
    ...usageSums(),
    frontierCostMicros: integer("frontier_cost_micros").notNull(),
  },
  (t) => [primaryKey({ columns: [t.grain, t.periodStart, t.departmentId] })],
);

/**
 * usage_rollup without department and team: the whole organisation's usage by source, provider, model and tier,
 * a few dozen rows a day, so an admin's showback over odd days reads hundreds of rows, not tens of thousands.
 * Rebuilt with usage_rollup (usage/allocate.ts).
 */
export const usageUseRollup = sqliteTable(
  "usage_use_rollup",
  {
    grain: text("grain", { enum: USAGE_GRAINS }).notNull(),
    periodStart: integer("period_start").notNull(),
    source: text("source").notNull(),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    tier: text("tier").notNull(),
    ...usageSums(),
  },
  (t) => [primaryKey({ columns: [t.grain, t.periodStart, t.source, t.provider, t.model, t.tier] })],
);

export const USAGE_BUDGET_SCOPES = ["team", "department"] as const;

/** Monthly budgets on production spend: they warn (they cannot block a bill that is already incurred). */
export const usageBudgets = sqliteTable(
  "usage_budgets",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    scope: text("scope", { enum: USAGE_BUDGET_SCOPES }).notNull(),
    scopeId: integer("scope_id").notNull(),
    monthlyLimitMicros: integer("monthly_limit_micros").notNull(),
    warnPercent: integer("warn_percent").notNull().default(80),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("usage_budgets_scope").on(t.scope, t.scopeId)],
);

/**
 * What a provider says it billed (OpenAI's Costs API, Anthropic's cost report), per day, scope (OpenAI project,
 * Anthropic workspace, "" when not grouped) and line item. Usage reports carry tokens, priced at list prices; each
 * day and scope's difference to the billed amount is written as an adjustment row (usage/cost-reports.ts).
 */
export const usageCostReports = sqliteTable(
  "usage_cost_reports",
  {
    source: text("source", { enum: USAGE_SOURCES }).notNull(),
    day: integer("day").notNull(),
    scope: text("scope").notNull(),
    item: text("item").notNull(),
    amountMicros: integer("amount_micros").notNull(),
    importId: integer("import_id"),
  },
  (t) => [primaryKey({ columns: [t.source, t.day, t.scope, t.item] })],
);

/** Where each scheduled pull stands, so an interrupted one resumes where it stopped (usage/pulls.ts). */
export const usagePulls = sqliteTable("usage_pulls", {
  source: text("source", { enum: USAGE_SOURCES }).primaryKey(),
  /** The start (UTC ms) of the window the pull is working through, and its end. */
  windowStart: integer("window_start"),
  windowEnd: integer("window_end"),
  /** Which report of the source the pull is on, and the API's cursor within it. */
  stage: integer("stage").notNull().default(0),
  cursor: text("cursor"),
  /** Everything before this has been pulled (the next window starts a little before it, to refresh late data). */
  pulledUntil: integer("pulled_until"),
  lastRunAt: integer("last_run_at", { mode: "timestamp_ms" }),
  lastSuccessAt: integer("last_success_at", { mode: "timestamp_ms" }),
  lastError: text("last_error"),
  lastImportId: integer("last_import_id"),
});

/**
 * When each team counts as trained, for the training impact estimate: the day by which half its current members
 * had each completed a course (passed every published exercise of it). Rebuilt from the attempts by the upkeep when
 * new attempts were graded (usage/training-dates.ts); a team not yet trained has trained_at null.
 */
export const teamTraining = sqliteTable("team_training", {
  teamId: integer("team_id").primaryKey(),
  trainedAt: integer("trained_at"),
  members: integer("members").notNull(),
  /** Members who have completed at least one course. */
  completed: integer("completed").notNull(),
});
