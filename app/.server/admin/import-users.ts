import { randomBytes } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import { departments, teams, userRoles, users } from "#db/schema";
import { toCsv } from "~/lib/csv";
import { type DbLike, writeTransaction } from "../db";
import { issuePasswordLinks, setPasswordUrl } from "../password-links";
import { checkImport, emailsIn, type ImportContext, type ImportProblem, type ImportRow } from "./import-rows";

/**
 * Imports users from a CSV, all or nothing. Each imported user gets a random password that nobody
 * knows (the column cannot be empty, and a real scrypt hash keeps sign-in timing the same as for
 * any account) plus a one-time invitation link (app/.server/password-links.ts, 7 days), issued in
 * the same transaction as the accounts. Only the links' hashes are stored, so the import's result
 * is the one chance to hand them out: the admin downloads them as a CSV (invitationsCsv) and
 * passes each link on. A lost link is replaced from the user's admin page.
 */

export interface Invitation {
  userId: number;
  email: string;
  name: string;
  /** The secret part of the link: shown once, never stored. */
  token: string;
  expiresAt: Date;
}

export type ImportResult =
  | { ok: true; imported: boolean; rows: ImportRow[]; invitations: Invitation[] }
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

/**
 * The password column of a user who has not chosen a password yet: not a scrypt hash, so no password matches it
 * (authenticate compares such accounts with a dummy hash, so timing reveals nothing). Imports hash nothing: 5,000
 * throwaway scrypt hashes took about four minutes of one request.
 */
export const NO_PASSWORD = "!invited";

/**
 * Checks the file and, unless `dryRun`, imports every row and issues their invitation links in one
 * transaction. Any problem (in the file, or an email taken by someone else while the passwords
 * were being hashed) imports nothing and issues no link. `invitedBy` is the admin recorded as the
 * links' creator.
 */
export async function importUsers(
  database: DbLike,
  csvText: string,
  opts: { dryRun?: boolean; invitedBy?: number | null; now?: Date } = {},
): Promise<ImportResult> {
  const checked = checkImport(csvText, importContext(database, emailsIn(csvText)));
  if (checked.problems.length) return { ok: false, problems: checked.problems };
  if (opts.dryRun) return { ok: true, imported: false, rows: checked.rows, invitations: [] };

  const batch = `import-${(opts.now ?? new Date()).toISOString().slice(0, 19)}-${randomBytes(4).toString("hex")}`;
  const outcome = writeTransaction(database, (tx): { problems: ImportProblem[]; invitations: Invitation[] } => {
    const now = importContext(
      tx,
      checked.rows.map((r) => r.email),
    ).existingEmails;
    const clashes = checked.rows.filter((r) => now.has(r.email));
    if (clashes.length)
      return {
        invitations: [],
        problems: clashes.map((r) => ({
          line: r.line,
          field: "email",
          message: `a user with the email "${r.email}" already exists`,
        })),
      };
    const ids = checked.rows.map((row) => {
      const { id } = tx
        .insert(users)
        .values({ email: row.email, name: row.name, teamId: row.teamId, passwordHash: NO_PASSWORD })
        .returning({ id: users.id })
        .get();
      tx.insert(userRoles)
        .values(row.roles.map((role) => ({ userId: id, role })))
        .run();
      return id;
    });
    const links = issuePasswordLinks(tx, ids, {
      purpose: "invite",
      createdBy: opts.invitedBy ?? null,
      now: opts.now,
      batch,
    });
    return {
      problems: [],
      invitations: links.map((link, i) => ({
        userId: link.userId,
        email: checked.rows[i].email,
        name: checked.rows[i].name,
        token: link.token,
        expiresAt: link.expiresAt,
      })),
    };
  });
  if (outcome.problems.length) return { ok: false, problems: outcome.problems };
  return { ok: true, imported: true, rows: checked.rows, invitations: outcome.invitations };
}

/**
 * The invitation links as a CSV for the admin to hand out: email, name, link, expires (UTC).
 * Cells go through toCsv, so a name such as "=HYPERLINK(…)" stays text in a spreadsheet.
 */
export function invitationsCsv(invitations: Invitation[], publicUrl?: string): string {
  return toCsv(
    ["email", "name", "link", "expires"],
    invitations.map((inv) => [inv.email, inv.name, setPasswordUrl(inv.token, publicUrl), inv.expiresAt]),
  );
}
