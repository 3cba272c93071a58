import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { ROLES } from "#db/schema";
import { listDepartments, listTeams } from "~/.server/admin/org";
import { getUserAccess, parseUserAccessForm, updateUserAccess } from "~/.server/admin/users";
import { requireRole } from "~/.server/auth";
import { db } from "~/.server/db";
import type { FieldErrors } from "~/lib/forms";
import { parseParams } from "~/lib/params";
import adminCss from "~/styles/admin.css?url";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.user.name ?? "User"} · Users · Tokenwise` },
];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminCss }];

const paramsSchema = z.object({ userId: z.coerce.number().int().positive() });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const { userId } = parseParams(paramsSchema, params);
  const user = getUserAccess(db(), userId);
  if (!user) throw new Response(`No user ${userId}.`, { status: 404 });
  return {
    user,
    isSelf: admin.id === userId,
    roles: ROLES,
    teams: listTeams(db()),
    departments: listDepartments(db()),
  };
}

type ActionData = { ok: boolean; errors: FieldErrors };

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const { userId } = parseParams(paramsSchema, params);
  const parsed = parseUserAccessForm(await request.formData());
  if (!parsed.ok) return data<ActionData>({ ok: false, errors: parsed.errors }, { status: 400 });
  const outcome = updateUserAccess(db(), admin.id, userId, parsed.data);
  if (!outcome.ok) return data<ActionData>({ ok: false, errors: outcome.errors }, { status: 400 });
  return data<ActionData>({ ok: true, errors: {} });
}

function FieldError({ message }: { message?: string }) {
  return message ? (
    <p className="field-error" role="alert">
      {message}
    </p>
  ) : null;
}

export default function AdminUser() {
  const { user, isSelf, roles, teams, departments } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: FieldErrors = result?.errors ?? {};
  const busy = useNavigation().state !== "idle";
  const byDepartment = departments.map((d) => ({ ...d, teams: teams.filter((t) => t.departmentId === d.id) }));
  return (
    <>
      <p className="crumbs">
        <Link to="/admin">Administration</Link> › <Link to="/admin/users">Users</Link> › {user.name}
      </p>
      <h1>{user.name}</h1>
      <p className="muted">{user.email}</p>
      {result?.ok ? (
        <p className="banner" role="status">
          Saved. The changes apply from the user's next page load.
        </p>
      ) : null}
      <FieldError message={errors.form} />
      <Form method="post" className="stack" data-testid="user-access">
        <label>
          Team
          <select name="teamId" defaultValue={user.teamId ?? ""} aria-invalid={!!errors.teamId}>
            <option value="">No team</option>
            {byDepartment.map((d) => (
              <optgroup key={d.id} label={d.name}>
                {d.teams.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          <FieldError message={errors.teamId} />
        </label>

        <fieldset className="checkbox-group">
          <legend>Roles</legend>
          <div className="checkbox-row">
            {roles.map((r) => (
              <label key={r}>
                <input type="checkbox" name="roles" value={r} defaultChecked={user.roles.includes(r)} />
                {r}
              </label>
            ))}
          </div>
          {isSelf ? <p className="muted">You cannot remove your own admin role.</p> : null}
          <FieldError message={errors.roles} />
        </fieldset>

        <fieldset className="checkbox-group">
          <legend>Manages these teams</legend>
          <p className="muted">A manager sees the progress and spend of the teams ticked here, and nothing else.</p>
          <div className="checkbox-grid">
            {teams.map((t) => (
              <label key={t.id}>
                <input type="checkbox" name="manages" value={t.id} defaultChecked={user.manages.includes(t.id)} />
                {t.department} / {t.name}
              </label>
            ))}
          </div>
          <FieldError message={errors.manages} />
        </fieldset>

        <fieldset className="checkbox-group">
          <legend>Heads these departments</legend>
          <p className="muted">A department head sees every team of the departments ticked here.</p>
          <div className="checkbox-grid">
            {departments.map((d) => (
              <label key={d.id}>
                <input type="checkbox" name="heads" value={d.id} defaultChecked={user.heads.includes(d.id)} />
                {d.name} ({d.costCentre})
              </label>
            ))}
          </div>
          <FieldError message={errors.heads} />
        </fieldset>

        <div>
          <button type="submit" className="primary" disabled={busy}>
            Save
          </button>
        </div>
      </Form>
    </>
  );
}
