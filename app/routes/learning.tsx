import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { myLearning } from "~/.server/assignments/my-learning";
import { requireUser } from "~/.server/auth";
import { db } from "~/.server/db";
import { DueDate, StateBadge } from "~/components/assignment-state";
import { ProgressBar } from "~/components/progress-bar";
import { ASSIGNMENT_STATES, STATE_LABELS } from "~/domain/assignment-status";
import learningCss from "~/styles/learning.css?url";

export const meta: MetaFunction = () => [{ title: "My learning · Tokenwise" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: learningCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { ...myLearning(db(), user.id), name: user.name, now: Date.now() };
}

// Overdue first, then what is waiting, then what is under way; done last.
const ORDER = ["overdue", "not_started", "in_progress", "done"] as const;

export default function MyLearning() {
  const { assigned, started, name, now } = useLoaderData<typeof loader>();
  const counts = Object.fromEntries(
    ASSIGNMENT_STATES.map((s) => [s, assigned.filter((a) => a.progress.state === s).length]),
  );
  return (
    <>
      <h1>My learning</h1>
      <p className="muted">
        Hello {name}. {assigned.length === 0 ? "Nothing is assigned to you right now." : null}
        {assigned.length > 0
          ? ORDER.filter((s) => counts[s] > 0)
              .map((s) => `${counts[s]} ${STATE_LABELS[s].toLowerCase()}`)
              .join(" · ")
          : null}
      </p>
      {assigned.length > 0 ? (
        <ul className="assigned-list" data-testid="my-learning">
          {ORDER.flatMap((state) =>
            assigned
              .filter((a) => a.progress.state === state)
              .map((a) => (
                <li key={a.assignmentId} className={`assigned-card state-${state}`} data-course={a.courseSlug}>
                  <div className="assigned-head">
                    <h2>
                      <Link to={`/courses/${a.courseSlug}`}>{a.courseTitle}</Link>
                    </h2>
                    <StateBadge state={a.progress.state} />
                  </div>
                  <p className="muted">
                    Due <DueDate dueAt={a.dueAt} now={now} />
                    {a.team ? ` · assigned to ${a.team}` : " · assigned to you"}
                  </p>
                  <ProgressBar
                    done={a.progress.passed}
                    total={a.progress.required}
                    label={`${a.progress.passed} of ${a.progress.required} exercises passed`}
                  />
                  <p className="assigned-actions">
                    {a.next ? (
                      <Link className="button primary" to={`/exercises/${a.next.slug}`}>
                        {a.progress.passed === 0 ? "Start" : "Continue"}: {a.next.title}
                      </Link>
                    ) : (
                      <Link className="button primary" to={`/certificates/${a.courseSlug}`}>
                        View certificate
                      </Link>
                    )}
                  </p>
                </li>
              )),
          )}
        </ul>
      ) : (
        <p>
          Your manager has not assigned you a course yet. You can start any course from{" "}
          <Link to="/courses">the course list</Link>.
        </p>
      )}
      {started.length > 0 ? (
        <section>
          <h2>Also started</h2>
          <ul className="plain-list">
            {started.map((c) => (
              <li key={c.slug}>
                <Link to={`/courses/${c.slug}`}>{c.title}</Link>{" "}
                <span className="muted">
                  {c.passed} of {c.exercises} passed
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p>
        <Link to="/progress">My progress</Link> · <Link to="/courses">All courses</Link>
      </p>
    </>
  );
}
