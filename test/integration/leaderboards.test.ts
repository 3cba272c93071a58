import { beforeAll, describe, expect, it } from "vitest";
import { departmentBoard, learnerBoard, teamBoard } from "~/.server/dashboard/leaderboards";
import { db } from "~/.server/db";
import { exerciseLeaderboard } from "~/.server/leaderboard";
import { setSetting } from "~/.server/settings";
import { loader } from "~/routes/leaderboard";
import { call, exerciseId, get, unwrap } from "./harness";
import { C, NOW, type Org, seedOrg } from "./org-fixture";

let org: Org;
beforeAll(async () => {
  org = await seedOrg();
});

const byName = <T extends { name: string }>(rows: T[], name: string) => {
  const row = rows.find((r) => r.name === name);
  if (!row) throw new Error(`no row named ${name} in ${rows.map((r) => r.name).join(", ")}`);
  return row;
};

describe("learner leaderboard", () => {
  it("sums best normalised passing scores per exercise, ranks ties together and skips the next rank", () => {
    const rows = learnerBoard(db(), { window: "all", now: NOW }).top;
    // Ana: compress 1000×0.9×1.10 = 990, route 1000×1.0×1.15 = 1150, safety 800×1.2×1.05 = 1008.
    expect(rows.map((r) => [r.name, r.total, r.passed, r.rank])).toEqual([
      ["Ana Heavy", 3148, 3, 1],
      ["Dee Beta", 1284, 2, 2],
      ["Eve Beta", 1284, 2, 2],
      ["Hal Delta", 693, 1, 4],
      ["Ben Alpha", 495, 1, 5],
    ]);
  });

  it("returns the top rows with the ranks of the whole board, and the viewer's standing below the cut", () => {
    const hal = learnerBoard(db(), { window: "all", now: NOW }).top.find((r) => r.name === "Hal Delta");
    const board = learnerBoard(db(), { window: "all", now: NOW, limit: 2, viewerId: hal?.userId });
    // The cut falls inside the tie at 1284: Dee comes before Eve by name, and both keep rank 2.
    expect(board.top.map((r) => [r.name, r.rank])).toEqual([
      ["Ana Heavy", 1],
      ["Dee Beta", 2],
    ]);
    expect(board.mine).toMatchObject({ name: "Hal Delta", rank: 4, total: 693 });
    expect(board.ranked).toBe(5);
    expect(learnerBoard(db(), { window: "all", now: NOW, limit: 2, viewerId: -1 }).mine).toBeNull();
  });

  it("counts only the best attempt per exercise, however many attempts a learner makes", () => {
    const ana = byName(learnerBoard(db(), { window: "all", now: NOW }).top, "Ana Heavy");
    expect(ana.passed).toBe(3);
    expect(ana.total).toBe(990 + 1150 + 1008);
  });

  it("keeps an attempt from 40 days ago in all time but not in this month or this week", () => {
    const all = learnerBoard(db(), { window: "all", now: NOW }).top.map((r) => r.name);
    const month = learnerBoard(db(), { window: "month", now: NOW }).top;
    const week = learnerBoard(db(), { window: "week", now: NOW }).top;
    expect(all).toContain("Hal Delta");
    expect(month.map((r) => r.name)).not.toContain("Hal Delta");
    expect(month.map((r) => [r.name, r.rank])).toEqual([
      ["Ana Heavy", 1],
      ["Dee Beta", 2],
      ["Eve Beta", 2],
      ["Ben Alpha", 4],
    ]);
    expect(week.map((r) => r.name)).toEqual(month.map((r) => r.name));
  });
});

describe("team leaderboard", () => {
  it("ranks by the median member, so one heavy user does not lift the team above a steadier one", () => {
    const rows = teamBoard(db(), { window: "all", now: NOW });
    expect(rows.map((r) => [r.rank, r.name, r.medianBest, r.participants, r.members])).toEqual([
      [1, "Beta", 1284, 2, 2],
      [2, "Delta", 693, 1, 1],
      [3, "Alpha", 495, 2, 3],
      [4, "Gamma", 0, 0, 2],
    ]);
    const alpha = byName(rows, "Alpha");
    const beta = byName(rows, "Beta");
    expect(alpha.totalBest).toBeGreaterThan(beta.totalBest); // Ana alone out-scores Beta, yet Beta ranks first
    expect(alpha.participation).toBeCloseTo(2 / 3, 10);
  });

  it("gives a team with no attempts a median of 0, participation 0 and no quality per dollar", () => {
    const gamma = byName(teamBoard(db(), { window: "all", now: NOW }), "Gamma");
    expect(gamma).toMatchObject({
      medianBest: 0,
      participation: 0,
      totalBest: 0,
      spendMicros: 0,
      qualityPerDollar: null,
    });
  });

  it("computes spend and quality per dollar from the ledger, per window", () => {
    const all = teamBoard(db(), { window: "all", now: NOW });
    expect(byName(all, "Alpha")).toMatchObject({ spendMicros: 2_000_000, qualityPerDollar: 1821.5 });
    expect(byName(all, "Delta")).toMatchObject({ spendMicros: 250_000, qualityPerDollar: 2772 });
    expect(byName(all, "Beta").qualityPerDollar).toBeNull(); // no spend: "—", not infinity
    const month = teamBoard(db(), { window: "month", now: NOW });
    expect(byName(month, "Alpha").spendMicros).toBe(1_500_000);
    expect(byName(month, "Alpha").qualityPerDollar).toBeCloseTo(3643 / 1.5, 6);
  });

  it("counts a member whose only attempt in the window failed as participating, with a total of 0", () => {
    const month = teamBoard(db(), { window: "month", now: NOW });
    expect(month.map((r) => [r.rank, r.name])).toEqual([
      [1, "Beta"],
      [2, "Alpha"],
      [3, "Delta"],
      [4, "Gamma"],
    ]);
    expect(byName(month, "Delta")).toMatchObject({
      medianBest: 0,
      participants: 1,
      participation: 1,
      qualityPerDollar: 0,
    });
  });
});

