import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/.server/db";
import { getSetting } from "~/.server/settings";
import { reallocate, reallocationSteps } from "~/.server/usage/allocate";
import { attributionPendingResponse } from "~/.server/usage/final-figures";
import { reattributeAll } from "~/.server/usage/fingerprint";
import { reattribute, reattributionSettled, reattributionStatus } from "~/.server/usage/reattribution";
import type { UsageRow } from "~/.server/usage/row";
import { saveRule } from "~/.server/usage/rules";
import { UsageStore } from "~/.server/usage/store";
import { usageUpkeep } from "~/.server/usage/upkeep";
import { action as rulesAction, loader as rulesPage } from "~/routes/admin.usage.rules";
import { loader as impactPage } from "~/routes/finops.impact";
import { loader as impactCsv } from "~/routes/finops.impact[.]csv";
import { loader as productionPage } from "~/routes/finops.production";
import { loader as productionExport } from "~/routes/finops.production.export.$view";
import { call, get, unwrap } from "./harness";
import { type Org, seedOrg } from "./org-fixture";

/**
 * Saving an attribution rule marks history and answers at once; the background run attributes the marked days in
 * slices, ends equal to attributing everything in one go, takes in a rule saved while it runs, is finished by the next
 * start when killed, and the pages that read attributed figures say so until it has.
 */

let org: Org;
let admin: string;
const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 5);
const DAYS = 40; // several slices, across a month end and several weeks
const ROLLUPS = ["usage_rollup", "usage_team_rollup", "usage_department_rollup", "usage_use_rollup"];

beforeAll(async () => {
  org = await seedOrg();
  admin = org.user.pat.cookie;
});

beforeEach(() => {
  db().$client.exec(
    `delete from usage_rules; delete from usage_records; delete from usage_dim_daily; delete from usage_dims;
     delete from usage_dirty_days; ${ROLLUPS.map((t) => `delete from ${t};`).join(" ")}`,
  );
  const rows: UsageRow[] = Array.from({ length: DAYS * 3 }, (_, i) => ({
    key: `r${i}`,
    dims: {
      source: "openai",
      provider: "OpenAI",
      service: "OpenAI API",
      account: null,
      project: ["p1", "p2", "p3"][i % 3],
      apiKey: null,
      workspace: null,
      user: null,
      model: i % 4 === 0 ? "o1" : "gpt-4o",
      tier: i % 4 === 0 ? "frontier" : "medium",
      tags: {},
    },
    periodStart: START + Math.floor(i / 3) * DAY + 3_600_000,
    periodEnd: START + Math.floor(i / 3) * DAY + 7_200_000,
    calls: 10 + i,
    inputTokens: 1_000 * (i + 1),
    cachedInputTokens: 100 * i,
    outputTokens: 50 * (i + 1),
    costMicros: 1_000 * (i + 7),
    listCostMicros: null,
  }));
  new UsageStore(db()).write(rows, 1);
  reallocate(db());
});

function post(fields: Record<string, string | string[]>) {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) form.append(k, x);
  return new Request("http://localhost/admin/usage/rules", {
    method: "POST",
    body: form,
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: admin },
  });
}

async function saveVia(fields: Record<string, string>) {
  const res = unwrap<{ ok: boolean; message: string }>(
    await call(rulesAction, post({ intent: "save", match: "is", field: "project", targetKind: "team", ...fields })),
  );
  expect(res.body.ok).toBe(true);
  return res.body;
}

/** Every rollup table at every grain, in a fixed order. */
function snapshot() {
  return ROLLUPS.map((t) => db().$client.prepare(`select * from ${t} order by 1, 2, 3, 4, 5, 6, 7, 8`).all());
}

const marked = () => db().$client.prepare("select count(*) from usage_dirty_days").pluck().get() as number;
const teamCost = (teamId: number) =>
  db()
    .$client.prepare("select coalesce(sum(cost_micros), 0) from usage_rollup where grain = 'day' and team_id = ?")
    .pluck()
    .get(teamId) as number;

