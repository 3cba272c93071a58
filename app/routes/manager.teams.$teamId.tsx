import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { config } from "~/.server/config";
import { teamDetail } from "~/.server/dashboard/team";
import { db } from "~/.server/db";
import { requireManagerScope } from "~/.server/scope";
import { SKILL_LABELS, Sparkline, Strength, WeeklyTrendChart } from "~/components/charts";
import { GradingBasisNote } from "~/components/grading-basis";
import { formatMicros } from "~/domain/cost";
import { SKILL_AREAS } from "~/domain/exercise";
import { parseParams } from "~/lib/params";
import managerCss from "~/styles/manager.css?url";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.team.name ?? "Team"} · Tokenwise` }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: managerCss }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope } = await requireManagerScope(request);
  const { teamId } = parseParams(z.object({ teamId: z.coerce.number().int().positive() }), params);
  const detail = teamDetail(db(), scope, teamId);
  // A team outside the viewer's scope is "not found", so ids reveal nothing about other teams.
  if (!detail) throw new Response("There is no team of yours at this address.", { status: 404 });
  return { ...detail, liveGrading: config().LLM_PROVIDER !== "none" };
}

export default function TeamPage() {
  const { team, learners, totals, trend, liveGrading } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="crumbs">
        <Link to="/manager">Team progress</Link> /
      </p>
      <h1>{team.name}</h1>
      <p className="muted">{team.department}</p>
      <GradingBasisNote liveGrading={liveGrading} />
      <div className="metrics-row">
        <div className="metric">
          <span className="metric-label">Members</span>
          <span className="metric-value">{totals.members}</span>
        </div>
        <div className="metric">
          <span className="metric-label">Exercises passed</span>
          <span className="metric-value">{totals.exercisesPassed}</span>
        </div>
        <div className="metric">
          <span className="metric-label">Projected savings / month</span>
          <span className="metric-value" data-testid="team-savings">
            {formatMicros(totals.savings.monthlyMicros)}
          </span>
          <span className="metric-sub muted">
            {totals.savings.monthlyTokens.toLocaleString("en-US")} prompt tokens a month
          </span>
        </div>
      </div>
      <p className="muted">
        Savings: for each learner's best passing attempt per exercise, the starting prompt's monthly cost minus the
        attempt's, at the exercise's stated volume; tokens likewise (prompt tokens saved × calls per month).
      </p>
      <section>
        <h2>Weekly trend</h2>
        <WeeklyTrendChart points={trend} title={`${team.name}, attempts (bars) and median score (line) per week`} />
      </section>
      <section>
        <h2>Learners</h2>
        <p>
          <a className="button secondary" href={`/manager/teams/${team.id}/learners.csv`} download>
            Export CSV
          </a>
        </p>
        <table className="table" data-testid="team-learners">
          <thead>
            <tr>
              <th>Learner</th>
              <th className="num">Attempts</th>
              <th className="num">Passed</th>
              <th className="num">Mean best</th>
              {SKILL_AREAS.map((s) => (
                <th key={s} className="num">
                  {SKILL_LABELS[s]}
                </th>
              ))}
              <th className="num">Saves / month</th>
              <th>Median score, 12 weeks</th>
            </tr>
          </thead>
          <tbody>
            {learners.map((l) => (
              <tr key={l.userId}>
                <td>
                  <Link to={`/manager/learners/${l.userId}`}>{l.name}</Link>
                </td>
                <td className="num">{l.attempts}</td>
                <td className="num">
                  {l.exercisesPassed}/{l.exercisesAttempted}
                </td>
                <td className="num">{l.meanBest ?? "—"}</td>
                {SKILL_AREAS.map((s) => (
                  <td key={s} className="num">
                    <Strength value={l.skills[s]} label={SKILL_LABELS[s]} />
                  </td>
                ))}
                <td className="num">
                  {formatMicros(l.savings.monthlyMicros)}
                  <br />
                  <span className="muted">{l.savings.monthlyTokens.toLocaleString("en-US")} tokens</span>
                </td>
                <td>
                  <Sparkline
                    values={l.trend.map((w) => w.medianScore)}
                    max={1000}
                    label={`${l.name}: median score per week, last ${l.trend.length} weeks`}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
