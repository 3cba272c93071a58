import {
  type ActionFunctionArgs,
  data,
  type HeadersFunction,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ImportRow } from "~/.server/admin/import-rows";
import { formatProblem, MAX_IMPORT_ROWS } from "~/.server/admin/import-rows";
import { importUsers, invitationsCsv } from "~/.server/admin/import-users";
import { requireRole } from "~/.server/auth";
import { db } from "~/.server/db";
import { recentInvitationBatches } from "~/.server/password-links";
import { LINK_LIFETIME_MS } from "~/domain/password-links";
import adminCss from "~/styles/admin.css?url";

export const meta: MetaFunction = () => [{ title: "Import users · Tokenwise" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminCss }];

/** request.formData() holds the whole upload in memory, so refuse anything larger before reading it. */
const MAX_BYTES = 1024 * 1024;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return {
    maxRows: MAX_IMPORT_ROWS,
    batches: recentInvitationBatches(db()).map((b) => ({ ...b, expiresAt: b.expiresAt.toISOString() })),
  };
}

/** The invitation links, as the CSV the admin downloads: the only time they can be shown. */
interface InvitationFile {
  count: number;
  filename: string;
  csv: string;
  expiresAt: string;
}

type ActionData =
  | { ok: true; imported: boolean; rows: ImportRow[]; problems: []; invitations: InvitationFile | null }
  | { ok: false; imported: false; rows: []; problems: string[]; invitations: null };

const refuse = (status: number, ...problems: string[]) =>
  data<ActionData>({ ok: false, imported: false, rows: [], problems, invitations: null }, { status });

// The response of an import carries live links: no cache (browser or proxy) may keep it.
const NO_STORE = { "Cache-Control": "no-store" };
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const cacheControl = actionHeaders.get("Cache-Control");
  return cacheControl ? { "Cache-Control": cacheControl } : new Headers();
};

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const length = Number(request.headers.get("Content-Length") ?? 0);
  if (length > MAX_BYTES + 64 * 1024) return refuse(413, "The file is larger than 1 MB: split it into smaller files.");
  const form = await request.formData();
  const file = form.get("file");
  if (!(file instanceof Blob) || file.size === 0) return refuse(400, "Choose a CSV file to upload.");
  if (file.size > MAX_BYTES) return refuse(413, "The file is larger than 1 MB: split it into smaller files.");
  const dryRun = form.get("intent") === "check";
  const result = await importUsers(db(), await file.text(), { dryRun, invitedBy: admin.id });
  if (!result.ok) return refuse(400, ...result.problems.map(formatProblem));
  const first = result.invitations[0];
  const invitations = first
    ? {
        count: result.invitations.length,
        filename: `tokenwise-invitations-${new Date().toISOString().slice(0, 16).replace(":", "")}.csv`,
        csv: invitationsCsv(result.invitations),
        expiresAt: first.expiresAt.toISOString(),
      }
    : null;
  return data<ActionData>(
    { ok: true, imported: result.imported, rows: result.rows, problems: [], invitations },
    { headers: NO_STORE },
  );
}

const INVITE_DAYS = LINK_LIFETIME_MS.invite / (24 * 3600 * 1000);

const EXAMPLE = `email,name,team,roles
ana.ruiz@example.com,Ana Ruiz,Platform,learner
"bo@example.com","Lee, Bo",Engineering/Data,learner;manager
cy@example.com,Cy Okafor,,instructor|admin`;

export default function AdminUsersImport() {
  const { maxRows, batches } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <p className="crumbs">
        <Link to="/admin">Administration</Link> › <Link to="/admin/users">Users</Link> › Import
      </p>
      <h1>Import users</h1>
      {batches.length > 0 ? (
        <section data-testid="open-invitations">
          <h2>Open invitations</h2>
          <ul>
            {batches.map((b) => (
              <li key={b.batch}>
                <a href={`/admin/users/invitations/${b.batch}.csv`} download>
                  {b.batch}
                </a>{" "}
                <span className="muted">
                  {b.open} unused {b.open === 1 ? "link" : "links"}, the last expiring{" "}
                  {b.expiresAt.slice(0, 16).replace("T", " ")} UTC
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p>
        Upload a CSV file (UTF-8, up to {maxRows.toLocaleString("en-US")} users, 1 MB) with the header{" "}
        <code>email,name,team,roles</code>:
      </p>
      <ul>
        <li>
          <strong>team</strong>: the team's name, or <code>Department/Team</code> when two departments have a team of
          that name; empty for no team.
        </li>
        <li>
          <strong>roles</strong>: any of learner, manager, instructor, admin, separated by <code>;</code> or{" "}
          <code>|</code>. Everyone is a learner.
        </li>
        <li>Fields with commas, quotes or line breaks go in double quotes, as spreadsheets save them.</li>
      </ul>
      <pre className="csv-example">{EXAMPLE}</pre>
      <p className="muted">
        A file with any bad row imports nobody: fix the lines listed and upload it again. Each imported user gets a
        one-time invitation link, valid for {INVITE_DAYS} days, to choose their password: after the import, download the
        links and send each person their own (Tokenwise sends no email).
      </p>
      <Form method="post" encType="multipart/form-data" className="row-form">
        <label>
          CSV file
          <input type="file" name="file" accept=".csv,text/csv" required />
        </label>
        <button type="submit" name="intent" value="check" className="secondary" disabled={busy}>
          Check only
        </button>
        <button type="submit" name="intent" value="import" className="primary" disabled={busy}>
          Import
        </button>
      </Form>

      {result && !result.ok ? (
        <section role="alert">
          <h2>Nothing was imported</h2>
          <p>{result.problems.length === 1 ? "1 problem" : `${result.problems.length} problems`} to fix in the file:</p>
          <ul className="import-problems" data-testid="import-problems">
            {result.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </section>
      ) : null}

      {result?.ok ? (
        <section>
          <h2>
            {result.imported
              ? `Imported ${result.rows.length} ${result.rows.length === 1 ? "user" : "users"}`
              : `The file is valid: ${result.rows.length} ${result.rows.length === 1 ? "user" : "users"} ready to import`}
          </h2>
          {result.invitations ? <InvitationDownload file={result.invitations} /> : null}
          <table className="table" data-testid="import-rows">
            <thead>
              <tr>
                <th>Line</th>
                <th>Email</th>
                <th>Name</th>
                <th>Team</th>
                <th>Roles</th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r) => (
                <tr key={r.email}>
                  <td>{r.line}</td>
                  <td>{r.email}</td>
                  <td>{r.name}</td>
                  <td>{r.team ?? <span className="muted">no team</span>}</td>
                  <td>{r.roles.join(", ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </>
  );
}

function InvitationDownload({ file }: { file: InvitationFile }) {
  const expires = new Date(file.expiresAt).toISOString().slice(0, 16).replace("T", " ");
  return (
    <div className="banner" role="status" data-testid="invitations">
      <p>
        <a
          className="button primary"
          href={`data:text/csv;charset=utf-8,${encodeURIComponent(file.csv)}`}
          download={file.filename}
        >
          Download invitation links (CSV)
        </a>
      </p>
      <p>
        <strong>Download the file now.</strong> Until each link is used or expires, this page lists the import under
        "Open invitations" to download its remaining links again.
      </p>
      <p>
        The file lists email, name and link for each of the {file.count} {file.count === 1 ? "user" : "users"}. Each
        link works once, until {expires} UTC, and lets whoever holds it choose that user's password: send each person
        only their own link, and delete the file once they are sent. A lost or expired link is replaced from the user's
        page in Users (the old link then stops working).
      </p>
    </div>
  );
}
