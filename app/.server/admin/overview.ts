import { count, eq, isNull } from "drizzle-orm";
import { budgets, departments, teams, userRoles, users } from "#db/schema";
import type { DbLike } from "../db";
import { getSetting } from "../settings";

export interface AdminOverview {
  departments: number;
  teams: number;
  users: number;
  /** Users with no team: their spend is attributed to no team or department. */
  usersWithoutTeam: number;
  admins: number;
  budgets: number;
  privacyMode: boolean;
}

export function adminOverview(database: DbLike): AdminOverview {
  const n = (q: { get: () => { n: number } | undefined }) => q.get()?.n ?? 0;
  return {
    departments: n(database.select({ n: count() }).from(departments)),
    teams: n(database.select({ n: count() }).from(teams)),
    users: n(database.select({ n: count() }).from(users)),
    usersWithoutTeam: n(database.select({ n: count() }).from(users).where(isNull(users.teamId))),
    admins: n(database.select({ n: count() }).from(userRoles).where(eq(userRoles.role, "admin"))),
    budgets: n(database.select({ n: count() }).from(budgets)),
    privacyMode: getSetting(database, "privacyMode"),
  };
}
