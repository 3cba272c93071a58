import { z } from "zod";
import { ROLES, type Role } from "#db/schema";
import { parseCsv } from "~/lib/csv-parse";

/**
 * Checks a CSV of users (header `email,name,team,roles`) against the organisation, without touching
 * the database: every problem is reported with its line and field, so an admin can fix the whole
 * file in one pass. The caller imports nothing unless the list of problems is empty.
 */

export const IMPORT_COLUMNS = ["email", "name", "team", "roles"] as const;
type Column = (typeof IMPORT_COLUMNS)[number];
export const MAX_IMPORT_ROWS = 5000;

export interface TeamRef {
  id: number;
  name: string;
  department: string;
}

export interface ImportContext {
  teams: TeamRef[];
  /** Lower-cased emails of users who already exist (at least those that appear in the file). */
  existingEmails: ReadonlySet<string>;
}

export interface ImportRow {
  line: number;
  email: string;
  name: string;
  teamId: number | null;
  /** "Department/Team", or null for no team. */
  team: string | null;
  roles: Role[];
}

export interface ImportProblem {
  line: number;
  field: Column | "header" | "row" | "file";
  message: string;
}

export function formatProblem(p: ImportProblem): string {
  return `line ${p.line}, ${p.field}: ${p.message}`;
}

const rowSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, "missing email")
    .max(254, "longer than 254 characters")
    .email("not a valid email address")
    .transform((e) => e.toLowerCase()),
  // Kept exactly as written (trimmed): a name like "=SUM(A1)" is just text here; CSV exports escape it.
  name: z.string().trim().min(1, "missing name").max(200, "longer than 200 characters"),
  team: z.string().trim().max(201, "longer than 201 characters"),
  roles: z.string().trim().max(200, "longer than 200 characters"),
});

function teamLabel(t: TeamRef): string {
  return `${t.department}/${t.name}`;
}

const listing = (items: string[]) =>
  items.length > 1 ? `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}` : (items[0] ?? "");

/** A team by name, or as "Department/Team" when the name alone exists in several departments. */
export function resolveTeam(
  teams: TeamRef[],
  written: string,
): { ok: true; team: TeamRef } | { ok: false; message: string } {
  const key = written.toLowerCase();
  const byName = teams.filter((t) => t.name.toLowerCase() === key);
  if (byName.length === 1) return { ok: true, team: byName[0] };
  if (byName.length > 1) {
    const where = byName.map((t) => t.department).sort();
    return {
      ok: false,
      message: `team "${written}" exists in ${listing(where)}: write it as Department/Team, e.g. "${where[0]}/${byName[0].name}"`,
    };
  }
  // Department and team names may themselves contain "/", so try every split.
  for (let i = written.indexOf("/"); i >= 0; i = written.indexOf("/", i + 1)) {
    const dept = written.slice(0, i).trim().toLowerCase();
    const name = written
      .slice(i + 1)
      .trim()
      .toLowerCase();
    const match = teams.find((t) => t.department.toLowerCase() === dept && t.name.toLowerCase() === name);
    if (match) return { ok: true, team: match };
  }
  return { ok: false, message: `unknown team "${written}"` };
}

/** Roles separated by ";" or "|". Everyone is a learner (as in createUser), so "learner" is always added. */
export function parseRoles(written: string): { ok: true; roles: Role[] } | { ok: false; message: string } {
  const names = written
    .split(/[;|]/)
    .map((r) => r.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length) {
    const list = unknown.map((r) => `"${r}"`).join(", ");
    return {
      ok: false,
      message: `unknown role${unknown.length > 1 ? "s" : ""} ${list} (use ${ROLES.join(", ")}, separated by ; or |)`,
    };
  }
  const wanted = new Set<string>(["learner", ...names]);
  return { ok: true, roles: ROLES.filter((r) => wanted.has(r)) };
}

