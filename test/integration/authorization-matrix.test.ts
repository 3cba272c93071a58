import type { LoaderFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { courses } from "#db/schema";
import { assignCourse } from "~/.server/assignments/assign";
import { db } from "~/.server/db";
import { issuePasswordLink } from "~/.server/password-links";
import { viewerScope } from "~/.server/scope";
import { startImport } from "~/.server/usage/import-run";
import { loader as adminIndex } from "~/routes/admin._index";
import { loader as adminBackups } from "~/routes/admin.backups";
import { loader as adminBudgets } from "~/routes/admin.budgets";
import { loader as adminGrading } from "~/routes/admin.grading";
import { loader as adminModels } from "~/routes/admin.models";
import { loader as adminOrg } from "~/routes/admin.org";
import { loader as adminSettings } from "~/routes/admin.settings";
import { loader as adminSignIn } from "~/routes/admin.sign-in";
import { loader as adminUsage, action as adminUsageAction } from "~/routes/admin.usage._index";
import { loader as adminUsageBudgets } from "~/routes/admin.usage.budgets";
import { loader as adminUsageImport } from "~/routes/admin.usage.imports.$importId[.]json";
import { loader as adminUsageRules } from "~/routes/admin.usage.rules";
import { loader as adminUsageRulePreview } from "~/routes/admin.usage.rules.preview";
import { loader as adminUsers } from "~/routes/admin.users._index";
import { loader as adminUser, action as adminUserAction } from "~/routes/admin.users.$userId";
import { loader as adminImport } from "~/routes/admin.users.import";
import { loader as invitationLinks } from "~/routes/admin.users.invitations.$batch[.]csv";
import { loader as finops } from "~/routes/finops._index";
import { loader as finopsExport } from "~/routes/finops.export.$view";
import { loader as focus } from "~/routes/finops.focus";
import { loader as impactPage } from "~/routes/finops.impact";
import { loader as impactCsv } from "~/routes/finops.impact[.]csv";
import { loader as production } from "~/routes/finops.production";
import { loader as productionExport } from "~/routes/finops.production.export.$view";
import { loader as leaderboard } from "~/routes/leaderboard";
import { loader as learning } from "~/routes/learning";
import { loader as manager } from "~/routes/manager._index";
import { loader as assignments, action as assignmentsAction } from "~/routes/manager.assignments";
import { loader as assignmentsCsv } from "~/routes/manager.assignments[.]csv";
import { loader as managerAttempt } from "~/routes/manager.attempts.$attemptId";
import { loader as gridCsv } from "~/routes/manager.grid[.]csv";
import { loader as managerLearner } from "~/routes/manager.learners.$userId";
import { loader as managerTeam } from "~/routes/manager.teams.$teamId";
import { loader as teamCsv } from "~/routes/manager.teams.$teamId_.learners[.]csv";
import { loader as progress } from "~/routes/progress";
import { loader as setPassword } from "~/routes/set-password";
import { loader as xapiPage } from "~/routes/xapi._index";
import { loader as xapiJson } from "~/routes/xapi.statements[.]json";
import { call, get, makeUser } from "./harness";
import { type Org, seedOrg } from "./org-fixture";

/**
 * Every page and resource route of the manager, FinOps and administration areas, for each kind of
 * viewer, with the status it must answer. Out-of-scope ids are 404 (they reveal nothing); a viewer
 * with no scope at all is 403; a visitor who is not signed in is sent to log in (302).
 */
type Viewer = "anonymous" | "learner" | "manager" | "otherManager" | "departmentHead" | "instructor" | "admin";
const VIEWERS: Viewer[] = ["anonymous", "learner", "manager", "otherManager", "departmentHead", "instructor", "admin"];

type Row = [
  name: string,
  loader: (a: LoaderFunctionArgs) => unknown,
  path: (o: Org) => string,
  params: (o: Org) => Record<string, string>,
  expected: number[],
];

const SCOPED_ALL = [302, 403, 200, 200, 200, 403, 200];
const SCOPED_TEAM_A = [302, 403, 200, 404, 200, 403, 200];
const EVERYONE = [302, 200, 200, 200, 200, 200, 200];
const ADMIN_ONLY = [302, 403, 403, 403, 403, 403, 200];
const none = () => ({});

const MATRIX: Row[] = [
  ["manager dashboard", manager, () => "/manager", none, SCOPED_ALL],
  ["progress grid CSV", gridCsv, () => "/manager/grid.csv", none, SCOPED_ALL],
  [
    "team page",
    managerTeam,
    (o) => `/manager/teams/${o.team.alpha}`,
    (o) => ({ teamId: String(o.team.alpha) }),
    SCOPED_TEAM_A,
  ],
  [
    "team learners CSV",
    teamCsv,
    (o) => `/manager/teams/${o.team.alpha}/learners.csv`,
    (o) => ({ teamId: String(o.team.alpha) }),
    SCOPED_TEAM_A,
  ],
  [
    "learner page",
    managerLearner,
    (o) => `/manager/learners/${o.user.ana.id}`,
    (o) => ({ userId: String(o.user.ana.id) }),
    SCOPED_TEAM_A,
  ],
  [
    "attempt page",
    managerAttempt,
    (o) => `/manager/attempts/${o.anaBestCompress}`,
    (o) => ({ attemptId: String(o.anaBestCompress) }),
    SCOPED_TEAM_A,
  ],
  ["assignments dashboard", assignments, () => "/manager/assignments", none, SCOPED_ALL],
  ["assignments CSV", assignmentsCsv, () => "/manager/assignments.csv", none, SCOPED_ALL],
  [
    // Alpha's assignment (made in beforeAll by its manager): Ned manages Delta only, so it does not exist for him.
    "change an assignment's due date (action)",
    (a) =>
      assignmentsAction({
        ...a,
        request: postForm(a.request, { intent: "due", assignment: String(alphaAssignment), due: soon() }),
      }),
    () => "/manager/assignments",
    none,
    SCOPED_TEAM_A,
  ],
  [
    // Delta is Ned's: Mia and Ola (head of the other department) are refused; the admin finds it already assigned.
    "assign a course to Delta (action)",
    (a) =>
      assignmentsAction({
        ...a,
        request: postForm(a.request, {
          intent: "assign",
          course: String(courseId),
          target: "team",
          team: String(org.team.delta),
          due: soon(),
        }),
      }),
    () => "/manager/assignments",
    none,
    [302, 403, 403, 200, 403, 403, 409],
  ],
  ["My learning", learning, () => "/learning", none, EVERYONE],
  ["my progress", progress, () => "/progress", none, EVERYONE],
  ["showback", finops, () => "/finops", none, SCOPED_ALL],
  ["showback CSV", finopsExport, () => "/finops/export/team", () => ({ view: "team" }), SCOPED_ALL],
  ["FOCUS export", focus, () => "/finops/focus", none, SCOPED_ALL],
  ["production spend", production, () => "/finops/production", none, SCOPED_ALL],
  [
    "production spend CSV",
    productionExport,
    () => "/finops/production/export/team",
    () => ({ view: "team" }),
    SCOPED_ALL,
  ],
  ["training impact", impactPage, () => "/finops/impact", none, SCOPED_ALL],
  ["training impact CSV", impactCsv, () => "/finops/impact.csv", none, SCOPED_ALL],
  ["leaderboards", leaderboard, () => "/leaderboard?view=teams&window=month", none, EVERYONE],
  ["xAPI page", xapiPage, () => "/xapi", none, EVERYONE],
  ["xAPI statements", xapiJson, () => "/xapi/statements.json", none, EVERYONE],
  ["admin home", adminIndex, () => "/admin", none, ADMIN_ONLY],
  ["departments and teams", adminOrg, () => "/admin/org", none, ADMIN_ONLY],
  ["users", adminUsers, () => "/admin/users", none, ADMIN_ONLY],
  [
    "one user",
    adminUser,
    (o) => `/admin/users/${o.user.ana.id}`,
    (o) => ({ userId: String(o.user.ana.id) }),
    ADMIN_ONLY,
  ],
  ["user import", adminImport, () => "/admin/users/import", none, ADMIN_ONLY],
  [
    // An admin gets 404 for an import with no open links; nobody else learns even that.
    "invitation links CSV",
    invitationLinks,
    () => "/admin/users/invitations/import-none.csv",
    () => ({ batch: "import-none" }),
    [302, 403, 403, 403, 403, 403, 404],
  ],
  ["budgets", adminBudgets, () => "/admin/budgets", none, ADMIN_ONLY],
  ["settings", adminSettings, () => "/admin/settings", none, ADMIN_ONLY],
  ["company sign-in settings", adminSignIn, () => "/admin/sign-in", none, ADMIN_ONLY],
  ["grading health", adminGrading, () => "/admin/grading", none, ADMIN_ONLY],
  ["model prices", adminModels, () => "/admin/models", none, ADMIN_ONLY],
  ["production usage imports", adminUsage, () => "/admin/usage", none, ADMIN_ONLY],
  [
    "pull production usage now (action)",
    (a) =>
      adminUsageAction({
        ...a,
        request: new Request(a.request.url, {
          method: "POST",
          headers: a.request.headers,
          body: new URLSearchParams({ intent: "pull", source: "openai" }),
        }),
      }),
    () => "/admin/usage",
    none,
    [302, 403, 403, 403, 403, 403, 302],
  ],
  ["attribution rules", adminUsageRules, () => "/admin/usage/rules", none, ADMIN_ONLY],
  ["production budgets", adminUsageBudgets, () => "/admin/usage/budgets", none, ADMIN_ONLY],
  [
    "attribution rule preview (JSON)",
    adminUsageRulePreview,
    () => "/admin/usage/rules/preview?field=project&match=is&value=p&targetKind=department&departmentId=1",
    none,
    ADMIN_ONLY,
  ],
  [
    "one usage import (JSON)",
    adminUsageImport,
    () => `/admin/usage/imports/${usageImportId}.json`,
    () => ({ importId: String(usageImportId) }),
    ADMIN_ONLY,
  ],
  ["backups", adminBackups, () => "/admin/backups", none, ADMIN_ONLY],
  [
    "create a set-password link (action)",
    (a) =>
      adminUserAction({
        ...a,
        request: new Request(a.request.url, {
          method: "POST",
          headers: a.request.headers,
          body: new URLSearchParams({ intent: "passwordLink", purpose: "reset" }),
        }),
      }),
    (o) => `/admin/users/${o.user.ana.id}`,
    (o) => ({ userId: String(o.user.ana.id) }),
    ADMIN_ONLY,
  ],
  [
    "withdraw set-password links (action)",
    (a) =>
      adminUserAction({
        ...a,
        request: new Request(a.request.url, {
          method: "POST",
          headers: a.request.headers,
          body: new URLSearchParams({ intent: "revokeLinks" }),
        }),
      }),
    (o) => `/admin/users/${o.user.ana.id}`,
    (o) => ({ userId: String(o.user.ana.id) }),
    ADMIN_ONLY,
  ],
  // Public: the token is the authorisation, so no viewer is sent to log in; a fresh link per viewer.
  [
    "set-password page, live link",
    setPassword,
    (o) =>
      `/set-password?token=${issuePasswordLink(db(), o.user.cal.id, { purpose: "reset", createdBy: o.user.pat.id }).token}`,
    none,
    [200, 200, 200, 200, 200, 200, 200],
  ],
  [
    "set-password page, dead link",
    setPassword,
    () => `/set-password?token=${"Z".repeat(43)}`,
    none,
    [410, 410, 410, 410, 410, 410, 410],
  ],
];

let org: Org;
let cookies: Record<Viewer, string | undefined>;
let usageImportId: number;
let alphaAssignment: number;
let courseId: number;

const soon = () => new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
const postForm = (like: Request, fields: Record<string, string>) =>
  new Request(like.url, { method: "POST", headers: like.headers, body: new URLSearchParams(fields) });

beforeAll(async () => {
  org = await seedOrg();
  usageImportId = startImport(db(), { source: "focus", origin: "matrix.csv", policy: "keep" }, 10);
  courseId = db().select({ id: courses.id }).from(courses).where(eq(courses.slug, "prompt-compression")).get()!.id;
  const made = assignCourse(
    db(),
    { id: org.user.mia.id, scope: viewerScope(db(), { id: org.user.mia.id, roles: ["manager"] }) },
    { courseId, target: { teamId: org.team.alpha }, dueAt: new Date(Date.now() + 86_400_000) },
  );
  if (!made.ok) throw new Error(made.error);
  alphaAssignment = made.value;
  const instructor = await makeUser({ roles: ["instructor"] });
  cookies = {
    anonymous: undefined,
    learner: org.user.ana.cookie,
    manager: org.user.mia.cookie,
    otherManager: org.user.ned.cookie,
    departmentHead: org.user.ola.cookie,
    instructor: instructor.cookie,
    admin: org.user.pat.cookie,
  };
});

async function statusOf(loader: Row[1], path: string, params: Record<string, string>, cookie?: string) {
  const result = await call(loader, get(path, cookie), params);
  if (result instanceof Response) return result.status;
  if (result && typeof result === "object" && "init" in result) {
    return (result as { init: { status?: number } | null }).init?.status ?? 200;
  }
  return 200;
}

describe("authorisation matrix", () => {
  it("answers every route with the expected status for every kind of viewer", async () => {
    const actual: string[] = [];
    const expected: string[] = [];
    for (const [name, loader, path, params, statuses] of MATRIX) {
      for (const [i, viewer] of VIEWERS.entries()) {
        const status = await statusOf(loader, path(org), params(org), cookies[viewer]);
        actual.push(`${name} as ${viewer}: ${status}`);
        expected.push(`${name} as ${viewer}: ${statuses[i]}`);
      }
    }
    expect(actual).toEqual(expected);
  });
});
