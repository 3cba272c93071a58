import { inArray, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Scope } from "../scope";

/**
 * The viewer's scope as a WHERE condition on a team id column: the scope's team ids go INTO the
 * query, never a filter afterwards. Undefined (no condition) for admins; a scope with no teams
 * matches nothing.
 */
export function inScope(teamColumn: SQLiteColumn, scope: Scope): SQL | undefined {
  return scope.all ? undefined : inArray(teamColumn, scope.teamIds);
}
