import { describe, expect, it } from "vitest";
import { attribute, type DimAttributes, type Org, type Rule, ruleMatches } from "./attribution";

const DIM: DimAttributes = {
  source: "openai",
  provider: "OpenAI",
  service: "OpenAI API",
  account: null,
  project: "proj_Support",
  apiKey: "key_abc",
  workspace: null,
  user: "Ana@Contoso.com",
  model: "gpt-4o-mini",
  tier: "small",
  tags: { team: "support-emea", env: "prod", billable: true, none: null },
};

const ORG: Org = {
  teamDepartment: new Map([
    [1, 10],
    [2, 10],
    [3, 20],
  ]),
  userTeam: new Map([["ana@contoso.com", 2]]),
};

const rule = (id: number, r: Partial<Rule>): Rule => ({
  id,
  field: "project",
  match: "is",
  value: "proj_support",
  target: { kind: "team", teamId: 1 },
  ...r,
});

describe("ruleMatches", () => {
  it.each([
    [{ field: "project", match: "is", value: "PROJ_SUPPORT" }, true],
    [{ field: "project", match: "is", value: "proj_sup" }, false],
    [{ field: "project", match: "starts-with", value: "proj_sup" }, true],
    [{ field: "model", match: "contains", value: "4o" }, true],
    [{ field: "workspace", match: "contains", value: "" }, false],
    [{ field: "tag", match: "is", value: "team=support-emea" }, true],
    [{ field: "tag", match: "starts-with", value: "TEAM=support" }, true],
    [{ field: "tag", match: "is", value: "team=support" }, false],
    [{ field: "tag", match: "is", value: "env" }, true],
    [{ field: "tag", match: "is", value: "billable=true" }, true],
    [{ field: "tag", match: "is", value: "none=null" }, false],
    [{ field: "tag", match: "is", value: "missing=x" }, false],
    [{ field: "user", match: "contains", value: "@contoso.com" }, true],
  ] as const)("%o → %s", (r, expected) => {
    expect(ruleMatches(r, DIM)).toBe(expected);
  });
});

describe("attribute", () => {
  it("follows the first rule that matches", () => {
    const rules = [
      rule(1, { field: "model", value: "claude", target: { kind: "team", teamId: 3 } }),
      rule(2, { target: { kind: "team", teamId: 1 } }),
      rule(3, { target: { kind: "team", teamId: 2 } }),
    ];
    expect(attribute(DIM, rules, ORG)).toEqual({ kind: "direct", teamId: 1, departmentId: 10, ruleId: 2 });
  });

  it("sends a department rule to the department without a team, and nothing matched to unallocated", () => {
    expect(attribute(DIM, [rule(4, { target: { kind: "department", departmentId: 20 } })], ORG)).toEqual({
      kind: "direct",
      teamId: null,
      departmentId: 20,
      ruleId: 4,
    });
    expect(attribute(DIM, [rule(5, { value: "other" })], ORG)).toEqual({ kind: "unallocated" });
    expect(attribute(DIM, [], ORG)).toEqual({ kind: "unallocated" });
  });

  it("sends a user rule to the Tokenwise user's team, and falls through when the user is not one", () => {
    const rules = [
      rule(6, { field: "user", match: "contains", value: "@", target: { kind: "user-team" } }),
      rule(7, { target: { kind: "team", teamId: 3 } }),
    ];
    expect(attribute(DIM, rules, ORG)).toEqual({ kind: "direct", teamId: 2, departmentId: 10, ruleId: 6 });
    expect(attribute({ ...DIM, user: "bob@contoso.com" }, rules, ORG)).toMatchObject({ teamId: 3, ruleId: 7 });
  });

  it("shares between the listed teams that still exist, and skips a rule whose team is gone", () => {
    const shared = rule(8, { target: { kind: "shared", teamIds: [3, 1, 99, 3], splitBy: "tokens" } });
    expect(attribute(DIM, [shared], ORG)).toEqual({ kind: "shared", teamIds: [1, 3], splitBy: "tokens", ruleId: 8 });
    const gone = rule(9, { target: { kind: "team", teamId: 99 } });
    expect(attribute(DIM, [gone, rule(10, {})], ORG)).toMatchObject({ teamId: 1, ruleId: 10 });
  });
});
