import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole, requireUser } from "~/.server/auth";
import { db } from "~/.server/db";
import { maintenanceStatus } from "~/.server/maintenance";
import { viewerScope } from "~/.server/scope";
import { lrsConfig, sendPendingStatements, xapiStatus } from "~/.server/xapi";

export const meta: MetaFunction = () => [{ title: "xAPI export · Tokenwise" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const scope = viewerScope(db(), user);
  const reach = scope.all ? "all" : scope.teamIds.length > 0 ? "teams" : "own";
  if (!scope.all) return { reach, lrs: null };
  const lrs = lrsConfig();
  if (!lrs) return { reach, lrs: null };
  const maintenance = maintenanceStatus();
  const lastError = maintenance.lastErrors.xapi;
  return {
    reach,
    lrs: {
      host: new URL(lrs.url).host,
      status: xapiStatus(db()),
      // Sending is automatic when this process runs the maintenance scheduler (0 = off).
      everySeconds: maintenance.intervalSeconds,
      lastRunAt: maintenance.lastRunAt?.toISOString() ?? null,
      lastAutoError: lastError ? { at: lastError.at.toISOString(), message: lastError.message } : null,
    },
  };
}

/** Admins only: send every unsent statement to the configured LRS now. */
export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, "admin");
  const report = await sendPendingStatements(db());
  if (!report.configured) return data({ report, message: "No LRS is configured (set XAPI_LRS_URL)." }, { status: 409 });
  return data(
    { report, message: report.error ?? `Sent ${report.sent} statements.` },
    { status: report.error ? 502 : 200 },
  );
}

/** A UTC timestamp that renders the same on the server and in the browser. */
const utc = (iso: string) => `${iso.slice(0, 19).replace("T", " ")} UTC`;

const REACH: Record<string, string> = {
  all: "every learner's records",
  teams: "the records of your teams' learners, and your own",
  own: "your own records",
};

export default function XapiPage() {
  const { reach, lrs } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <h1>Learning records (xAPI)</h1>
      <p className="muted">
        One xAPI 1.0.3 statement per graded attempt ("passed" or "failed", with the scaled score, duration, and tokens
        and cost as result extensions), per course assigned to a learner ("assigned", with the due date) and per course
        completed ("completed"), for a learning record store or an LMS. This download holds {REACH[reach]}.
      </p>
      <Form method="get" action="/xapi/statements.json" reloadDocument className="inline-form">
        <label>
          From <input type="date" name="from" />
        </label>{" "}
        <label>
          To <input type="date" name="to" />
        </label>{" "}
        <button type="submit" className="primary">
          Download statements
        </button>
      </Form>
      {reach === "all" ? (
        <section>
          <h2>Learning record store</h2>
          {lrs ? (
            <>
              <p>
                Sending to <strong>{lrs.host}</strong>: {lrs.status.sent} of {lrs.status.statements} recorded statements
                sent, {lrs.status.pending} waiting.
                {lrs.status.lastError && lrs.status.lastError !== lrs.lastAutoError?.message ? (
                  <span className="bad"> Last error: {lrs.status.lastError}</span>
                ) : null}
              </p>
              {lrs.everySeconds > 0 ? (
                <p>
                  Statements of newly graded attempts are sent automatically every {lrs.everySeconds} seconds
                  {lrs.lastRunAt ? ` (last run ${utc(lrs.lastRunAt)})` : ""}.
                  {lrs.lastAutoError ? (
                    <span className="bad">
                      {" "}
                      Last error at {utc(lrs.lastAutoError.at)}: {lrs.lastAutoError.message}
                    </span>
                  ) : null}
                </p>
              ) : (
                <p className="muted">
                  Automatic sending is off (MAINTENANCE_INTERVAL_SECONDS=0): send pending statements with the button.
                </p>
              )}
              <Form method="post">
                <button type="submit" className="secondary" disabled={busy}>
                  Send pending statements now
                </button>
              </Form>
            </>
          ) : (
            <p className="muted">No LRS is configured. Set XAPI_LRS_URL (and XAPI_LRS_USERNAME / PASSWORD) to send.</p>
          )}
          {result ? (
            <p className={result.report.error ? "banner bad" : "banner"} role="status">
              {result.message}
            </p>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
