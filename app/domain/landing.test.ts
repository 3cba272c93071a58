import { describe, expect, it } from "vitest";
import { isStaff, landingPath } from "./landing";

describe("landingPath: each role lands where it works", () => {
  it("sends learners to My learning, managers to their teams' assignments, instructors to authoring, admins to admin", () => {
    expect(landingPath(["learner"])).toBe("/learning");
    expect(landingPath(["manager"])).toBe("/manager/assignments");
    expect(landingPath(["instructor"])).toBe("/author");
    expect(landingPath(["admin"])).toBe("/admin");
  });
  it("picks the first staff role in a fixed order whatever order the roles come in", () => {
    expect(landingPath(["learner", "manager"])).toBe("/manager/assignments");
    expect(landingPath(["instructor", "manager"])).toBe("/manager/assignments");
    expect(landingPath(["instructor", "admin", "learner"])).toBe("/admin");
  });
  it("sends someone with no role at all to My learning, not to a page that refuses them", () => {
    expect(landingPath([])).toBe("/learning");
  });
  it("sends a department head (people to manage, no manager role) to the assignments", () => {
    expect(landingPath(["learner"], { managesPeople: true })).toBe("/manager/assignments");
    expect(landingPath(["instructor"], { managesPeople: true })).toBe("/manager/assignments");
    expect(landingPath(["admin"], { managesPeople: true })).toBe("/admin");
  });
  it("counts managers, instructors and admins as staff, learners not", () => {
    expect(isStaff(["learner"])).toBe(false);
    expect(isStaff([])).toBe(false);
    expect(isStaff(["learner", "instructor"])).toBe(true);
    expect(isStaff(["manager"])).toBe(true);
  });
});
