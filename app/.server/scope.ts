import { eq, inArray } from "drizzle-orm";
import { departmentHeads, teamManagers, teams } from "#db/schema";
import { requireUser, type SessionUser } from "./auth";
import type { DbLike } from "./db";
import { db } from "./db";

/**
 * What a viewer may see of the organisation: admins everything; a department head their
 * department(s); a manager the teams linked to them. Queries take the scope's ids INTO the
 * WHERE clause (never filter afterwards).
 */
export interface Scope {
  all: boolean;
  /** Every team the viewer may see (including the teams of their departments). */
  teamIds: number[];
  departmentIds: number[];
}

export function viewerScope(database: DbLike, user: Pick<SessionUser, "id" | "roles">): Scope {
  if (user.roles.includes("admin")) return { all: true, teamIds: [], departmentIds: [] };
  const headed = database
    .select({ id: departmentHeads.departmentId })
    .from(departmentHeads)
    .where(eq(departmentHeads.userId, user.id))
    .all()
    .map((r) => r.id);
  const managed = user.roles.includes("manager")
    ? database
        .select({ id: teamManagers.teamId })
        .from(teamManagers)
        .where(eq(teamManagers.userId, user.id))
        .all()
        .map((r) => r.id)
    : [];
  const deptTeams = headed.length
    ? database
        .select({ id: teams.id })
        .from(teams)
        .where(inArray(teams.departmentId, headed))
        .all()
        .map((r) => r.id)
    : [];
  return { all: false, teamIds: [...new Set([...managed, ...deptTeams])], departmentIds: headed };
}

export function canSeeTeam(scope: Scope, teamId: number | null): boolean {
  return scope.all || (teamId !== null && scope.teamIds.includes(teamId));
}

export function canSeeDepartment(scope: Scope, departmentId: number | null): boolean {
  return scope.all || (departmentId !== null && scope.departmentIds.includes(departmentId));
}

/**
 * First line of every manager/FinOps loader and action: a signed-in admin, manager or department
 * head with something in scope; anyone else gets 403.
 */
export async function requireManagerScope(request: Request): Promise<{ user: SessionUser; scope: Scope }> {
  const user = await requireUser(request);
  const scope = viewerScope(db(), user);
  if (!scope.all && scope.teamIds.length === 0 && scope.departmentIds.length === 0) {
    throw new Response("This page is for managers, department heads and admins.", { status: 403 });
  }
  return { user, scope };
}
