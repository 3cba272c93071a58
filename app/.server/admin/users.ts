import { asc, count, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { departmentHeads, departments, ROLES, type Role, teamManagers, teams, userRoles, users } from "#db/schema";
import type { FieldErrors } from "~/lib/forms";
import { type DbLike, writeTransaction } from "../db";
import type { Outcome } from "./org";

export const USERS_PAGE_SIZE = 25;

export interface UserListRow {
  id: number;
  email: string;
  name: string;
  teamId: number | null;
  team: string | null;
  department: string | null;
  roles: Role[];
}

export interface UserPage {
  rows: UserListRow[];
  total: number;
  /** 1-based, clamped to the last page. */
  page: number;
  pages: number;
  q: string;
}

/** `%` and `_` typed into the search box are matched literally, not as wildcards. */
function containing(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function listUsers(database: DbLike, opts: { q?: string; page?: number; pageSize?: number } = {}): UserPage {
  const q = (opts.q ?? "").trim();
  const pageSize = opts.pageSize ?? USERS_PAGE_SIZE;
  let where: SQL | undefined;
  if (q) {
    const pattern = containing(q);
    where = or(
      sql`lower(${users.name}) like ${pattern} escape '\\'`,
      sql`lower(${users.email}) like ${pattern} escape '\\'`,
    );
  }
  const total = database.select({ n: count() }).from(users).where(where).get()?.n ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, opts.page ?? 1), pages);
  const rows = database
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      teamId: users.teamId,
      team: teams.name,
      department: departments.name,
    })
    .from(users)
    .leftJoin(teams, eq(teams.id, users.teamId))
    .leftJoin(departments, eq(departments.id, teams.departmentId))
    .where(where)
    .orderBy(asc(users.name), asc(users.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .all();
  const roles = rows.length
    ? database
        .select()
        .from(userRoles)
        .where(
          inArray(
            userRoles.userId,
            rows.map((r) => r.id),
          ),
        )
        .all()
    : [];
  return {
    rows: rows.map((r) => ({ ...r, roles: sortRoles(roles.filter((x) => x.userId === r.id).map((x) => x.role)) })),
    total,
    page,
    pages,
    q,
  };
}

const sortRoles = (roles: Role[]) => ROLES.filter((r) => roles.includes(r));

export interface UserAccess {
  id: number;
  email: string;
  name: string;
  teamId: number | null;
  roles: Role[];
  /** Teams this user manages (seen only while they hold the manager role). */
  manages: number[];
  /** Departments this user heads. */
  heads: number[];
}

export function getUserAccess(database: DbLike, userId: number): UserAccess | null {
  const user = database
    .select({ id: users.id, email: users.email, name: users.name, teamId: users.teamId })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!user) return null;
  const roles = database.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, userId)).all();
  const manages = database
    .select({ id: teamManagers.teamId })
    .from(teamManagers)
    .where(eq(teamManagers.userId, userId))
    .all();
  const heads = database
    .select({ id: departmentHeads.departmentId })
    .from(departmentHeads)
    .where(eq(departmentHeads.userId, userId))
    .all();
  return {
    ...user,
    roles: sortRoles(roles.map((r) => r.role)),
    manages: manages.map((m) => m.id).sort((a, b) => a - b),
    heads: heads.map((h) => h.id).sort((a, b) => a - b),
  };
}

const ids = z.array(z.coerce.number().int().positive());

export const userAccessInput = z.object({
  teamId: z.union([z.literal("").transform(() => null), z.coerce.number().int().positive()], {
    errorMap: () => ({ message: "Choose a team or “No team”" }),
  }),
  roles: z
    .array(z.enum(ROLES, { errorMap: (_, ctx) => ({ message: `Unknown role "${ctx.data}"` }) }))
    .min(1, "Give the user at least one role"),
  manages: ids,
  heads: ids,
});
export type UserAccessInput = z.infer<typeof userAccessInput>;

/** Checkbox groups arrive as repeated fields (`roles`, `manages`, `heads`), which Object.fromEntries would drop. */
export function parseUserAccessForm(
  form: FormData,
): { ok: true; data: UserAccessInput } | { ok: false; errors: FieldErrors } {
  const parsed = userAccessInput.safeParse({
    teamId: form.get("teamId") ?? "",
    roles: form.getAll("roles"),
    manages: form.getAll("manages"),
    heads: form.getAll("heads"),
  });
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
  return { ok: false, errors };
}

function missing(database: DbLike, table: typeof teams | typeof departments, wanted: number[]): number[] {
  if (!wanted.length) return [];
  const found = new Set(
    database
      .select({ id: table.id })
      .from(table)
      .where(inArray(table.id, wanted))
      .all()
      .map((r) => r.id),
  );
  return wanted.filter((id) => !found.has(id));
}

/**
 * Sets a user's team, roles, managed teams and headed departments in one go. An admin cannot take
 * away their own admin role, which also means the last admin can never be removed. Managed teams
 * need the manager role: without it the links would be silently ignored by the scope rules.
 */
export function updateUserAccess(database: DbLike, actorId: number, userId: number, input: UserAccessInput): Outcome {
  const exists = database.select({ id: users.id }).from(users).where(eq(users.id, userId)).get();
  if (!exists) return { ok: false, errors: { form: "That user no longer exists" } };
  const roles = [...new Set(input.roles)];
  const manages = [...new Set(input.manages)];
  const heads = [...new Set(input.heads)];
  const errors: FieldErrors = {};
  if (input.teamId !== null && missing(database, teams, [input.teamId]).length)
    errors.teamId = "That team does not exist";
  if (actorId === userId && !roles.includes("admin")) errors.roles = "You cannot remove your own admin role";
  if (manages.length && !roles.includes("manager"))
    errors.manages = "Give the manager role too, or untick the teams: only managers see the teams they manage";
  else if (missing(database, teams, manages).length) errors.manages = "One of the managed teams does not exist";
  if (missing(database, departments, heads).length) errors.heads = "One of the departments does not exist";
  if (Object.keys(errors).length) return { ok: false, errors };

  writeTransaction(database, (tx) => {
    tx.update(users).set({ teamId: input.teamId }).where(eq(users.id, userId)).run();
    tx.delete(userRoles).where(eq(userRoles.userId, userId)).run();
    tx.insert(userRoles)
      .values(roles.map((role) => ({ userId, role })))
      .run();
    tx.delete(teamManagers).where(eq(teamManagers.userId, userId)).run();
    if (manages.length)
      tx.insert(teamManagers)
        .values(manages.map((teamId) => ({ userId, teamId })))
        .run();
    tx.delete(departmentHeads).where(eq(departmentHeads.userId, userId)).run();
    if (heads.length)
      tx.insert(departmentHeads)
        .values(heads.map((departmentId) => ({ userId, departmentId })))
        .run();
  });
  return { ok: true, id: userId };
}