describe("re-attribution after a rule change", () => {
  it("is not done in the request: the action answers with every day still marked, and the background run ends equal to attributing in one go", async () => {
    const before = snapshot();
    const saved = await saveVia({ value: "p1", teamId: String(org.team.alpha) });
    // The handler has returned: no day has been attributed again yet, the rollups are as they were.
    expect(saved.message).toMatch(/40 days are being attributed again/);
    expect(marked()).toBe(DAYS);
    expect(snapshot()).toEqual(before);
    expect(reattributionStatus(db())).toMatchObject({ daysLeft: DAYS, days: DAYS });

    await reattributionSettled(db());
    expect(marked()).toBe(0);
    expect(reattributionStatus(db())).toBeNull();
    expect(getSetting(db(), "usageReattribution").since).toBe("");
    const background = snapshot();
    expect(background).not.toEqual(before);
    expect(teamCost(org.team.alpha)).toBeGreaterThan(0);
    reattributeAll(db());
    expect(snapshot()).toEqual(background);
  });

  it("takes in a rule saved while a run is under way: the figures end under the last rules saved", async () => {
    await saveVia({ value: "p1", teamId: String(org.team.alpha) });
    // Let the run attribute a few slices, then edit the rule while it is half-way.
    while (marked() > DAYS - 6) await new Promise((resolve) => setImmediate(resolve));
    expect(marked()).toBeGreaterThan(0);
    const ruleId = db().$client.prepare("select id from usage_rules").pluck().get() as number;
    await saveVia({ value: "p1", teamId: String(org.team.beta), ruleId: String(ruleId) });
    await saveVia({ value: "p2", teamId: String(org.team.delta) });
    await reattributionSettled(db());

    expect(marked()).toBe(0);
    expect(teamCost(org.team.alpha)).toBe(0);
    expect(teamCost(org.team.beta)).toBeGreaterThan(0);
    const background = snapshot();
    reattributeAll(db());
    expect(snapshot()).toEqual(background);
  });

  it("applies a rule saved between two slices of a run to that run's later slices (its kept attribution is dropped)", async () => {
    const rule = { field: "project" as const, match: "is" as const, value: "p1", targetKind: "team" as const };
    const first = saveRule(db(), { ...rule, teamId: org.team.alpha, sharedTeamIds: [] }, org.user.pat.id);
    const run = reallocationSteps(db(), "dirty");
    run.next();
    saveRule(db(), { ...rule, teamId: org.team.beta, sharedTeamIds: [] }, org.user.pat.id, first.ok ? first.ruleId : 0);
    while (!run.next().done);
    // The days this run did after the edit are done under it and off the list; those it did before are marked again.
    expect(marked()).toBeGreaterThan(0);
    expect(marked()).toBeLessThan(DAYS);
    await reattribute(db());
    expect(teamCost(org.team.alpha)).toBe(0);
    const finished = snapshot();
    reattributeAll(db());
    expect(snapshot()).toEqual(finished);
  });

  it("is finished by the next start, or the next upkeep tick, when the process is killed between slices", async () => {
    const change = saveRule(
      db(),
      { field: "project", match: "is", value: "p3", targetKind: "team", teamId: org.team.gamma, sharedTeamIds: [] },
      org.user.pat.id,
    );
    expect(change).toMatchObject({ ok: true, markedDays: DAYS });
    const killed = reallocationSteps(db(), "dirty");
    killed.next(); // one slice written, then the process dies
    const left = reattributionStatus(db());
    expect(left).toMatchObject({ days: DAYS, since: expect.any(String) });
    expect(left?.daysLeft).toBeGreaterThan(0);
    expect(left?.daysLeft).toBeLessThan(DAYS);
    // What the server runs as it starts (app/entry.server.tsx).
    expect(await reattribute(db())).toBe(left?.daysLeft);
    expect(reattributionStatus(db())).toBeNull();
    const finished = snapshot();
    reattributeAll(db());
    expect(snapshot()).toEqual(finished);

    // The same kill, finished by the upkeep instead.
    saveRule(
      db(),
      {
        field: "project",
        match: "is",
        value: "p3",
        targetKind: "department",
        departmentId: org.dept.finance,
        sharedTeamIds: [],
      },
      org.user.pat.id,
    );
    reallocationSteps(db(), "dirty").next();
    const rest = reattributionStatus(db())?.daysLeft;
    expect(rest).toBeLessThan(DAYS);
    expect((await usageUpkeep(db(), new Date())).reallocatedDays).toBe(rest);
    expect(reattributionStatus(db())).toBeNull();
    const upkept = snapshot();
    reattributeAll(db());
    expect(snapshot()).toEqual(upkept);
  });

  it("is shown on the rules page and the showback pages while it runs, and the notice goes when it is done", async () => {
    type Status = { reattribution: { daysLeft: number; days: number; since: string | null } | null };
    const pages = async () => ({
      rules: unwrap<Status>(await call(rulesPage, get("/admin/usage/rules", admin))).body.reattribution,
      production: unwrap<Status>(await call(productionPage, get("/finops/production", admin))).body.reattribution,
      impact: unwrap<Status>(await call(impactPage, get("/finops/impact", admin))).body.reattribution,
    });
    expect(await pages()).toEqual({ rules: null, production: null, impact: null });
    const at = Date.now();
    await saveVia({ value: "p2", teamId: String(org.team.beta) });
    const during = await pages();
    expect(during.production).toMatchObject({ days: DAYS });
    expect(during.impact).toMatchObject({ days: DAYS });
    expect(during.rules?.daysLeft).toBeGreaterThan(0);
    expect(Date.parse(during.rules?.since ?? "")).toBeGreaterThanOrEqual(at - 1_000);
    await reattributionSettled(db());
    expect(await pages()).toEqual({ rules: null, production: null, impact: null });
  });

  it("never exports a file that mixes the old attribution and the new: an export waits for the run, or says why not", async () => {
    const exportTeams = async () => {
      const res = (await productionExport({
        request: get("/finops/production/export/team?from=2026-01-01&to=2026-03-01", admin),
        params: { view: "team" },
        context: {},
      })) as Response;
      return { status: res.status, body: await res.text() };
    };
    const before = await exportTeams();
    expect(before.status).toBe(200);

    // A rule saved: its run goes in the background; the export waits for it and gives the final figures.
    await saveVia({ value: "p1", teamId: String(org.team.gamma) });
    expect(reattributionStatus(db())).not.toBeNull();
    const during = await exportTeams();
    expect(reattributionStatus(db())).toBeNull();
    expect(during.status).toBe(200);
    expect(during.body).toBe((await exportTeams()).body);
    expect(during.body).not.toBe(before.body);
    const impact = (await impactCsv({
      request: get("/finops/impact.csv", admin),
      params: {},
      context: {},
    })) as Response;
    expect(impact.status).toBe(200);

    // A change no run has taken yet (the process died before it started), and no time to wait: a 503 that says why.
    saveRule(
      db(),
      { field: "project", match: "is", value: "p2", targetKind: "team", teamId: org.team.gamma, sharedTeamIds: [] },
      org.user.pat.id,
    );
    const refused = await attributionPendingResponse(db(), 0);
    expect(refused?.status).toBe(503);
    expect(refused?.headers.get("Retry-After")).toBe("30");
    expect(await refused?.text()).toMatch(
      /being updated: usage is being attributed again \(\d+ days? of history left\)/,
    );
    // Its wait started the run: the next export has final figures.
    await reattributionSettled(db());
    expect(reattributionStatus(db())).toBeNull();
    expect(await attributionPendingResponse(db(), 0)).toBeNull();
  });
});
