import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { config } from "~/.server/config";
import { progressGrid } from "~/.server/dashboard/grid";
import { db } from "~/.server/db";
import { requireManagerScope } from "~/.server/scope";
import { trainingImpact } from "~/.server/usage/training-impact";
import { GradingBasisNote } from "~/components/grading-basis";
import { ImpactSummary } from "~/components/impact-summary";
import { ProgressBar } from "~/components/progress-bar";
import managerCss from "~/styles/manager.css?url";

export const meta: MetaFunction = () => [{ title: "Team progress · Tokenwise" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: managerCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireManagerScope(request);
  return {
    grid: progressGrid(db(), scope),
    liveGrading: config().LLM_PROVIDER !== "none",
    impact: trainingImpact(db(), scope, new Date()),
  };
}

export default function ManagerDashboard() {
  const { grid, liveGrading, impact } = useLoaderData<typeof loader>();
  const cell = (teamId: number, courseId: number) =>
    grid.cells.find((c) => c.teamId === teamId && c.courseId === courseId);
  return (
    <>
      <h1>Team progress</h1>
      <GradingBasisNote liveGrading={liveGrading} />
      <p className="muted">
        Completion is the share of (member × exercise) pairs with a passing attempt. Best scores (0–1000) are each
        member's best graded attempt per exercise, averaged over the exercises they tried.
      </p>
      <p>
        <a className="button secondary" href="/manager/grid.csv" download data-testid="grid-csv">
          Export CSV
        </a>
      </p>
      {grid.teams.length === 0 ? (
        <p className="muted">
          No teams to show yet: you see the teams you manage (or your department's). An administrator links you to a
          team on its user page (Admin › Users).
        </p>
      ) : (
        <table className="table grid-table" data-testid="progress-grid">
          <thead>
            <tr>
              <th>Team</th>
              <th className="num">Members</th>
              {grid.courses.map((c) => (
                <th key={c.id}>
                  {c.title}
                  <br />
                  <span className="muted">{c.exercises} exercises</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {grid.teams.map((t) => (
              <tr key={t.id}>
                <th>
                  <Link to={`/manager/teams/${t.id}`}>{t.name}</Link>
                  <br />
                  <span className="muted">{t.department}</span>
                </th>
                <td className="num">{t.members}</td>
                {grid.courses.map((c) => {
                  const x = cell(t.id, c.id);
                  if (!x) return <td key={c.id}>—</td>;
                  return (
                    <td key={c.id} className="grid-cell">
                      <ProgressBar
                        done={x.passed}
                        total={t.members * c.exercises}
                        label={`${Math.round(x.completion * 100)}% complete`}
                      />
                      <span className="muted">
                        best avg {x.averageBest ?? "—"} · median {x.medianBest ?? "—"}
                      </span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ImpactSummary teams={impact} />
    </>
  );
}
