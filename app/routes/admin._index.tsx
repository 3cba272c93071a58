import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { adminOverview } from "~/.server/admin/overview";
import { requireRole } from "~/.server/auth";
import { backupOverview } from "~/.server/backup/status";
import { config } from "~/.server/config";
import { db } from "~/.server/db";
import adminCss from "~/styles/admin.css?url";

export const meta: MetaFunction = () => [{ title: "Administration · Tokenwise" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return { overview: { ...adminOverview(db()), backupHealth: backupOverview(config(), new Date()).health.text } };
}

export default function AdminIndex() {
  const { overview: o } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Administration</h1>
      <ul className="admin-cards" data-testid="admin-overview">
        <li className="card">
          <h2>
            <Link to="/admin/org">Departments and teams</Link>
          </h2>
          <p>
            {o.departments} departments (cost centres), {o.teams} teams
          </p>
        </li>
        <li className="card">
          <h2>
            <Link to="/admin/users">Users and roles</Link>
          </h2>
          <p>
            {o.users} users, {o.admins} admins
          </p>
          {o.usersWithoutTeam ? <p className="muted">{o.usersWithoutTeam} without a team</p> : null}
          <p>
            <Link to="/admin/users/import">Import users from CSV</Link>
          </p>
        </li>
        <li className="card">
          <h2>
            <Link to="/admin/budgets">Budgets</Link>
          </h2>
          <p>{o.budgets} monthly budgets set</p>
        </li>
        <li className="card">
          <h2>
            <Link to="/admin/models">Model catalogue</Link>
          </h2>
          <p>Models and their list prices</p>
        </li>
        <li className="card">
          <h2>
            <Link to="/admin/usage">Production usage</Link>
          </h2>
          <p>Import the company's AI bill: FOCUS files, OpenAI, Anthropic, LiteLLM</p>
        </li>
        <li className="card">
          <h2>
            <Link to="/admin/backups">Backups</Link>
          </h2>
          <p data-testid="backup-summary">{o.backupHealth}</p>
        </li>
        <li className="card">
          <h2>
            <Link to="/admin/sign-in">Sign-in</Link>
          </h2>
          <p>Company accounts (OpenID Connect) and passwords</p>
        </li>
        <li className="card">
          <h2>
            <Link to="/admin/settings">Settings</Link>
          </h2>
          <p>Leaderboard privacy mode: {o.privacyMode ? "on" : "off"}</p>
        </li>
        <li className="card">
          <h2>
            <Link to="/admin/grading">Grading health</Link>
          </h2>
          <p>Live grading's success rate, failures by reason and last errors per model</p>
        </li>
      </ul>
    </>
  );
}
