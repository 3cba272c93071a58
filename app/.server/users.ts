import { eq } from "drizzle-orm";
import { type Role, teamManagers, teams, userRoles, users } from "#db/schema";
import { SESSION_USER_COLUMNS, type SessionUser } from "./auth";
import type { DbLike } from "./db";
import { hashPassword } from "./password";

export interface NewUser {
  email: string;
  name: string;
  password: string;
  teamId: number | null;
  roles: Role[];
  manages?: number[];
}

export async function createUser(database: DbLike, user: NewUser): Promise<number> {
  const passwordHash = await hashPassword(user.password);
  const { id } = database
    .insert(users)
    .values({ email: user.email.trim().toLowerCase(), name: user.name, passwordHash, teamId: user.teamId })
    .returning({ id: users.id })
    .get();
  for (const role of new Set<Role>(["learner", ...user.roles]))
    database.insert(userRoles).values({ userId: id, role }).run();
  for (const teamId of user.manages ?? []) database.insert(teamManagers).values({ userId: id, teamId }).run();
  return id;
}

export function findUserIdByEmail(database: DbLike, email: string): number | undefined {
  return database.select({ id: users.id }).from(users).where(eq(users.email, email.trim().toLowerCase())).get()?.id;
}

/** Every user as a SessionUser (roles and department resolved), for seeding and scripts. */
export function listSessionUsers(database: DbLike): SessionUser[] {
  const rows = database
    .select(SESSION_USER_COLUMNS)
    .from(users)
    .leftJoin(teams, eq(teams.id, users.teamId))
    .orderBy(users.id)
    .all();
  const roles = database.select().from(userRoles).all();
  return rows.map((r) => ({ ...r, roles: roles.filter((x) => x.userId === r.id).map((x) => x.role) }));
}

/** Whether a staff member chose to appear on learner leaderboards (see dashboard/staff-filter.ts). */
export function leaderboardOptIn(database: DbLike, userId: number): boolean {
  return database.select({ on: users.leaderboardOptIn }).from(users).where(eq(users.id, userId)).get()?.on ?? false;
}

export function setLeaderboardOptIn(database: DbLike, userId: number, on: boolean): void {
  database.update(users).set({ leaderboardOptIn: on }).where(eq(users.id, userId)).run();
}
