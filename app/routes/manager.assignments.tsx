import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { assignChoices, assignCourse, changeDueDate, removeAssignment } from "~/.server/assignments/assign";
import { assignmentBoard, BOARD_ROW_LIMIT } from "~/.server/assignments/board";
import { boardQuery } from "~/.server/assignments/board-filter";
import { db } from "~/.server/db";
import { requireManagerScope } from "~/.server/scope";
import { DueDate, StateBadge } from "~/components/assignment-state";
import { BoardFilters, ChoiceOptions } from "~/components/board-filters";
import { ASSIGNMENT_STATES, dueDateText, parseDueDate, STATE_LABELS } from "~/domain/assignment-status";
import { parseForm } from "~/lib/forms";
import learningCss from "~/styles/learning.css?url";
import managerCss from "~/styles/manager.css?url";

export const meta: MetaFunction = () => [{ title: "Assignments · Tokenwise" }];
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: managerCss },
  { rel: "stylesheet", href: learningCss },
];

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireManagerScope(request);
  const { query, filter } = boardQuery(request);
  const board = assignmentBoard(db(), scope, filter);
  return { board, choices: assignChoices(db(), scope), filter: query, now: Date.now(), limit: BOARD_ROW_LIMIT };
}

const dueField = z.string({ required_error: "Pick a due date" }).max(40);
const actionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("assign"),
    course: id,
    target: z.enum(["team", "person"]),
    team: id.optional(),
    email: z.string().max(320).optional(),
    due: dueField,
  }),
  z.object({ intent: z.literal("due"), assignment: id, due: dueField }),
  z.object({ intent: z.literal("remove"), assignment: id }),
]);

export async function action({ request }: ActionFunctionArgs) {
  const { user, scope } = await requireManagerScope(request);
  const parsed = parseForm(actionSchema, await request.formData());
  if (!parsed.ok) return data({ ok: false as const, errors: parsed.errors }, { status: 400 });
  const form = parsed.data;
  const actor = { id: user.id, scope };
  const fail = (status: number, error: string, field = "form") =>
    data({ ok: false as const, errors: { [field]: error } }, { status });
  if (form.intent === "remove") {
    const r = removeAssignment(db(), actor, form.assignment);
    return r.ok ? { ok: true as const, message: "Assignment removed." } : fail(r.status, r.error);
  }
  const due = parseDueDate(form.due, new Date());
  if (!due.ok) return fail(400, due.error, "due");
  if (form.intent === "due") {
    const r = changeDueDate(db(), actor, form.assignment, due.dueAt);
    return r.ok
      ? { ok: true as const, message: `Due date changed to ${dueDateText(due.dueAt)}.` }
      : fail(r.status, r.error);
  }
  if (form.target === "team" && form.team === undefined) return fail(400, "Pick a team", "team");
  if (form.target === "person" && !form.email?.trim()) return fail(400, "Give the person's email", "email");
  const target = form.target === "team" ? { teamId: form.team ?? 0 } : { email: form.email ?? "" };
  const r = assignCourse(db(), actor, { courseId: form.course, target, dueAt: due.dueAt });
  if (!r.ok) return fail(r.status, r.error, r.field);
  return { ok: true as const, message: `Assigned, due ${dueDateText(due.dueAt)}.` };
}

