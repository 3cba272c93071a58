import { describe, expect, it } from "vitest";
import { maskName } from "./privacy";

const row = (userId: number, teamId: number | null, team: string | null) => ({
  userId,
  name: `Person ${userId}`,
  teamId,
  team,
});

describe("maskName", () => {
  const learner = { id: 1, teamId: 10, seesAllNames: false };

  it("shows a learner their own name and their teammates' names", () => {
    expect(maskName(row(1, 10, "Alpha"), learner).name).toBe("Person 1");
    expect(maskName(row(2, 10, "Alpha"), learner)).toMatchObject({ userId: 2, name: "Person 2" });
  });

  it("hides names and user ids outside the learner's team, naming only the team", () => {
    expect(maskName(row(3, 20, "Beta"), learner)).toEqual({
      userId: null,
      name: "Learner in Beta",
      teamId: 20,
      team: "Beta",
    });
    expect(maskName(row(4, null, null), learner)).toMatchObject({ userId: null, name: "—" });
  });

  it("hides everyone else from a learner without a team", () => {
    expect(maskName(row(3, null, null), { id: 1, teamId: null, seesAllNames: false }).name).toBe("—");
  });

  it("shows every name to a viewer who sees all names", () => {
    expect(maskName(row(3, 20, "Beta"), { ...learner, seesAllNames: true }).name).toBe("Person 3");
  });
});
