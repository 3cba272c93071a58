import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { z } from "zod";
import { requireRole } from "~/.server/auth";
import { startBackupProcess } from "~/.server/backup/schedule";
import { backupOverview } from "~/.server/backup/status";
import { config } from "~/.server/config";
import { parseForm } from "~/lib/forms";
import adminCss from "~/styles/admin.css?url";

export const meta: MetaFunction = () => [{ title: "Backups · Tokenwise" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminCss }];

/** While a backup runs, the page looks again this often, so it shows the result without a reload. */
const POLL_MS = 2_000;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return { overview: backupOverview(config(), new Date()) };
}

const backupForm = z.object({ intent: z.literal("backup", { errorMap: () => ({ message: "Unknown form" }) }) });

export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, "admin");
  const parsed = parseForm(backupForm, await request.formData());
  if (!parsed.ok) return data({ ok: false as const, message: Object.values(parsed.errors).join(" ") }, { status: 400 });
  const started = startBackupProcess("manual");
  return data({
    ok: true as const,
    message: started === "started" ? "Backup started." : "A backup is already running; it was not started twice.",
  });
}

export default function AdminBackups() {
  const { overview: o } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { revalidate, state } = useRevalidator();
  useEffect(() => {
    if (!o.running || state !== "idle") return;
    const timer = setTimeout(revalidate, POLL_MS);
    return () => clearTimeout(timer);
  }, [o.running, state, revalidate]);

  return (
    <>
      <p className="crumbs">
        <Link to="/admin">Administration</Link> › Backups
      </p>
      <h1>Backups</h1>
      <p
        className={`banner${o.health.level === "ok" ? "" : " bad"}`}
        role="status"
        data-testid="backup-health"
        data-level={o.health.level}
      >
        {o.health.text}
      </p>
      {o.running ? <p data-testid="backup-running">{o.running}</p> : null}
      {o.note ? <p className="muted">{o.note}</p> : null}
      {result ? (
        <p className={result.ok ? "muted" : "form-error"} role={result.ok ? "status" : "alert"}>
          {result.message}
        </p>
      ) : null}
      <Form method="post">
        <input type="hidden" name="intent" value="backup" />
        <button type="submit" className="primary" disabled={busy || o.running !== null}>
          Back up now
        </button>
      </Form>
      <p className="muted">
        {o.schedule} Folder: <code>{o.dir}</code> (<code>BACKUP_DIR</code>). Restore one with{" "}
        <code>npm run db:restore -- &lt;file&gt;</code> while the app is stopped.
      </p>
      {o.backups.length === 0 ? (
        <p>No backups in this folder.</p>
      ) : (
        <table data-testid="backups">
          <thead>
            <tr>
              <th>Backup</th>
              <th>Taken</th>
              <th>Size</th>
              <th>Check</th>
            </tr>
          </thead>
          <tbody>
            {o.backups.map((b) => (
              <tr key={b.file}>
                <td>
                  <code>{b.file}</code>
                  {b.trigger ? <span className="muted"> ({b.trigger})</span> : null}
                </td>
                <td>
                  <time dateTime={b.takenAt}>{b.age}</time>
                </td>
                <td>{b.size}</td>
                <td className={b.checked ? undefined : "form-error"}>{b.check}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