function checkHeader(fields: string[]): { columns: Record<Column, number> } | { problems: ImportProblem[] } {
  const names = fields.map((f) => f.trim().toLowerCase());
  const problems: ImportProblem[] = [];
  const expected = `the header must be ${IMPORT_COLUMNS.join(",")}`;
  names.forEach((n, i) => {
    if (!(IMPORT_COLUMNS as readonly string[]).includes(n))
      problems.push({ line: 1, field: "header", message: `unknown column "${fields[i].trim()}": ${expected}` });
    else if (names.indexOf(n) !== i)
      problems.push({ line: 1, field: "header", message: `column "${n}" appears twice` });
  });
  for (const c of IMPORT_COLUMNS)
    if (!names.includes(c)) problems.push({ line: 1, field: "header", message: `missing column "${c}": ${expected}` });
  if (problems.length) return { problems };
  return { columns: Object.fromEntries(IMPORT_COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<Column, number> };
}

/** The emails a file mentions (lower-cased), so the caller can look up only those. */
export function emailsIn(text: string): string[] {
  const parsed = parseCsv(text);
  if (!parsed.ok || parsed.records.length === 0) return [];
  const header = checkHeader(parsed.records[0].fields);
  if (!("columns" in header)) return [];
  const at = header.columns.email;
  return parsed.records.slice(1).map((r) => (r.fields[at] ?? "").trim().toLowerCase());
}

export function checkImport(text: string, context: ImportContext): { rows: ImportRow[]; problems: ImportProblem[] } {
  const parsed = parseCsv(text);
  if (!parsed.ok) return { rows: [], problems: [{ ...parsed.error, field: "file" }] };
  const [head, ...records] = parsed.records;
  if (!head) return { rows: [], problems: [{ line: 1, field: "file", message: "the file is empty" }] };
  const header = checkHeader(head.fields);
  if ("problems" in header) return { rows: [], problems: header.problems };
  if (records.length === 0)
    return { rows: [], problems: [{ line: head.line, field: "file", message: "no users after the header" }] };
  if (records.length > MAX_IMPORT_ROWS)
    return {
      rows: [],
      problems: [{ line: head.line, field: "file", message: `more than ${MAX_IMPORT_ROWS} users: split the file` }],
    };

  const { columns } = header;
  const rows: ImportRow[] = [];
  const problems: ImportProblem[] = [];
  const firstSeen = new Map<string, number>();
  for (const { line, fields } of records) {
    if (fields.length !== IMPORT_COLUMNS.length) {
      problems.push({
        line,
        field: "row",
        message: `expected ${IMPORT_COLUMNS.length} fields (${IMPORT_COLUMNS.join(",")}), found ${fields.length}`,
      });
      continue;
    }
    const raw = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c, fields[columns[c]]]));
    const result = rowSchema.safeParse(raw);
    const rowProblems: ImportProblem[] = [];
    const fieldProblem = (field: Column, message: string) => {
      if (!rowProblems.some((p) => p.field === field)) rowProblems.push({ line, field, message });
    };
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = issue.path[0] as Column;
        const shown = raw[field].trim();
        fieldProblem(field, issue.code === "invalid_string" ? `"${shown}" is ${issue.message}` : issue.message);
      }
    }
    const email = rowSchema.shape.email.safeParse(raw.email);
    if (email.success) {
      const earlier = firstSeen.get(email.data);
      if (earlier !== undefined) fieldProblem("email", `"${email.data}" is already on line ${earlier}`);
      else {
        firstSeen.set(email.data, line);
        if (context.existingEmails.has(email.data))
          fieldProblem("email", `a user with the email "${email.data}" already exists`);
      }
    }
    const teamText = raw.team.trim();
    const team = teamText ? resolveTeam(context.teams, teamText) : null;
    if (team && !team.ok) fieldProblem("team", team.message);
    const roles = parseRoles(raw.roles);
    if (!roles.ok) fieldProblem("roles", roles.message);

    if (rowProblems.length || !result.success || (team && !team.ok) || !roles.ok) {
      problems.push(
        ...rowProblems.sort(
          (a, b) => IMPORT_COLUMNS.indexOf(a.field as Column) - IMPORT_COLUMNS.indexOf(b.field as Column),
        ),
      );
      continue;
    }
    rows.push({
      line,
      email: result.data.email,
      name: result.data.name,
      teamId: team ? team.team.id : null,
      team: team ? teamLabel(team.team) : null,
      roles: roles.roles,
    });
  }
  return { rows, problems };
}
