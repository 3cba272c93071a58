import { and, asc, count, eq, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { departments, teams, users } from "#db/schema";
import type { FieldErrors } from "~/lib/forms";
import type { DbLike } from "../db";

/** Departments (each a cost centre) and their teams, as the admin edits them. */

export type Outcome = { ok: true; id: number } | { ok: false; errors: FieldErrors };

const name = (what: string) =>
  z
    .string({ required_error: `Enter the ${what} name` })
    .trim()
    .min(1, `Enter the ${what} name`)
    .max(100, `The ${what} name is longer than 100 characters`);

const costCentre = z
  .string({ required_error: "Enter the cost centre" })
  .trim()
  .min(1, "Enter the cost centre")
  .max(40, "The cost centre is longer than 40 characters")
  .regex(/^[\w.\- /]+$/, "Use letters, digits, spaces and . - _ / in a cost centre");

const id = (what: string) =>
  z.coerce
    .number({ invalid_type_error: `Choose a ${what}` })
    .int()
    .positive(`Choose a ${what}`);

export const departmentInput = z.object({ name: name("department"), costCentre });
export const teamInput = z.object({ name: name("team"), departmentId: id("department") });
export type DepartmentInput = z.infer<typeof departmentInput>;
export type TeamInput = z.infer<typeof teamInput>;

export interface DepartmentRow {
  id: number;
  name: string;
  costCentre: string;
  teams: number;
  members: number;
}

export interface TeamRow {
  id: number;
  name: string;
  departmentId: number;
  department: string;
  members: number;
}

export function listDepartments(database: DbLike): DepartmentRow[] {
  return database
    .select({
      id: departments.id,
      name: departments.name,
      costCentre: departments.costCentre,
      teams: sql<number>`count(distinct ${teams.id})`,
      members: sql<number>`count(${users.id})`,
    })
    .from(departments)
    .leftJoin(teams, eq(teams.departmentId, departments.id))
    .leftJoin(users, eq(users.teamId, teams.id))
    .groupBy(departments.id)
    .orderBy(asc(departments.name))
    .all();
}

export function listTeams(database: DbLike): TeamRow[] {
  return database
    .select({
      id: teams.id,
      name: teams.name,
      departmentId: teams.departmentId,
      department: departments.name,
      members: count(users.id),
    })
    .from(teams)
    .innerJoin(departments, eq(departments.id, teams.departmentId))
    .leftJoin(users, eq(users.teamId, teams.id))
    .groupBy(teams.id)
    .orderBy(asc(departments.name), asc(teams.name))
    .all();
}

/** Names and cost centres are compared without case: "cc-100" and "CC-100" would confuse finance. */
function departmentClashes(database: DbLike, input: DepartmentInput, exceptId: number | null): FieldErrors {
  const errors: FieldErrors = {};
  const others = (column: typeof departments.name | typeof departments.costCentre, value: string) =>
    database
      .select({ name: departments.name })
      .from(departments)
      .where(and(sql`lower(${column}) = lower(${value})`, exceptId === null ? undefined : ne(departments.id, exceptId)))
      .get();
  if (others(departments.name, input.name)) errors.name = `A department named "${input.name}" already exists`;
  const owner = others(departments.costCentre, input.costCentre);
  if (owner) errors.costCentre = `Cost centre "${input.costCentre}" is already used by ${owner.name}`;
  return errors;
}

export function createDepartment(database: DbLike, input: DepartmentInput): Outcome {
  const errors = departmentClashes(database, input, null);
  if (Object.keys(errors).length) return { ok: false, errors };
  const row = database.insert(departments).values(input).returning({ id: departments.id }).get();
  return { ok: true, id: row.id };
}

export function updateDepartment(database: DbLike, departmentId: number, input: DepartmentInput): Outcome {
  if (!departmentExists(database, departmentId))
    return { ok: false, errors: { id: "That department no longer exists" } };
  const errors = departmentClashes(database, input, departmentId);
  if (Object.keys(errors).length) return { ok: false, errors };
  database.update(departments).set(input).where(eq(departments.id, departmentId)).run();
  return { ok: true, id: departmentId };
}

function departmentExists(database: DbLike, departmentId: number) {
  return database.select({ name: departments.name }).from(departments).where(eq(departments.id, departmentId)).get();
}

function teamClashes(database: DbLike, input: TeamInput, exceptId: number | null): FieldErrors {
  const department = departmentExists(database, input.departmentId);
  if (!department) return { departmentId: "That department does not exist" };
  const clash = database
    .select({ id: teams.id })
    .from(teams)
    .where(
      and(
        eq(teams.departmentId, input.departmentId),
        sql`lower(${teams.name}) = lower(${input.name})`,
        exceptId === null ? undefined : ne(teams.id, exceptId),
      ),
    )
    .get();
  return clash ? { name: `${department.name} already has a team named "${input.name}"` } : {};
}

export function createTeam(database: DbLike, input: TeamInput): Outcome {
  const errors = teamClashes(database, input, null);
  if (Object.keys(errors).length) return { ok: false, errors };
  const row = database.insert(teams).values(input).returning({ id: teams.id }).get();
  return { ok: true, id: row.id };
}

/**
 * Renames a team and/or moves it to another department. Past ledger rows keep the department they
 * were charged to (each row carries its own copy), so a move changes only future spend.
 */
export function updateTeam(database: DbLike, teamId: number, input: TeamInput): Outcome {
  const exists = database.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId)).get();
  if (!exists) return { ok: false, errors: { id: "That team no longer exists" } };
  const errors = teamClashes(database, input, teamId);
  if (Object.keys(errors).length) return { ok: false, errors };
  database.update(teams).set(input).where(eq(teams.id, teamId)).run();
  return { ok: true, id: teamId };
}
