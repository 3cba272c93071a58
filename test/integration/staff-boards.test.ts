import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { userRoles, users } from "#db/schema";
import { learnerBoard } from "~/.server/dashboard/leaderboards";
import { db } from "~/.server/db";
import { exerciseLeaderboard } from "~/.server/leaderboard";
import { leaderboardOptIn } from "~/.server/users";
import { action as profileAction, loader as profileLoader } from "~/routes/profile";
import { call, exerciseId, get, makeUser, post, unwrap } from "./harness";
import { C, NOW, type Org, seedOrg } from "./org-fixture";

let org: Org;
beforeAll(async () => {
  org = await seedOrg();
});

const boardNames = () => learnerBoard(db(), { window: "all", now: NOW }).top.map((r) => [r.name, r.rank]);
const exerciseNames = () => exerciseLeaderboard(db(), exerciseId(C)).map((r) => [r.name, r.rank]);
const setOptIn = (id: number, on: boolean) =>
  db().update(users).set({ leaderboardOptIn: on }).where(eq(users.id, id)).run();

describe("staff are off the learner leaderboards unless they opt in", () => {
  it("leaves an instructor off both learner boards, re-ranking the rest, and puts them back once they opt in", () => {
    expect(boardNames()[0]).toEqual(["Ana Heavy", 1]);
    db().insert(userRoles).values({ userId: org.user.ana.id, role: "instructor" }).run();

    expect(boardNames().map(([n]) => n)).not.toContain("Ana Heavy");
    expect(boardNames()[0]).toEqual(["Dee Beta", 1]);
    expect(exerciseNames().map(([n]) => n)).not.toContain("Ana Heavy");
    expect(exerciseNames()[0]).toEqual(["Hal Delta", 1]);
    // Not even as "your standing" below the cut.
    expect(learnerBoard(db(), { window: "all", now: NOW, viewerId: org.user.ana.id }).mine).toBeNull();

    setOptIn(org.user.ana.id, true);
    expect(boardNames()[0]).toEqual(["Ana Heavy", 1]);
    expect(exerciseNames()[0]).toEqual(["Ana Heavy", 1]);
    setOptIn(org.user.ana.id, false);
  });

  it("lets a staff member opt in and out on their profile, and keeps the choice", async () => {
    const manager = await makeUser({ roles: ["manager"] });
    expect(leaderboardOptIn(db(), manager.id)).toBe(false);
    const page = unwrap<{ staff: boolean; optIn: boolean }>(await call(profileLoader, get("/profile", manager.cookie)));
    expect(page.body).toMatchObject({ staff: true, optIn: false });

    const on = unwrap<{ ok: boolean }>(
      await call(profileAction, post("/profile", { intent: "leaderboard", optIn: "on" }, manager.cookie)),
    );
    expect(on.body.ok).toBe(true);
    expect(leaderboardOptIn(db(), manager.id)).toBe(true);
    // An unticked box sends nothing: that is "off".
    await call(profileAction, post("/profile", { intent: "leaderboard" }, manager.cookie));
    expect(leaderboardOptIn(db(), manager.id)).toBe(false);
  });

  it("refuses a bad value, a learner's opt-in and a visitor, changing nothing", async () => {
    const manager = await makeUser({ roles: ["manager"] });
    const bad = unwrap<{ errors: Record<string, string> }>(
      await call(profileAction, post("/profile", { intent: "leaderboard", optIn: "yes\u0000" }, manager.cookie)),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors.optIn).toMatch(/on or off/);
    expect(leaderboardOptIn(db(), manager.id)).toBe(false);

    const learner = await makeUser();
    const refused = unwrap<{ errors: Record<string, string> }>(
      await call(profileAction, post("/profile", { intent: "leaderboard", optIn: "on" }, learner.cookie)),
    );
    expect(refused.status).toBe(400);
    expect(leaderboardOptIn(db(), learner.id)).toBe(false);

    const visitor = (await call(profileAction, post("/profile", { intent: "leaderboard", optIn: "on" }))) as Response;
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("Location")).toMatch(/^\/login/);
  });
});