export default function AssignmentsDashboard() {
  const { board, choices, filter, now, limit } = useLoaderData<typeof loader>();
  // The export takes the page's filter and sort as they are in the address.
  const { search } = useLocation();
  return (
    <>
      <h1>Assignments</h1>
      <p className="muted">
        Who has done what was assigned to them. A course counts the exercises it had when it was assigned; exercises
        published later do not lower anyone's completion. <Link to="/manager">Team progress across all courses</Link>
      </p>
      <AssignForm choices={choices} />
      <section>
        <h2>Across your teams</h2>
        {board.summary.length === 0 ? (
          <p className="muted">Nothing is assigned in your teams yet. Assign a course above.</p>
        ) : (
          <div className="table-scroll">
            <table className="table" data-testid="assignment-summary">
              <thead>
                <tr>
                  <th>Team</th>
                  <th>Course</th>
                  {ASSIGNMENT_STATES.map((s) => (
                    <th key={s} className="num">
                      {STATE_LABELS[s]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {board.summary.map((s) => (
                  <tr key={`${s.teamId}:${s.courseId}`}>
                    <td>
                      <Link to={`?team=${s.teamId ?? ""}&course=${s.courseId}`}>{s.team}</Link>
                    </td>
                    <td>{s.course}</td>
                    {ASSIGNMENT_STATES.map((st) => (
                      <td key={st} className="num">
                        {s.counts[st] > 0 ? (
                          <Link to={`?team=${s.teamId ?? ""}&course=${s.courseId}&state=${st}`}>{s.counts[st]}</Link>
                        ) : (
                          0
                        )}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section>
        <h2>Per learner</h2>
        <BoardFilters filter={filter} teams={choices.teams} courses={choices.courses} />
        <p className="muted" data-testid="board-count">
          {board.total === 0
            ? "No learner matches."
            : board.total > limit
              ? `Showing the first ${limit} of ${board.total}; filter to narrow it down.`
              : `${board.total} row${board.total === 1 ? "" : "s"} (one per learner and assigned course).`}
        </p>
        {board.total > 0 ? (
          <p>
            <a className="button secondary" href={`/manager/assignments.csv${search}`} download data-testid="board-csv">
              Download these rows (CSV)
            </a>
          </p>
        ) : null}
        {board.rows.length > 0 ? (
          <div className="table-scroll">
            <table className="table" data-testid="assignment-board">
              <thead>
                <tr>
                  <th>Learner</th>
                  <th>Team</th>
                  <th>Course</th>
                  <th>Status</th>
                  <th className="num">Passed</th>
                  <th>Due</th>
                  <th>Last attempt</th>
                </tr>
              </thead>
              <tbody>
                {board.rows.map((r) => (
                  <tr key={`${r.userId}:${r.courseId}`} data-learner={r.email} data-state={r.state}>
                    <td>
                      <Link to={`/manager/learners/${r.userId}`}>{r.name}</Link>
                    </td>
                    <td>{r.team}</td>
                    <td>
                      {r.course}
                      {r.personal ? <span className="muted"> (personal)</span> : null}
                    </td>
                    <td>
                      <StateBadge state={r.state} />
                    </td>
                    <td className="num">
                      {r.passed} of {r.required}
                    </td>
                    <td>
                      <DueDate dueAt={r.dueAt} now={now} />
                    </td>
                    <td>{r.lastAttemptAt ? new Date(r.lastAttemptAt).toISOString().slice(0, 10) : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      <AssignmentList assignments={board.assignments} now={now} />
    </>
  );
}

type Choices = ReturnType<typeof useLoaderData<typeof loader>>["choices"];

function useResult() {
  const result = useActionData<typeof action>();
  return {
    errors: result && !result.ok ? result.errors : ({} as Record<string, string>),
    message: result?.ok ? result.message : null,
  };
}

function AssignForm({ choices }: { choices: Choices }) {
  const { errors, message } = useResult();
  const busy = useNavigation().state === "submitting";
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  return (
    <section className="assign-box">
      <h2>Assign a course</h2>
      <Form method="post" className="assign-form" aria-label="Assign a course">
        <input type="hidden" name="intent" value="assign" />
        <label>
          Course
          <select name="course" required aria-invalid={errors.course ? true : undefined}>
            <ChoiceOptions choices={choices.courses.map((c) => ({ value: c.id, label: c.title }))} />
          </select>
        </label>
        <fieldset>
          <legend>To</legend>
          <label className="inline">
            <input type="radio" name="target" value="team" defaultChecked /> a team
          </label>
          <select name="team" aria-label="Team" aria-invalid={errors.team ? true : undefined}>
            <ChoiceOptions choices={choices.teams.map((t) => ({ value: t.id, label: t.name }))} />
          </select>
          <label className="inline">
            <input type="radio" name="target" value="person" /> one person, by email
          </label>
          <input
            type="email"
            name="email"
            aria-label="Email"
            maxLength={320}
            aria-invalid={errors.email ? true : undefined}
          />
        </fieldset>
        <label>
          Due
          <input
            type="date"
            name="due"
            required
            min={tomorrow.slice(0, 10)}
            aria-invalid={errors.due ? true : undefined}
          />
        </label>
        <button type="submit" className="button primary" disabled={busy}>
          Assign
        </button>
      </Form>
      {Object.keys(errors).length > 0 ? (
        <p className="form-error" role="alert" data-testid="assign-error">
          {Object.values(errors).join(" ")}
        </p>
      ) : message ? (
        <p className="good" role="status" data-testid="assign-message">
          {message}
        </p>
      ) : null}
    </section>
  );
}

function AssignmentList({
  assignments,
  now,
}: {
  assignments: ReturnType<typeof useLoaderData<typeof loader>>["board"]["assignments"];
  now: number;
}) {
  if (assignments.length === 0) return null;
  return (
    <section>
      <h2>Assignments you can change</h2>
      <ul className="plain-list assignment-list">
        {assignments.map((a) => (
          <li key={a.id}>
            <strong>{a.course}</strong> → {a.target}
            {a.personal ? " (personal)" : ""}, {a.exercises} exercises, due <DueDate dueAt={a.dueAt} now={now} />
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="due" />
              <input type="hidden" name="assignment" value={a.id} />
              <input
                type="date"
                name="due"
                required
                aria-label={`New due date for ${a.course} → ${a.target}`}
                defaultValue={dueDateText(new Date(a.dueAt))}
              />
              <button type="submit" className="button secondary">
                Change due date
              </button>
            </Form>
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="remove" />
              <input type="hidden" name="assignment" value={a.id} />
              <button type="submit" className="link-button">
                Remove
              </button>
            </Form>
          </li>
        ))}
      </ul>
    </section>
  );
}
