import { beforeAll, describe, expect, it } from "vitest";
import { progressGrid } from "~/.server/dashboard/grid";
import { learnerDetail } from "~/.server/dashboard/learner";
import { teamDetail } from "~/.server/dashboard/team";
import { db } from "~/.server/db";
import { viewerScope } from "~/.server/scope";
import { loadContent } from "~/exercises/load.server";
import { loader as gridLoader } from "~/routes/manager._index";
import { loader as attemptLoader } from "~/routes/manager.attempts.$attemptId";
import { loader as gridCsvLoader } from "~/routes/manager.grid[.]csv";
import { loader as learnerLoader } from "~/routes/manager.learners.$userId";
import { loader as teamLoader } from "~/routes/manager.teams.$teamId";
import { loader as teamCsvLoader } from "~/routes/manager.teams.$teamId_.learners[.]csv";
import { call, get, unwrap } from "./harness";
import { NOW, type Org, seedOrg } from "./org-fixture";

let org: Org;
beforeAll(async () => {
  org = await seedOrg();
});

/** The scope the pages would compute for a fixture user (Pat is the admin; the others manage or head). */
const scopeOf = (user: { id: number }) =>
  viewerScope(db(), { id: user.id, roles: user.id === org.user.pat.id ? ["admin"] : ["learner", "manager"] });

/** A tiny RFC 4180 reader for the tests (quoted cells, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n") {
      row.push(cell.replace(/\r$/, ""));
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  return rows;
}

const records = (text: string) => {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
};

/** prompt-compression's exercises in exercises/ (the course grows as content is added). */
const courseExercises = (slug: string) => loadContent().exercises.filter((e) => e.exercise.course === slug).length;
const compressionExercises = courseExercises("prompt-compression");

describe("the team × course progress grid", () => {
  it("shows a manager only the teams they manage, with completion and best scores per course", () => {
    const grid = progressGrid(db(), scopeOf(org.user.mia));
    expect(grid.teams.map((t) => [t.name, t.members])).toEqual([["Alpha", 3]]);
    const compression = grid.courses.find((c) => c.slug === "prompt-compression")!;
    const cost = grid.courses.find((c) => c.slug === "cost-aware-models")!;
    expect(compression.exercises).toBe(compressionExercises);
    const cell = (courseId: number) => grid.cells.find((c) => c.courseId === courseId)!;
    // Ana passed compress (best 1000) and safety (800), Ben compress (500): 3 of 3 members × the course's exercises.
    expect(cell(compression.id)).toMatchObject({ passed: 3, attempted: 3, averageBest: 767, medianBest: 800 });
    expect(cell(compression.id).completion).toBeCloseTo(3 / (3 * compressionExercises), 10);
    expect(cell(cost.id)).toMatchObject({ passed: 1, attempted: 1, averageBest: 1000, medianBest: 1000 });
    expect(cell(cost.id).completion).toBeCloseTo(1 / (3 * courseExercises("cost-aware-models")), 10);
  });

  it("shows a department head every team of the department, and a team with no attempts as empty", () => {
    const grid = progressGrid(db(), scopeOf(org.user.ola));
    expect(grid.teams.map((t) => t.name)).toEqual(["Alpha", "Beta", "Gamma"]);
    const gamma = grid.cells.filter((c) => c.teamId === org.team.gamma);
    expect(gamma.every((c) => c.completion === 0 && c.averageBest === null && c.medianBest === null)).toBe(true);
  });

  it("shows an admin every team", () => {
    expect(progressGrid(db(), scopeOf(org.user.pat)).teams.map((t) => t.name)).toEqual([
      "Delta",
      "Alpha",
      "Beta",
      "Gamma",
    ]);
  });
});

