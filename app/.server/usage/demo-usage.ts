import type { Db } from "~/.server/db";
import { costMicros } from "~/domain/cost";
import { seededRandom } from "~/domain/seeded-random";
import { runImport } from "./import-run";
import type { ReadItem, UsageReader } from "./reader";
import { reattribute } from "./reattribution";
import type { UsageRow } from "./row";
import { type RuleInput, saveRule } from "./rules";
import { catalogue } from "./sources";

/**
 * The demo organisation's production usage: DEMO_DAYS days up to yesterday of OpenAI and Anthropic usage per team
 * (a project and an API key each, several models and tiers), generated deterministically (a seeded generator, no
 * clock in the figures but the end day), imported through the real importer, with the attribution rules an admin
 * would write: one per team's project, one shared project split by calls, and a sandbox project no rule covers, so
 * the unallocated bucket shows. Two teams change how they call models from their training day on (shorter prompts,
 * fewer frontier calls, more cached input): their cost per call falls while the others' drifts up, so the training
 * impact page has something true to estimate.
 */

export const DEMO_DAYS = 90;
const DAY_MS = 86_400_000;

interface ModelShare {
  model: string;
  share: number;
}

export interface DemoTeamUsage {
  team: string;
  source: "openai" | "anthropic";
  project: string;
  apiKey: string;
  callsPerDay: number;
  inputTokens: number;
  outputTokens: number;
  cachedShare: number;
  models: ModelShare[];
  /** Days before the end when the team was trained (null: not trained in the period). */
  trainedDaysAgo: number | null;
}

/** Both support teams run the same assistant, so the same model mix. */
const SUPPORT_MODEL_MIX = [
  { model: "gpt-4.1-mini", share: 0.55 },
  { model: "gpt-4.1", share: 0.3 },
  { model: "o1", share: 0.05 },
  { model: "gpt-4.1-nano", share: 0.1 },
];

export const DEMO_TEAM_USAGE: DemoTeamUsage[] = [
  {
    team: "Support EMEA",
    source: "openai",
    project: "proj_support_emea",
    apiKey: "key_support_emea_prod",
    callsPerDay: 42_000,
    inputTokens: 1_900,
    outputTokens: 260,
    cachedShare: 0.1,
    models: SUPPORT_MODEL_MIX,
    trainedDaysAgo: 60,
  },
  {
    team: "Support Americas",
    source: "openai",
    project: "proj_support_americas",
    apiKey: "key_support_americas_prod",
    callsPerDay: 35_000,
    inputTokens: 1_800,
    outputTokens: 250,
    cachedShare: 0.1,
    models: SUPPORT_MODEL_MIX,
    trainedDaysAgo: null,
  },
  {
    team: "Platform",
    source: "anthropic",
    project: "wrkspc_platform",
    apiKey: "apikey_platform_ci",
    callsPerDay: 9_000,
    inputTokens: 3_500,
    outputTokens: 700,
    cachedShare: 0.3,
    models: [
      { model: "claude-sonnet-4", share: 0.6 },
      { model: "claude-3-5-haiku", share: 0.3 },
      { model: "claude-opus-4", share: 0.1 },
    ],
    trainedDaysAgo: null,
  },
  {
    team: "Data",
    source: "openai",
    project: "proj_data_pipelines",
    apiKey: "key_data_batch",
    callsPerDay: 16_000,
    inputTokens: 2_600,
    outputTokens: 180,
    cachedShare: 0.05,
    models: [
      { model: "gpt-4o", share: 0.45 },
      { model: "gpt-4o-mini", share: 0.4 },
      { model: "o1", share: 0.15 },
    ],
    trainedDaysAgo: 44,
  },
  {
    team: "FP&A",
    source: "openai",
    project: "proj_finance_reports",
    apiKey: "key_fpa_reports",
    callsPerDay: 2_500,
    inputTokens: 4_000,
    outputTokens: 900,
    cachedShare: 0.05,
    models: [
      { model: "gpt-4.1", share: 0.7 },
      { model: "gpt-4.1-mini", share: 0.3 },
    ],
    trainedDaysAgo: null,
  },
];

/** A project two teams share (split by calls) and one no rule covers (unallocated). */
const SHARED = { project: "proj_internal_tools", apiKey: "key_internal_tools", teams: ["Platform", "Data"] };
const SANDBOX = { project: "proj_sandbox", apiKey: "key_sandbox_hackday" };

/** After training: this much of the prompt is gone, frontier calls move to the next tier, more input is cached. */
const TRAINED = { inputFactor: 0.62, frontierFactor: 0.3, cachedShare: 0.35 };

