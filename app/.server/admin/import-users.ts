import { randomBytes } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import { departments, teams, userRoles, users } from "#db/schema";
import type { DbLike } from "../db";
import { hashPassword } from "../password";
import { checkImport, emailsIn, type ImportContext, type ImportProblem, type ImportRow } from "./import-rows";

/**
 * Imports users from a CSV, all or nothing. Imported users get a random password that nobody is
 * shown: until single sign-on or a password-reset flow exists (out of scope for now), an admin
 * must set their password another way before they can sign in.
 */

export type ImportResult =
  | { ok: true; imported: boolean; rows: ImportRow[] }
  | { ok: false; problems: ImportProblem[] };

/** SQLite limits bound parameters per statement; look emails up in slices. */
const SLICE = 500;

export function importContext(database: DbLike, emails: string[]): ImportContext {
  const teamRefs = database
    .select({ id: teams.id, name: teams.name, department: departments.name })
    .from(teams)
    .innerJoin(departments, eq(departments.id, teams.departmentId))
    .all();
  const existing = new Set<string>();
  const wanted = [...new Set(emails.filter(Boolean))];
  for (let i = 0; i < wanted.length; i += SLICE) {
    const slice = wanted.slice(i, i + SLICE);
    for (const r of database.select({ email: users.email }).from(users).where(inArray(users.email, slice)).all())
      existing.add(r.email);
  }
  return { teams: teamRefs, existingEmails: existing };
}

/** scrypt runs on libuv's 4 threads; hashing in small batches keeps other I/O moving meanwhile. */
async function randomPasswordHashes(n: number): Promise<string[]> {
  const hashes: string[] = [];
  for (let i = 0; i < n; i += 4) {
    const batch = Array.from({ length: Math.min(4, n - i) }, () => hashPassword(randomBytes(24).toString("base64url")));
    hashes.push(...(await Promise.all(batch)));
  }
  return hashes;
}

/**
 * Checks the file and, unless `dryRun`, imports every row in one transaction. Any problem (in the
 * file, or an email taken by someone else while the passwords were being hashed) imports nothing.
 */
export async function importUsers(
  database: DbLike,
  csvText: string,
  opts: { dryRun?: boolean } = {},
): Promise<ImportResult> {
  const checked = checkImport(csvText, importContext(database, emailsIn(csvText)));
  if (checked.problems.length) return { ok: false, problems: checked.problems };
  if (opts.dryRun) return { ok: true, imported: false, rows: checked.rows };

  const hashes = await randomPasswordHashes(checked.rows.length);
  const taken = database.transaction((tx): ImportProblem[] => {
    const now = importContext(
      tx,
      checked.rows.map((r) => r.email),
    ).existingEmails;
    const clashes = checked.rows.filter((r) => now.has(r.email));
    if (clashes.length)
      return clashes.map((r) => ({
        line: r.line,
        field: "email",
        message: `a user with the email "${r.email}" already exists`,
      }));
    checked.rows.forEach((row, i) => {
      const { id } = tx
        .insert(users)
        .values({ email: row.email, name: row.name, teamId: row.teamId, passwordHash: hashes[i] })
        .returning({ id: users.id })
        .get();
      tx.insert(userRoles)
        .values(row.roles.map((role) => ({ userId: id, role })))
        .run();
    });
    return [];
  });
  if (taken.length) return { ok: false, problems: taken };
  return { ok: true, imported: true, rows: checked.rows };
}