describe("a team's learners", () => {
  it("gives each learner passes, best scores, skill strengths and projected savings of their best passes", () => {
    const detail = teamDetail(db(), scopeOf(org.user.mia), org.team.alpha, NOW)!;
    expect(detail.learners.map((l) => l.name)).toEqual(["Ana Heavy", "Ben Alpha", "Cal Alpha"]);
    const [ana, ben, cal] = detail.learners;
    expect(ana).toMatchObject({ attempts: 11, exercisesAttempted: 3, exercisesPassed: 3, meanBest: 933 });
    expect(ana.skills).toEqual({
      compression: 100,
      "model-tiering": 100,
      "structured-output": null,
      caching: null,
      safety: 80,
      "context-engineering": null,
    });
    // Best passes only (the 100-token 1000 beats the 150-token 1000): $7 + $3 + $30 a month;
    // tokens (400−100)×1.2M + (250−50)×6M + (900−300)×750k.
    expect(ana.savings).toEqual({ monthlyMicros: 40_000_000, monthlyTokens: 2_010_000_000 });
    expect(ben.savings).toEqual({ monthlyMicros: 4_000_000, monthlyTokens: 240_000_000 });
    expect(ben.skills.compression).toBe(50);
    expect(cal).toMatchObject({ attempts: 0, exercisesPassed: 0, meanBest: null });
    expect(cal.skills.compression).toBeNull();
    expect(detail.totals).toEqual({
      members: 3,
      exercisesPassed: 4,
      savings: { monthlyMicros: 44_000_000, monthlyTokens: 2_250_000_000 },
    });
  });

  it("charts attempts and the median score per ISO week over the last 12 weeks", () => {
    const { trend, learners } = teamDetail(db(), scopeOf(org.user.mia), org.team.alpha, NOW)!;
    expect(trend).toHaveLength(12);
    expect(trend.at(-1)).toEqual({
      week: "2026-W12",
      start: "2026-03-16T00:00:00.000Z",
      attempts: 8,
      medianScore: 925,
    });
    expect(trend.at(-2)).toMatchObject({ week: "2026-W11", attempts: 0, medianScore: null });
    expect(trend.at(-3)).toMatchObject({ week: "2026-W10", attempts: 4, medianScore: 650 });
    expect(learners[1].trend.at(-1)).toMatchObject({ attempts: 1, medianScore: 500 });
  });

  it("is null for a team outside the viewer's scope", () => {
    expect(teamDetail(db(), scopeOf(org.user.ned), org.team.alpha, NOW)).toBeNull();
    expect(learnerDetail(db(), scopeOf(org.user.ned), org.user.ana.id, NOW)).toBeNull();
  });

  it("lists a learner's attempts newest first for the drill-down", () => {
    const detail = learnerDetail(db(), scopeOf(org.user.mia), org.user.ana.id, NOW)!;
    expect(detail.attempts).toHaveLength(11);
    expect(detail.attempts[0].exerciseSlug).toBe("keep-the-safety-rules");
    expect(detail.stats.savings.monthlyMicros).toBe(40_000_000);
  });
});