/** The demo's usage rows for the DEMO_DAYS days ending the day before `end` (UTC). Pure, given the catalogue. */
export function demoUsageRows(endDay: number, cat: ReturnType<typeof catalogue>): UsageRow[] {
  const random = seededRandom(20_261_205);
  const rows: UsageRow[] = [];
  const frontier = (model: string) => cat.tiers.get(model) === "frontier";
  const push = (t: DemoTeamUsage, project: string, apiKey: string, day: number, dayIndex: number, scale: number) => {
    const daysAgo = DEMO_DAYS - dayIndex;
    const trained = t.trainedDaysAgo !== null && daysAgo <= t.trainedDaysAgo;
    const weekday = new Date(day).getUTCDay();
    const weekly = weekday === 0 || weekday === 6 ? 0.45 : 1;
    // Everyone's traffic grows about 0.3% a day and prompts creep up a little: the common trend.
    const growth = 1 + 0.003 * dayIndex;
    const creep = 1 + 0.0015 * dayIndex;
    const frontierShare = t.models.filter((m) => frontier(m.model)).reduce((s, m) => s + m.share, 0);
    for (const m of t.models) {
      let share = m.share;
      if (trained && frontier(m.model)) share *= TRAINED.frontierFactor;
      else if (trained && frontierShare > 0 && m === t.models[0]) share += frontierShare * (1 - TRAINED.frontierFactor);
      const calls = Math.round(t.callsPerDay * scale * weekly * growth * share * (0.9 + 0.2 * random()));
      if (calls === 0) continue;
      const perCallInput = Math.round(
        t.inputTokens * creep * (trained ? TRAINED.inputFactor : 1) * (0.95 + 0.1 * random()),
      );
      const perCallOutput = Math.round(t.outputTokens * (0.95 + 0.1 * random()));
      const cachedShare = trained ? TRAINED.cachedShare : t.cachedShare;
      const input = calls * perCallInput;
      const cached = Math.round(input * cachedShare);
      const output = calls * perCallOutput;
      const prices = cat.prices.get(m.model);
      const cost = prices ? costMicros(prices, { input, cachedInput: cached, output }) : 0;
      rows.push({
        key: `demo|${day}|${project}|${apiKey}|${m.model}`,
        dims: {
          source: t.source,
          provider: t.source === "openai" ? "OpenAI" : "Anthropic",
          service: t.source === "openai" ? "OpenAI API" : "Claude API",
          account: null,
          project,
          apiKey,
          workspace: t.source === "anthropic" ? project : null,
          user: null,
          model: m.model,
          tier: cat.tiers.get(m.model) ?? "unknown",
          tags: { environment: "production" },
        },
        periodStart: day,
        periodEnd: day + DAY_MS,
        calls,
        inputTokens: input,
        cachedInputTokens: cached,
        outputTokens: output,
        costMicros: cost,
        listCostMicros: cost,
      });
    }
  };
  for (let i = 0; i < DEMO_DAYS; i++) {
    const day = endDay - (DEMO_DAYS - i) * DAY_MS;
    for (const t of DEMO_TEAM_USAGE) push(t, t.project, t.apiKey, day, i, 1);
    push(DEMO_TEAM_USAGE[2], SHARED.project, SHARED.apiKey, day, i, 0.15);
    push(DEMO_TEAM_USAGE[4], SANDBOX.project, SANDBOX.apiKey, day, i, 0.4);
  }
  return rows;
}

function reader(rows: UsageRow[]): UsageReader {
  let read = 0;
  return {
    unit: "row",
    bytesTotal: null,
    bytesRead: () => read,
    async *items(): AsyncIterable<ReadItem> {
      for (const [i, row] of rows.entries()) {
        read = i + 1;
        yield { kind: "row", at: i + 1, row };
      }
    },
  };
}

/**
 * Imports the demo's usage (one import per source, as an admin's would be) and writes its attribution rules.
 * `teams` maps the demo's team names to ids; `adminId` is who "wrote" the rules.
 */
export async function seedDemoUsage(database: Db, now: Date, teams: Map<string, number>, adminId: number) {
  const endDay = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const rows = demoUsageRows(endDay, catalogue(database));
  for (const source of ["openai", "anthropic"] as const)
    await runImport(database, reader(rows.filter((r) => r.dims.source === source)), {
      source,
      origin: `demo: ${DEMO_DAYS} days of generated ${source === "openai" ? "OpenAI" : "Anthropic"} usage`,
      policy: "keep",
      duplicates: "replace",
    });
  const rule = (r: Partial<RuleInput>): RuleInput => ({
    field: "project",
    match: "is",
    value: "",
    targetKind: "team",
    sharedTeamIds: [],
    ...r,
  });
  for (const t of DEMO_TEAM_USAGE) {
    const teamId = teams.get(t.team);
    if (teamId !== undefined) saveRule(database, rule({ value: t.project, teamId }), adminId);
  }
  const shared = SHARED.teams.map((name) => teams.get(name)).filter((id): id is number => id !== undefined);
  if (shared.length === 2)
    saveRule(
      database,
      rule({ value: SHARED.project, targetKind: "shared", sharedTeamIds: shared, splitBy: "calls" }),
      adminId,
    );
  // The seeded pages show final figures: the rules' history is attributed before the seed returns.
  await reattribute(database);
  return rows.length;
}
