import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import {
  createDepartment,
  createTeam,
  departmentInput,
  listDepartments,
  listTeams,
  teamInput,
  updateDepartment,
  updateTeam,
} from "~/.server/admin/org";
import { requireRole } from "~/.server/auth";
import { db } from "~/.server/db";
import { type FieldErrors, parseForm } from "~/lib/forms";
import adminCss from "~/styles/admin.css?url";

export const meta: MetaFunction = () => [{ title: "Departments and teams · Tokenwise" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return { departments: listDepartments(db()), teams: listTeams(db()) };
}

const id = z.coerce.number().int().positive();
const orgForm = z.discriminatedUnion("intent", [
  departmentInput.extend({ intent: z.literal("createDepartment") }),
  departmentInput.extend({ intent: z.literal("updateDepartment"), id }),
  teamInput.extend({ intent: z.literal("createTeam") }),
  teamInput.extend({ intent: z.literal("updateTeam"), id }),
]);

export type OrgActionData = { ok: boolean; target: string; message: string; errors: FieldErrors };

export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, "admin");
  const form = await request.formData();
  // Which form on the page was sent, so its errors show beside it: "createTeam:new", "updateTeam:7".
  const target = `${form.get("intent")}:${form.get("id") ?? "new"}`;
  const parsed = parseForm(orgForm, form);
  if (!parsed.ok)
    return data<OrgActionData>({ ok: false, target, message: "", errors: parsed.errors }, { status: 400 });
  const input = parsed.data;
  const database = db();
  const outcome =
    input.intent === "createDepartment"
      ? createDepartment(database, { name: input.name, costCentre: input.costCentre })
      : input.intent === "updateDepartment"
        ? updateDepartment(database, input.id, { name: input.name, costCentre: input.costCentre })
        : input.intent === "createTeam"
          ? createTeam(database, { name: input.name, departmentId: input.departmentId })
          : updateTeam(database, input.id, { name: input.name, departmentId: input.departmentId });
  if (!outcome.ok)
    return data<OrgActionData>({ ok: false, target, message: "", errors: outcome.errors }, { status: 400 });
  const what = input.intent.endsWith("Department") ? "department" : "team";
  const verb = input.intent.startsWith("create") ? "Created" : "Saved";
  return data<OrgActionData>({ ok: true, target, message: `${verb} the ${what} "${input.name}".`, errors: {} });
}

function FieldError({ message }: { message?: string }) {
  return message ? <span className="field-error">{message}</span> : null;
}

export default function AdminOrg() {
  const { departments, teams } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const errorsFor = (target: string): FieldErrors =>
    result && !result.ok && result.target === target ? result.errors : {};
  const newDept = errorsFor("createDepartment:new");
  const newTeam = errorsFor("createTeam:new");
  return (
    <>
      <p className="crumbs">
        <Link to="/admin">Administration</Link> › Departments and teams
      </p>
      <h1>Departments and teams</h1>
      <p className="muted">
        Each department is a cost centre: the ledger charges every model call to the caller's team and department at the
        time of the call, so renaming or moving changes only what comes after.
      </p>
      {result?.ok ? (
        <p className="banner" role="status">
          {result.message}
        </p>
      ) : null}

      <section className="admin-section">
        <h2>Departments</h2>
        <table className="table" data-testid="departments">
          <thead>
            <tr>
              <th>Department and cost centre</th>
              <th>Teams</th>
              <th>Members</th>
            </tr>
          </thead>
          <tbody>
            {departments.map((d) => {
              const errors = errorsFor(`updateDepartment:${d.id}`);
              return (
                <tr key={d.id}>
                  <td>
                    <Form method="post" className="row-form">
                      <input type="hidden" name="intent" value="updateDepartment" />
                      <input type="hidden" name="id" value={d.id} />
                      <label>
                        <input
                          name="name"
                          defaultValue={d.name}
                          aria-label={`Name of ${d.name}`}
                          aria-invalid={!!errors.name}
                        />
                        <FieldError message={errors.name} />
                      </label>
                      <label>
                        <input
                          name="costCentre"
                          defaultValue={d.costCentre}
                          aria-label={`Cost centre of ${d.name}`}
                          aria-invalid={!!errors.costCentre}
                        />
                        <FieldError message={errors.costCentre} />
                      </label>
                      <button type="submit" className="secondary" disabled={busy}>
                        Save
                      </button>
                      <FieldError message={errors.id} />
                    </Form>
                  </td>
                  <td>{d.teams}</td>
                  <td>{d.members}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <h3>New department</h3>
        <Form method="post" className="row-form" key={`dept-${departments.length}`}>
          <input type="hidden" name="intent" value="createDepartment" />
          <label>
            Name
            <input name="name" required aria-invalid={!!newDept.name} />
            <FieldError message={newDept.name} />
          </label>
          <label>
            Cost centre
            <input name="costCentre" required placeholder="CC-1234" aria-invalid={!!newDept.costCentre} />
            <FieldError message={newDept.costCentre} />
          </label>
          <button type="submit" className="primary" disabled={busy}>
            Add department
          </button>
        </Form>
      </section>

      <section className="admin-section">
        <h2>Teams</h2>
        {departments.length === 0 ? <p className="muted">Add a department first: every team belongs to one.</p> : null}
        <table className="table" data-testid="teams">
          <thead>
            <tr>
              <th>Team and department</th>
              <th>Members</th>
            </tr>
          </thead>
          <tbody>
            {teams.map((t) => {
              const errors = errorsFor(`updateTeam:${t.id}`);
              return (
                <tr key={t.id}>
                  <td>
                    <Form method="post" className="row-form">
                      <input type="hidden" name="intent" value="updateTeam" />
                      <input type="hidden" name="id" value={t.id} />
                      <label>
                        <input
                          name="name"
                          defaultValue={t.name}
                          aria-label={`Name of team ${t.name}`}
                          aria-invalid={!!errors.name}
                        />
                        <FieldError message={errors.name} />
                      </label>
                      <label>
                        <select
                          name="departmentId"
                          defaultValue={t.departmentId}
                          aria-label={`Department of team ${t.name}`}
                        >
                          {departments.map((d) => (
                            <option key={d.id} value={d.id}>
                              {d.name}
                            </option>
                          ))}
                        </select>
                        <FieldError message={errors.departmentId} />
                      </label>
                      <button type="submit" className="secondary" disabled={busy}>
                        Save
                      </button>
                      <FieldError message={errors.id} />
                    </Form>
                  </td>
                  <td>{t.members}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {departments.length ? (
          <>
            <h3>New team</h3>
            <Form method="post" className="row-form" key={`team-${teams.length}`}>
              <input type="hidden" name="intent" value="createTeam" />
              <label>
                Name
                <input name="name" required aria-invalid={!!newTeam.name} />
                <FieldError message={newTeam.name} />
              </label>
              <label>
                Department
                <select name="departmentId" aria-invalid={!!newTeam.departmentId}>
                  {departments.map((d) => (
                    <option key={d.id} value={d.id}>
                      {d.name}
                    </option>
                  ))}
                </select>
                <FieldError message={newTeam.departmentId} />
              </label>
              <button type="submit" className="primary" disabled={busy}>
                Add team
              </button>
            </Form>
          </>
        ) : null}
      </section>
    </>
  );
}
