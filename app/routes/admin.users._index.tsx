import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { listUsers } from "~/.server/admin/users";
import { requireRole } from "~/.server/auth";
import { db } from "~/.server/db";
import { parseParams } from "~/lib/params";
import adminCss from "~/styles/admin.css?url";

export const meta: MetaFunction = () => [{ title: "Users · Tokenwise" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminCss }];

const searchSchema = z.object({
  q: z.string().trim().max(100).default(""),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const { q, page } = parseParams(searchSchema, Object.fromEntries(new URL(request.url).searchParams));
  return { users: listUsers(db(), { q, page }) };
}

function pageHref(q: string, page: number): string {
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `/admin/users?${query}` : "/admin/users";
}

export default function AdminUsers() {
  const { users } = useLoaderData<typeof loader>();
  const { rows, total, page, pages, q } = users;
  return (
    <>
      <p className="crumbs">
        <Link to="/admin">Administration</Link> › Users
      </p>
      <h1>Users and roles</h1>
      <p>
        <Link to="/admin/users/import">Import users from a CSV file</Link>
      </p>
      <Form method="get" className="inline-form" role="search">
        <label>
          Search by name or email <input name="q" type="search" defaultValue={q} maxLength={100} />
        </label>
        <button type="submit" className="secondary">
          Search
        </button>
      </Form>
      <p className="muted">
        {total} {total === 1 ? "user" : "users"}
        {q ? ` matching “${q}”` : ""}
      </p>
      <table className="table" data-testid="users">
        <thead>
          <tr>
            <th>Name</th>
            <th>Email</th>
            <th>Team</th>
            <th>Roles</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((u) => (
            <tr key={u.id}>
              <td>
                <Link to={`/admin/users/${u.id}`}>{u.name}</Link>
              </td>
              <td>{u.email}</td>
              <td>{u.team ? `${u.department} / ${u.team}` : <span className="muted">no team</span>}</td>
              <td>
                {u.roles.map((r) => (
                  <span key={r} className="badge">
                    {r}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {pages > 1 ? (
        <nav className="pager" aria-label="Pages">
          {page > 1 ? <Link to={pageHref(q, page - 1)}>← Previous</Link> : null}
          <span>
            Page {page} of {pages}
          </span>
          {page < pages ? <Link to={pageHref(q, page + 1)}>Next →</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
