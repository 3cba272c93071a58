import { and, gte, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import { modelCalls } from "#db/schema";
import type { Scope } from "~/.server/scope";
import type { Period } from "./period";

/**
 * The ledger rows a viewer may see in a period, as a WHERE clause: admins every row; otherwise the
 * rows tagged with one of their teams or one of their departments (the team and department are
 * copied into each row when the call is made).
 *
 * The period is repeated inside each branch of the OR so SQLite can serve each branch from its own
 * index, (team_id, created_at) and (department_id, created_at), and union the results, rather than
 * scanning the whole period through (created_at).
 */
export function ledgerFilter(scope: Scope, period: Pick<Period, "from" | "to">): SQL {
  const inPeriod = () => and(gte(modelCalls.createdAt, period.from), lt(modelCalls.createdAt, period.to))!;
  if (scope.all) return inPeriod();
  const branches: SQL[] = [];
  if (scope.teamIds.length > 0) branches.push(and(inArray(modelCalls.teamId, scope.teamIds), inPeriod())!);
  if (scope.departmentIds.length > 0)
    branches.push(and(inArray(modelCalls.departmentId, scope.departmentIds), inPeriod())!);
  if (branches.length === 0) return sql`0`;
  return branches.length === 1 ? branches[0] : or(...branches)!;
}