describe("department leaderboard", () => {
  it("takes the median over every member of the department and the cost centre's ledger spend", () => {
    const rows = departmentBoard(db(), { window: "all", now: NOW });
    expect(rows.map((r) => [r.rank, r.name, r.parent, r.medianBest, r.participants, r.members, r.spendMicros])).toEqual(
      [
        [1, "Fixture Finance", "CC-FX2", 693, 1, 1, 250_000],
        [2, "Fixture Support", "CC-FX1", 495, 4, 7, 2_000_000],
      ],
    );
    expect(byName(rows, "Fixture Support").qualityPerDollar).toBeCloseTo((3148 + 495 + 1284 + 1284) / 2, 6);
  });
});

describe("per-exercise leaderboard", () => {
  it("still ranks best passing raw scores on one exercise, with the window applied", () => {
    const all = exerciseLeaderboard(db(), exerciseId(C));
    expect(all.map((r) => [r.name, r.score, r.rank])).toEqual([
      ["Ana Heavy", 1000, 1],
      ["Hal Delta", 700, 2],
      ["Dee Beta", 600, 3],
      ["Eve Beta", 600, 3],
      ["Ben Alpha", 500, 5],
    ]);
    const month = exerciseLeaderboard(db(), exerciseId(C), 50, new Date("2026-03-01T00:00:00Z"));
    expect(month.map((r) => r.name)).not.toContain("Hal Delta");
  });
});

type Page = {
  privacy: boolean;
  learnerRanks: { userId: number | null; name: string; team: string | null }[];
  groupRanks: { name: string }[];
  exerciseRanks: { userId: number | null; name: string }[];
};
const page = async (cookie: string, query = "view=learners&window=all") =>
  unwrap<Page>(await call(loader, get(`/leaderboard?${query}&exercise=${C}`, cookie)));

describe("the leaderboard page", () => {
  it("answers 400 naming a bad window or view", async () => {
    const res = (await call(loader, get("/leaderboard?window=year", org.user.ben.cookie))) as Response;
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/window/);
    expect(((await call(loader, get("/leaderboard?view=people", org.user.ben.cookie))) as Response).status).toBe(400);
  });

  it("shows teams and departments to every signed-in learner", async () => {
    const teams = await page(org.user.fay.cookie, "view=teams&window=all");
    expect(teams.status).toBe(200);
    expect(teams.body.groupRanks.map((g) => g.name)).toEqual(["Beta", "Delta", "Alpha", "Gamma"]);
    const depts = await page(org.user.fay.cookie, "view=departments&window=all");
    expect(depts.body.groupRanks.map((g) => g.name)).toEqual(["Fixture Finance", "Fixture Support"]);
  });

  describe("privacy mode", () => {
    it("shows every name to everyone while it is off", async () => {
      setSetting(db(), "privacyMode", false, org.user.pat.id);
      const { body } = await page(org.user.ben.cookie);
      expect(body.privacy).toBe(false);
      expect(body.learnerRanks.map((r) => r.name)).toContain("Dee Beta");
    });

    it("hides names and ids outside the learner's own team when on", async () => {
      setSetting(db(), "privacyMode", true, org.user.pat.id);
      const { body } = await page(org.user.ben.cookie);
      expect(body.privacy).toBe(true);
      expect(body.learnerRanks.map((r) => r.name)).toEqual([
        "Ana Heavy",
        "Learner in Beta",
        "Learner in Beta",
        "Learner in Delta",
        "Ben Alpha",
      ]);
      expect(body.learnerRanks.filter((r) => r.userId !== null).map((r) => r.userId)).toEqual([
        org.user.ana.id,
        org.user.ben.id,
      ]);
      expect(body.exerciseRanks.map((r) => r.name)).toEqual([
        "Ana Heavy",
        "Learner in Delta",
        "Learner in Beta",
        "Learner in Beta",
        "Ben Alpha",
      ]);
    });

    it("still shows every name to managers, department heads and admins", async () => {
      setSetting(db(), "privacyMode", true, org.user.pat.id);
      for (const viewer of [org.user.mia, org.user.ola, org.user.pat]) {
        const { body } = await page(viewer.cookie);
        expect(body.privacy).toBe(false);
        expect(body.learnerRanks.map((r) => r.name)).toContain("Dee Beta");
        expect(body.exerciseRanks.map((r) => r.name)).toContain("Hal Delta");
      }
      setSetting(db(), "privacyMode", false, org.user.pat.id);
    });
  });
});
