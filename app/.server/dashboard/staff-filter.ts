import { sql } from "drizzle-orm";
import { userRoles, users } from "#db/schema";
import type { DbLike } from "../db";

/**
 * Learner leaderboards are for learners: managers, instructors and admins (who often top them, having written or
 * calibrated the exercises) are left off unless they opted in on their profile. Team and department boards keep
 * every member, since they rank by median and participation of the whole team.
 */
export function staffOffBoards(database: DbLike): Set<number> {
  const rows = database.values<[number]>(
    sql`select u.id from ${users} u
         where u.leaderboard_opt_in = 0
           and exists (select 1 from ${userRoles} r where r.user_id = u.id and r.role <> 'learner')`,
  );
  return new Set(rows.map(([id]) => id));
}
