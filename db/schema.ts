import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// Timestamps are UTC milliseconds; money is integer micro-dollars (1 USD = 1,000,000).
const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`);

export const ROLES = ["learner", "manager", "instructor", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const departments = sqliteTable("departments", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  costCentre: text("cost_centre").notNull().unique(),
  createdAt: createdAt(),
});

export const teams = sqliteTable(
  "teams",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    departmentId: integer("department_id")
      .notNull()
      .references(() => departments.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("teams_department_name").on(t.departmentId, t.name)],
);

export const users = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    email: text("email").notNull().unique(),
    name: text("name").notNull(),
    /** "scrypt$…", or NO_PASSWORD for an invited user who has not chosen one yet (nothing can match it). */
    passwordHash: text("password_hash").notNull(),
    teamId: integer("team_id").references(() => teams.id),
    /** Set while an admin has deactivated the account: no sign-in, no session; history is kept. */
    deactivatedAt: integer("deactivated_at", { mode: "timestamp_ms" }),
    /** Staff (managers, instructors, admins) appear on learner leaderboards only when they tick this on their profile. */
    leaderboardOptIn: integer("leaderboard_opt_in", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index("users_team").on(t.teamId)],
);

/**
 * A company sign-in identity: the identity provider's issuer and its subject (`sub`, stable for the person, unlike
 * their email) linked to one account. An account has at most one subject per issuer, and a subject one account.
 */
export const signInIdentities = sqliteTable(
  "sign_in_identities",
  {
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.issuer, t.subject] }),
    uniqueIndex("sign_in_identities_user").on(t.userId, t.issuer),
  ],
);

export const userRoles = sqliteTable(
  "user_roles",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ROLES }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.role] })],
);

/** A manager sees the teams linked here, and nothing else. */
export const teamManagers = sqliteTable(
  "team_managers",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    teamId: integer("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.teamId] })],
);

/** Only a SHA-256 of the session token is stored, so a leaked database does not leak live sessions. */
export const sessions = sqliteTable(
  "sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

export const PASSWORD_LINK_PURPOSES = ["invite", "reset"] as const;
export type PasswordLinkPurpose = (typeof PASSWORD_LINK_PURPOSES)[number];

/**
 * One-time set-password links that admins hand out. As with sessions, only a SHA-256 of the token
 * is stored: a leaked database cannot be turned into links. Rows are kept after use or revocation
 * as the record of who let whom set a password, and when.
 */
export const passwordTokens = sqliteTable(
  "password_tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tokenHash: text("token_hash").notNull().unique(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: PASSWORD_LINK_PURPOSES }).notNull(),
    /** The admin who issued the link; null once that account is gone. */
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
    /** Set when a newer link for the same user replaced this one, or an admin withdrew it. */
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    /**
     * Invitations of a user import: the import's id and a random seed from which the token is derived with
     * SESSION_SECRET (HMAC), so the admin can download the batch's links again until each is used or expires,
     * while the database alone still cannot produce a working link.
     */
    batch: text("batch"),
    seed: text("seed"),
    createdAt: createdAt(),
  },
  (t) => [index("password_tokens_user").on(t.userId), index("password_tokens_batch").on(t.batch)],
);

export const CONTENT_STATUSES = ["draft", "published", "archived"] as const;

export const courses = sqliteTable("courses", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  slug: text("slug").notNull().unique(),
  title: text("title").notNull(),
  description: text("description").notNull(),
  position: integer("position").notNull().default(0),
  status: text("status", { enum: CONTENT_STATUSES }).notNull().default("published"),
  createdAt: createdAt(),
});

export const exercises = sqliteTable(
  "exercises",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    slug: text("slug").notNull().unique(),
    courseId: integer("course_id")
      .notNull()
      .references(() => courses.id),
    position: integer("position").notNull().default(0),
    status: text("status", { enum: CONTENT_STATUSES }).notNull().default("published"),
    /** Where the exercise is authored: a file under exercises/ or the web app. */
    source: text("source", { enum: ["file", "app"] })
      .notNull()
      .default("file"),
    currentVersionId: integer("current_version_id"),
    createdAt: createdAt(),
  },
  (t) => [index("exercises_course").on(t.courseId, t.position)],
);

/** Immutable: an attempt points at the version it was graded against, so scores never change retroactively. */
export const exerciseVersions = sqliteTable(
  "exercise_versions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    exerciseId: integer("exercise_id")
      .notNull()
      .references(() => exercises.id),
    version: integer("version").notNull(),
    contentHash: text("content_hash").notNull(),
    /** The validated ExerciseFile as JSON. */
    content: text("content", { mode: "json" }).notNull(),
    sourceText: text("source_text").notNull(),
    /** Token counts of the starting prompt and test inputs per encoding (app/.server/exercise-tokens.ts). */
    tokenCounts: text("token_counts", { mode: "json" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("exercise_versions_number").on(t.exerciseId, t.version)],
);

/** The learner's last unsaved rewrite, so leaving the page loses nothing. */
export const drafts = sqliteTable(
  "drafts",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    exerciseId: integer("exercise_id")
      .notNull()
      .references(() => exercises.id),
    prompt: text("prompt").notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.exerciseId] })],
);

export const ATTEMPT_STATUSES = ["queued", "grading", "scored", "failed"] as const;

export const attempts = sqliteTable(
  "attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    /** Copied at submission so team history stays right when people move. */
    teamId: integer("team_id").references(() => teams.id),
    exerciseId: integer("exercise_id")
      .notNull()
      .references(() => exercises.id),
    exerciseVersionId: integer("exercise_version_id")
      .notNull()
      .references(() => exerciseVersions.id),
    modelId: text("model_id").notNull(),
    prompt: text("prompt").notNull(),
    status: text("status", { enum: ATTEMPT_STATUSES }).notNull().default("queued"),
    judge: text("judge"),
    passed: integer("passed", { mode: "boolean" }),
    score: integer("score"),
    quality: integer("quality"),
    efficiency: integer("efficiency"),
    promptTokens: integer("prompt_tokens"),
    baselineTokens: integer("baseline_tokens"),
    costPerCallMicros: integer("cost_per_call_micros"),
    baselineCostPerCallMicros: integer("baseline_cost_per_call_micros"),
    monthlyCostMicros: integer("monthly_cost_micros"),
    baselineMonthlyCostMicros: integer("baseline_monthly_cost_micros"),
    /** The full breakdown: checks, per-requirement and per-criterion verdicts with reasons, factors. */
    result: text("result", { mode: "json" }),
    error: text("error"),
    createdAt: createdAt(),
    gradedAt: integer("graded_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("attempts_user_exercise").on(t.userId, t.exerciseId, t.createdAt),
    index("attempts_exercise_passed").on(t.exerciseId, t.passed, t.score),
    index("attempts_status").on(t.status),
  ],
);

/** "embedding": the semantic cache's embeddings of a prompt, made for (and tagged like) the call it serves. */
export const CALL_PURPOSES = ["target", "judge", "preview", "embedding"] as const;

/**
 * A ledger row's life (write-ahead): `pending` is written before the call is sent, with its idempotency key and
 * estimate; `settled` once the provider's usage is in; `unknown` when nobody will ever learn it (the process died
 * mid-call, the answer was lost, or the provider left usage out): it then counts at its estimate, shown apart.
 */
export const CALL_STATES = ["pending", "settled", "unknown"] as const;
export type CallState = (typeof CALL_STATES)[number];

/** The ledger: one row per model call, written at the time of the call, with its attribution tags. */
export const modelCalls = sqliteTable(
  "model_calls",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    createdAt: createdAt(),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    tier: text("tier").notNull(),
    purpose: text("purpose", { enum: CALL_PURPOSES }).notNull(),
    inputTokens: integer("input_tokens").notNull(),
    cachedInputTokens: integer("cached_input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull(),
    inputMicrosPerM: integer("input_micros_per_m").notNull(),
    cachedInputMicrosPerM: integer("cached_input_micros_per_m").notNull(),
    outputMicrosPerM: integer("output_micros_per_m").notNull(),
    priceAsOf: text("price_as_of").notNull(),
    costMicros: integer("cost_micros").notNull(),
    savedMicros: integer("saved_micros").notNull().default(0),
    latencyMs: real("latency_ms").notNull(),
    status: text("status", { enum: ["ok", "error", "blocked"] }).notNull(),
    cacheHit: integer("cache_hit", { mode: "boolean" }).notNull().default(false),
    userId: integer("user_id").references(() => users.id),
    teamId: integer("team_id").references(() => teams.id),
    departmentId: integer("department_id").references(() => departments.id),
    courseId: integer("course_id").references(() => courses.id),
    exerciseId: integer("exercise_id").references(() => exercises.id),
    attemptId: integer("attempt_id").references(() => attempts.id),
    state: text("state", { enum: CALL_STATES }).notNull().default("settled"),
    /**
     * Names one request to the provider (grading: job, step, test input and the call's attempt number; also sent
     * as the Idempotency-Key header): a row is written once per key, so a replayed write never counts a call twice.
     */
    idempotencyKey: text("idempotency_key"),
    /** What the call was expected to cost when it was sent; an `unknown` row is charged this. */
    estimateMicros: integer("estimate_micros").notNull().default(0),
    /** The name the provider was sent (an Ollama tag, an Azure deployment); null for the built-in judge. */
    providerModel: text("provider_model"),
    /** The process that wrote a pending row ("host:pid:boot"), so a dead one's rows can be told apart. */
    owner: text("owner"),
  },
  (t) => [
    index("model_calls_created").on(t.createdAt),
    uniqueIndex("model_calls_idempotency").on(t.idempotencyKey),
    index("model_calls_open").on(t.state).where(sql`state <> 'settled'`),
    // cost_micros is included so a month's spend per team or department (budgets, showback) is read
    // from the index alone, without visiting the ledger rows.
    index("model_calls_department").on(t.departmentId, t.createdAt, t.costMicros),
    index("model_calls_team").on(t.teamId, t.createdAt, t.costMicros),
    index("model_calls_attempt").on(t.attemptId),
    index("model_calls_exercise").on(t.exerciseId, t.purpose),
  ],
);

export type User = typeof users.$inferSelect;
export type Attempt = typeof attempts.$inferSelect;
export type ModelCall = typeof modelCalls.$inferSelect;
export type NewModelCall = typeof modelCalls.$inferInsert;

/** The model catalogue, seeded from db/models.yaml; admins edit prices in the app (each price carries its date). */
export const models = sqliteTable("models", {
  id: text("id").primaryKey(),
  provider: text("provider").notNull(),
  tier: text("tier", { enum: ["nano", "small", "medium", "frontier"] }).notNull(),
  encoding: text("encoding", { enum: ["o200k_base", "cl100k_base"] }).notNull(),
  exactTokenizer: integer("exact_tokenizer", { mode: "boolean" }).notNull(),
  contextWindow: integer("context_window").notNull(),
  inputMicrosPerM: integer("input_micros_per_m").notNull(),
  cachedInputMicrosPerM: integer("cached_input_micros_per_m").notNull(),
  outputMicrosPerM: integer("output_micros_per_m").notNull(),
  priceAsOf: text("price_as_of").notNull(),
  /** "embedding" models serve the semantic cache only: never offered to learners, never the judge. */
  kind: text("kind", { enum: ["chat", "embedding"] })
    .notNull()
    .default("chat"),
  /**
   * Which provider (an LLM_PROVIDER value) serves this model, and under what name: { "openai-compatible": "llama3.2:1b" }.
   * Written from MODELS_FILE at every start (prices are not: admins edit those); a model the configured provider
   * does not serve is not offered.
   */
  servedAs: text("served_as", { mode: "json" }).$type<Record<string, string>>(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
  updatedBy: integer("updated_by").references(() => users.id),
});

export const JOB_STAGES = ["queued", "target", "judging", "scored", "failed"] as const;

/** A durable grading job per attempt: leased by a worker, retried with backoff, resumed after a restart. */
export const gradingJobs = sqliteTable(
  "grading_jobs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    attemptId: integer("attempt_id")
      .notNull()
      .unique()
      .references(() => attempts.id),
    stage: text("stage", { enum: JOB_STAGES }).notNull().default("queued"),
    tries: integer("tries").notNull().default(0),
    nextRunAt: integer("next_run_at", { mode: "timestamp_ms" }).notNull(),
    leaseUntil: integer("lease_until", { mode: "timestamp_ms" }),
    /** The worker holding the lease ("host:pid:boot"); a worker on this host whose pid is gone is dead. */
    leaseOwner: text("lease_owner"),
    /** Bumped by every claim: a write carries the fence it claimed with and is refused once it changed. */
    fence: integer("fence").notNull().default(0),
    heartbeatAt: integer("heartbeat_at", { mode: "timestamp_ms" }),
    /** Why a running job is not progressing right now, for the learner's progress ("provider", "budget"). */
    waiting: text("waiting", { enum: ["provider", "rate_limit", "budget"] }),
    lastError: text("last_error"),
    /**
     * The attempt's offline grade (a GradeResult), stored when the job passes its gates: a run resumed after a crash
     * or a deploy uses it instead of grading the prompt again on the CPU pool (pure: the same prompt, exercise
     * version and models give the same result).
     */
    offlineResult: text("offline_result", { mode: "json" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("grading_jobs_due").on(t.stage, t.nextRunAt),
    // The open jobs alone: the worker's claim, its look for dead or stalled owners and its next wake-up read only
    // these (a handful), where a full scan would grow with every job ever graded.
    index("grading_jobs_open").on(t.nextRunAt).where(sql`stage not in ('scored', 'failed')`),
  ],
);

/**
 * One row per (attempt, test input): the target model's output and the judge's verdict. Steps that
 * finished are never re-run, so a job resumed after a crash does not pay twice.
 */
export const attemptOutputs = sqliteTable(
  "attempt_outputs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    attemptId: integer("attempt_id")
      .notNull()
      .references(() => attempts.id),
    testInput: text("test_input").notNull(),
    output: text("output"),
    outputTokens: integer("output_tokens"),
    targetCallId: integer("target_call_id").references(() => modelCalls.id),
    checks: text("checks", { mode: "json" }),
    verdict: text("verdict", { mode: "json" }),
    judgeCallId: integer("judge_call_id").references(() => modelCalls.id),
    judgeModel: text("judge_model"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("attempt_outputs_input").on(t.attemptId, t.testInput)],
);

/** Exact and semantic response cache in front of every model call. */
export const callCache = sqliteTable(
  "call_cache",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** sha256 of model + messages + parameters. */
    exactKey: text("exact_key").notNull(),
    /** Scope of semantic matching: model + purpose + test input + parameters, never the prompt. */
    scopeKey: text("scope_key").notNull(),
    model: text("model").notNull(),
    purpose: text("purpose", { enum: CALL_PURPOSES }).notNull(),
    promptText: text("prompt_text").notNull(),
    embedding: text("embedding", { mode: "json" }),
    responseText: text("response_text").notNull(),
    inputTokens: integer("input_tokens").notNull(),
    cachedInputTokens: integer("cached_input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull(),
    costMicros: integer("cost_micros").notNull(),
    hits: integer("hits").notNull().default(0),
    createdAt: createdAt(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("call_cache_exact").on(t.exactKey),
    // The semantic scan reads a scope's newest unexpired ids: this order (id breaks ties; expires_at is filtered from
    // the index) lets it stop after its limit, where (scope_key, expires_at) sorted the whole scope in a temp B-tree.
    index("call_cache_scope_recent").on(t.scopeKey, t.createdAt, t.id, t.expiresAt),
  ],
);

export const BUDGET_SCOPES = ["team", "department"] as const;

/** Monthly budgets; spend comes from the ledger, open reservations hold the estimate of calls in flight. */
export const budgets = sqliteTable(
  "budgets",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    scope: text("scope", { enum: BUDGET_SCOPES }).notNull(),
    scopeId: integer("scope_id").notNull(),
    monthlyLimitMicros: integer("monthly_limit_micros").notNull(),
    warnPercent: integer("warn_percent").notNull().default(80),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("budgets_scope").on(t.scope, t.scopeId)],
);

export const budgetReservations = sqliteTable(
  "budget_reservations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    teamId: integer("team_id").references(() => teams.id),
    departmentId: integer("department_id").references(() => departments.id),
    attemptId: integer("attempt_id").references(() => attempts.id),
    amountMicros: integer("amount_micros").notNull(),
    status: text("status", { enum: ["held", "settled", "released"] })
      .notNull()
      .default("held"),
    createdAt: createdAt(),
  },
  (t) => [index("budget_reservations_open").on(t.status, t.teamId, t.departmentId)],
);

/**
 * Provider and judge failures of live grading, kept for the admin's grading health page: every failed try of a
 * call (retried or final) and every attempt that failed, with the internal detail learners never see.
 */
export const gradingFailures = sqliteTable(
  "grading_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    createdAt: createdAt(),
    /** The catalogue id, and the provider's name for it. */
    model: text("model").notNull(),
    providerModel: text("provider_model"),
    purpose: text("purpose", { enum: CALL_PURPOSES }).notNull(),
    /** A ProviderErrorKind, or "judge_unreadable", "retry_budget". */
    reason: text("reason").notNull(),
    message: text("message").notNull(),
    /** True when it ended the attempt (failed); false for a try that was retried. */
    final: integer("final", { mode: "boolean" }).notNull().default(false),
    attemptId: integer("attempt_id").references(() => attempts.id),
  },
  (t) => [index("grading_failures_created").on(t.createdAt)],
);

export type ModelRow = typeof models.$inferSelect;
export type GradingJob = typeof gradingJobs.$inferSelect;
export type AttemptOutput = typeof attemptOutputs.$inferSelect;

/** Organisation-wide settings, one row per key (e.g. privacy mode for leaderboards). */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value", { mode: "json" }).notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  updatedBy: integer("updated_by").references(() => users.id),
});

/** Department heads see their whole department (managers see only the teams linked to them). */
export const departmentHeads = sqliteTable(
  "department_heads",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    departmentId: integer("department_id")
      .notNull()
      .references(() => departments.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.departmentId] })],
);

/**
 * xAPI statements sent (or queued) to the configured LRS: one per graded attempt, and the learning journey's
 * statements (a course assigned to a learner, a course completed), which have no attempt.
 */
export const xapiStatements = sqliteTable(
  "xapi_statements",
  {
    id: text("id").primaryKey(),
    attemptId: integer("attempt_id")
      .unique()
      .references(() => attempts.id),
    statement: text("statement", { mode: "json" }).notNull(),
    /** The learner a journey statement is about (the one assigned, the one who completed): who may download it. */
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
    lastError: text("last_error"),
    createdAt: createdAt(),
  },
  (t) => [index("xapi_statements_user").on(t.userId)],
);

export const BEST_PERIODS = ["all", "week", "month"] as const;

/**
 * Rollup of graded attempts for the leaderboards and the progress grid: per learner, exercise and
 * period (all time; each calendar week from Monday; each calendar month, UTC), the best graded
 * score, whether any attempt passed, and the best normalised passing score (see
 * app/.server/dashboard/normalise.ts). Written when an attempt is scored (recordBest) and rebuilt
 * from the attempts by rebuildRollups, so boards read at most one row per learner and exercise
 * instead of grouping every attempt.
 */
export const bestScores = sqliteTable(
  "best_scores",
  {
    period: text("period", { enum: BEST_PERIODS }).notNull(),
    /** UTC ms of the period's first instant; 0 for all time. */
    periodStart: integer("period_start").notNull(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    exerciseId: integer("exercise_id")
      .notNull()
      .references(() => exercises.id),
    /** Highest score of a graded attempt, passing or not. */
    bestScore: integer("best_score").notNull(),
    passed: integer("passed", { mode: "boolean" }).notNull(),
    /** Highest normalised score of a passing attempt; null until one passes. */
    bestNormalised: integer("best_normalised"),
    /**
     * The learner's current team, on the all-time rows only (null on week and month rows): the progress grid
     * reads the all-time rows by team from a covering index instead of joining users and sorting. Written by
     * recordBest and rebuildRollups; a trigger on users (migration 0008) follows a learner who changes team.
     */
    teamId: integer("team_id"),
  },
  // WITHOUT ROWID (written into migration 0005 by hand: drizzle cannot declare it): rows are stored in
  // primary-key order, so a period's rows are read in one range, without a lookup per row.
  (t) => [
    primaryKey({ columns: [t.period, t.periodStart, t.userId, t.exerciseId] }),
    index("best_scores_team").on(t.teamId, t.exerciseId, t.bestScore, t.passed).where(sql`period = 'all'`),
  ],
);

export const LEDGER_GRAINS = ["day", "month", "all"] as const;

/** The model and purpose keys of the ledger rollups (fresh column builders for each table). */
const rollupModelKeys = () => ({
  provider: text("provider").notNull(),
  model: text("model").notNull(),
  tier: text("tier").notNull(),
  purpose: text("purpose", { enum: CALL_PURPOSES }).notNull(),
});

/** The sums every ledger rollup keeps. */
const rollupSums = () => ({
  calls: integer("calls").notNull(),
  inputTokens: integer("input_tokens").notNull(),
  cachedInputTokens: integer("cached_input_tokens").notNull(),
  outputTokens: integer("output_tokens").notNull(),
  costMicros: integer("cost_micros").notNull(),
  cacheHits: integer("cache_hits").notNull(),
  savedMicros: integer("saved_micros").notNull(),
});

/**
 * Rollup of the ledger (model_calls) per UTC day, per calendar month and for all time (period_start 0),
 * at the showback's finest grain
 * (department × team × course × model × purpose). Kept by triggers on model_calls (migration
 * 0006_ledger_rollup_triggers), so every writer of the ledger keeps it exact; showback, budgets and
 * leaderboard spend read a month's few thousand rows instead of its hundreds of thousands of calls.
 * Missing department, team and course ids are stored as 0 (unique keys treat NULLs as distinct).
 */
export const ledgerRollup = sqliteTable(
  "ledger_rollup",
  {
    grain: text("grain", { enum: LEDGER_GRAINS }).notNull(),
    /** UTC ms of the day's or month's first instant; 0 for all time. */
    periodStart: integer("period_start").notNull(),
    departmentId: integer("department_id").notNull(),
    teamId: integer("team_id").notNull(),
    courseId: integer("course_id").notNull(),
    ...rollupModelKeys(),
    ...rollupSums(),
  },
  (t) => [
    primaryKey({
      columns: [t.grain, t.periodStart, t.departmentId, t.teamId, t.courseId, t.provider, t.model, t.tier, t.purpose],
    }),
  ],
);

/**
 * The whole organisation's ledger per UTC day and calendar month: ledger_rollup without the team, so a
 * month is about a thousand rows (departments × courses × models × purposes) instead of tens of thousands.
 * The admin's showback reads it. Kept from ledger_rollup by triggers (migration 0007), so it is exact
 * whenever ledger_rollup is.
 */
export const ledgerOrgRollup = sqliteTable(
  "ledger_org_rollup",
  {
    grain: text("grain", { enum: LEDGER_GRAINS }).notNull(),
    periodStart: integer("period_start").notNull(),
    departmentId: integer("department_id").notNull(),
    courseId: integer("course_id").notNull(),
    ...rollupModelKeys(),
    ...rollupSums(),
  },
  (t) => [
    primaryKey({
      columns: [t.grain, t.periodStart, t.departmentId, t.courseId, t.provider, t.model, t.tier, t.purpose],
    }),
  ],
);

/**
 * The ledger per UTC day, calendar month and all time by department and team only (~500 rows a month for 500
 * teams): team and department views, budgets and leaderboard spend read it. Kept from ledger_rollup by triggers
 * (migration 0010), like ledger_org_rollup.
 */
export const ledgerTeamRollup = sqliteTable(
  "ledger_team_rollup",
  {
    grain: text("grain", { enum: LEDGER_GRAINS }).notNull(),
    periodStart: integer("period_start").notNull(),
    departmentId: integer("department_id").notNull(),
    teamId: integer("team_id").notNull(),
    ...rollupSums(),
  },
  (t) => [primaryKey({ columns: [t.grain, t.periodStart, t.departmentId, t.teamId] })],
);

/**
 * A course assigned to a team (whoever is in it now) or to one person, due at the end of a UTC day. The set of
 * exercises that counts is the course's published exercises when it was assigned (exercise_ids), so publishing
 * a new one later does not lower anyone's completion; one that is unpublished since drops out. Removing an
 * assignment keeps the row (removed_at) as the record.
 */
export const assignments = sqliteTable(
  "assignments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    courseId: integer("course_id")
      .notNull()
      .references(() => courses.id),
    teamId: integer("team_id").references(() => teams.id, { onDelete: "cascade" }),
    userId: integer("user_id").references(() => users.id, { onDelete: "cascade" }),
    dueAt: integer("due_at", { mode: "timestamp_ms" }).notNull(),
    exerciseIds: text("exercise_ids", { mode: "json" }).$type<number[]>().notNull(),
    assignedBy: integer("assigned_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    removedAt: integer("removed_at", { mode: "timestamp_ms" }),
    removedBy: integer("removed_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    check("assignments_one_target", sql`(team_id is null) <> (user_id is null)`),
    uniqueIndex("assignments_team_course")
      .on(t.teamId, t.courseId)
      .where(sql`removed_at is null and team_id is not null`),
    uniqueIndex("assignments_user_course")
      .on(t.userId, t.courseId)
      .where(sql`removed_at is null and user_id is not null`),
  ],
);

/** Prompts a learner set aside in the workbench (before a reset or loading an earlier attempt), newest kept. */
export const draftHistory = sqliteTable(
  "draft_history",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    exerciseId: integer("exercise_id")
      .notNull()
      .references(() => exercises.id),
    prompt: text("prompt").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("draft_history_user_exercise").on(t.userId, t.exerciseId, t.createdAt)],
);

export type Assignment = typeof assignments.$inferSelect;

// Production usage (imports, attribution): its own file, re-exported so `#db/schema` stays the one import.
export * from "./usage-schema";