describe("manager pages", () => {
  it("refuse a learner with 403", async () => {
    for (const [loader, path, params] of [
      [gridLoader, "/manager", {}],
      [teamLoader, `/manager/teams/${org.team.alpha}`, { teamId: String(org.team.alpha) }],
    ] as const) {
      const res = (await call(loader, get(path, org.user.ben.cookie), params)) as Response;
      expect(res.status).toBe(403);
    }
  });

  it("answer 404 to a manager of another team, for its team, learner, attempt and export", async () => {
    const ned = org.user.ned.cookie;
    const teamId = String(org.team.alpha);
    const cases = [
      [teamLoader, `/manager/teams/${teamId}`, { teamId }],
      [teamCsvLoader, `/manager/teams/${teamId}/learners.csv`, { teamId }],
      [learnerLoader, `/manager/learners/${org.user.ana.id}`, { userId: String(org.user.ana.id) }],
      [attemptLoader, `/manager/attempts/${org.anaBestCompress}`, { attemptId: String(org.anaBestCompress) }],
    ] as const;
    for (const [loader, path, params] of cases) {
      const res = (await call(loader, get(path, ned), params)) as Response;
      expect(res.status, path).toBe(404);
    }
  });

  it("answer 404 alike for a team that does not exist, and 400 for a malformed id", async () => {
    const mia = org.user.mia.cookie;
    expect(((await call(teamLoader, get("/manager/teams/999999", mia), { teamId: "999999" })) as Response).status).toBe(
      404,
    );
    expect(((await call(teamLoader, get("/manager/teams/abc", mia), { teamId: "abc" })) as Response).status).toBe(400);
  });

  it("open the team, learner and attempt in scope to their manager, department head and an admin", async () => {
    for (const viewer of [org.user.mia, org.user.ola, org.user.pat]) {
      const team = unwrap<{ team: { name: string } }>(
        await call(teamLoader, get(`/manager/teams/${org.team.alpha}`, viewer.cookie), {
          teamId: String(org.team.alpha),
        }),
      );
      expect(team.body.team.name).toBe("Alpha");
      const learner = unwrap<{ learner: { name: string } }>(
        await call(learnerLoader, get(`/manager/learners/${org.user.ana.id}`, viewer.cookie), {
          userId: String(org.user.ana.id),
        }),
      );
      expect(learner.body.learner.name).toBe("Ana Heavy");
      const attempt = unwrap<{ learner: { name: string }; attempt: { score: number }; bestOther: { score: number } }>(
        await call(attemptLoader, get(`/manager/attempts/${org.anaBestCompress}`, viewer.cookie), {
          attemptId: String(org.anaBestCompress),
        }),
      );
      expect(attempt.status).toBe(200);
      expect(attempt.body.learner.name).toBe("Ana Heavy");
      expect(attempt.body.attempt.score).toBe(1000);
      expect(attempt.body.bestOther.score).toBe(1000);
    }
  });

  it("let an admin open a learner without a team, which no manager's scope reaches", async () => {
    const params = { userId: String(org.user.mia.id) };
    const path = `/manager/learners/${org.user.mia.id}`;
    expect(unwrap(await call(learnerLoader, get(path, org.user.pat.cookie), params)).status).toBe(200);
    expect(((await call(learnerLoader, get(path, org.user.ola.cookie), params)) as Response).status).toBe(404);
  });

  it("keep a manager to their own team's attempts", async () => {
    const res = (await call(attemptLoader, get(`/manager/attempts/${org.halOld}`, org.user.mia.cookie), {
      attemptId: String(org.halOld),
    })) as Response;
    expect(res.status).toBe(404);
  });
});

describe("CSV exports", () => {
  it("export the grid of the manager's scope with completion and best scores", async () => {
    const res = (await call(gridCsvLoader, get("/manager/grid.csv", org.user.mia.cookie))) as Response;
    expect(res.headers.get("Content-Type")).toMatch(/text\/csv/);
    const rows = records(await res.text());
    // One row per course in exercises/ (courses are added there), all of them for the manager's one team.
    expect(new Set(rows.map((r) => r.team))).toEqual(new Set(["Alpha"]));
    expect(rows).toHaveLength(loadContent().courses.length);
    const compression = rows.find((r) => r.course === "Prompt compression fundamentals")!;
    expect(compression).toMatchObject({
      members: "3",
      exercises: String(compressionExercises),
      passed: "3",
      completion_percent: String(Math.round((1000 * 3) / (3 * compressionExercises)) / 10),
      average_best_score: "767",
      median_best_score: "800",
    });
  });

  it("export a team's learners with savings that add up, and escape a formula-like name", async () => {
    const res = (await call(teamCsvLoader, get(`/manager/teams/${org.team.alpha}/learners.csv`, org.user.mia.cookie), {
      teamId: String(org.team.alpha),
    })) as Response;
    const rows = records(await res.text());
    const ana = rows.find((r) => r.name === "Ana Heavy")!;
    expect(ana).toMatchObject({
      exercises_passed: "3",
      strength_compression: "100",
      strength_caching: "",
      monthly_savings_micros: "40000000",
      monthly_savings_usd: "40",
      monthly_tokens_saved: "2010000000",
    });
    expect(rows.reduce((s, r) => s + Number(r.monthly_savings_micros), 0)).toBe(44_000_000);

    const gamma = (await call(
      teamCsvLoader,
      get(`/manager/teams/${org.team.gamma}/learners.csv`, org.user.ola.cookie),
      {
        teamId: String(org.team.gamma),
      },
    )) as Response;
    const names = records(await gamma.text()).map((r) => r.name);
    expect(names).toContain("'=Gus Gamma");
  });
});
