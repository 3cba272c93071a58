import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { assignedCourses, courseProgress } from "~/.server/assignments/my-learning";
import { requireUser } from "~/.server/auth";
import { db } from "~/.server/db";
import { DueDate, StateBadge } from "~/components/assignment-state";
import { ProgressBar } from "~/components/progress-bar";
import learningCss from "~/styles/learning.css?url";

export const meta: MetaFunction = () => [{ title: "My progress · Tokenwise" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: learningCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const assigned = assignedCourses(db(), user.id);
  return { courses: courseProgress(db(), user.id), assigned, now: Date.now() };
}

export default function ProgressPage() {
  const { courses, assigned, now } = useLoaderData<typeof loader>();
  const byCourse = new Map(assigned.map((a) => [a.courseSlug, a]));
  const exercises = courses.flatMap((c) => c.exercises);
  const passed = exercises.filter((e) => e.passed).length;
  const tried = exercises.filter((e) => e.attempts > 0).length;
  return (
    <>
      <h1>My progress</h1>
      <div className="metrics-row">
        <div className="metric">
          <span className="metric-label">Exercises passed</span>
          <span className="metric-value" data-testid="passed-total">
            {passed} of {exercises.length}
          </span>
        </div>
        <div className="metric">
          <span className="metric-label">Exercises tried</span>
          <span className="metric-value">{tried}</span>
        </div>
        <div className="metric">
          <span className="metric-label">Attempts</span>
          <span className="metric-value">{exercises.reduce((n, e) => n + e.attempts, 0)}</span>
        </div>
      </div>
      {courses.map((c) => {
        const a = byCourse.get(c.slug);
        const done = c.exercises.filter((e) => e.passed).length;
        // An assigned course is complete when its assigned set is passed; any other when every exercise is.
        const complete = a ? a.progress.state === "done" : done === c.exercises.length && done > 0;
        return (
          <section key={c.slug} className="progress-course" data-course={c.slug}>
            <div className="assigned-head">
              <h2>
                <Link to={`/courses/${c.slug}`}>{c.title}</Link>
              </h2>
              {a ? <StateBadge state={a.progress.state} /> : null}
            </div>
            {a ? (
              <p className="muted">
                Assigned, due <DueDate dueAt={a.dueAt} now={now} />: {a.progress.passed} of {a.progress.required}{" "}
                assigned exercises passed.
              </p>
            ) : null}
            <ProgressBar done={done} total={c.exercises.length} label={`${done} of ${c.exercises.length} passed`} />
            <div className="table-scroll">
              <table className="table">
                <thead>
                  <tr>
                    <th>Exercise</th>
                    <th>Result</th>
                    <th className="num">Best score</th>
                    <th className="num">Attempts</th>
                  </tr>
                </thead>
                <tbody>
                  {c.exercises.map((e) => (
                    <tr key={e.slug}>
                      <td>
                        <Link to={`/exercises/${e.slug}`}>{e.title}</Link>
                      </td>
                      <td>
                        {e.passed ? (
                          <span className="badge pass">Passed</span>
                        ) : e.attempts > 0 ? (
                          <span className="badge fail">Not passed yet</span>
                        ) : (
                          <span className="muted">Not tried</span>
                        )}
                      </td>
                      <td className="num">{e.bestScore ?? "—"}</td>
                      <td className="num">{e.attempts}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {complete ? (
              <p>
                <Link className="button secondary" to={`/certificates/${c.slug}`}>
                  Certificate
                </Link>
              </p>
            ) : null}
          </section>
        );
      })}
    </>
  );
}
