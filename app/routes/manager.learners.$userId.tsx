import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { config } from "~/.server/config";
import { learnerDetail } from "~/.server/dashboard/learner";
import { db } from "~/.server/db";
import { requireManagerScope } from "~/.server/scope";
import { SKILL_LABELS, Strength, WeeklyTrendChart } from "~/components/charts";
import { GradingBasisNote } from "~/components/grading-basis";
import { formatMicros } from "~/domain/cost";
import { SKILL_AREAS } from "~/domain/exercise";
import { parseParams } from "~/lib/params";
import managerCss from "~/styles/manager.css?url";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.learner.name ?? "Learner"} · Tokenwise` },
];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: managerCss }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope } = await requireManagerScope(request);
  const { userId } = parseParams(z.object({ userId: z.coerce.number().int().positive() }), params);
  const detail = learnerDetail(db(), scope, userId);
  if (!detail) throw new Response("There is no learner of your teams at this address.", { status: 404 });
  return { ...detail, liveGrading: config().LLM_PROVIDER !== "none" };
}

export default function LearnerPage() {
  const { learner, stats, attempts, liveGrading } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="crumbs">
        <Link to="/manager">Team progress</Link> / <Link to={`/manager/teams/${learner.teamId}`}>{learner.team}</Link> /
      </p>
      <h1>{learner.name}</h1>
      <GradingBasisNote liveGrading={liveGrading} />
      <div className="metrics-row">
        <div className="metric">
          <span className="metric-label">Exercises passed</span>
          <span className="metric-value">
            {stats.exercisesPassed}/{stats.exercisesAttempted}
          </span>
        </div>
        <div className="metric">
          <span className="metric-label">Mean best score</span>
          <span className="metric-value">{stats.meanBest ?? "—"}</span>
        </div>
        <div className="metric">
          <span className="metric-label">Projected savings / month</span>
          <span className="metric-value">{formatMicros(stats.savings.monthlyMicros)}</span>
          <span className="metric-sub muted">
            {stats.savings.monthlyTokens.toLocaleString("en-US")} prompt tokens a month
          </span>
        </div>
      </div>
      <section>
        <h2>Skill areas</h2>
        <table className="table" data-testid="learner-skills">
          <tbody>
            {SKILL_AREAS.map((s) => (
              <tr key={s}>
                <th>{SKILL_LABELS[s]}</th>
                <td className="num">
                  <Strength value={stats.skills[s]} label={SKILL_LABELS[s]} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">Strength: the mean best score on the exercises of that skill tried so far, out of 100.</p>
      </section>
      <section>
        <h2>Weekly trend</h2>
        <WeeklyTrendChart points={stats.trend} title={`${learner.name}, attempts and median score per week`} />
      </section>
      <section>
        <h2>Best per exercise</h2>
        <table className="table">
          <thead>
            <tr>
              <th>Exercise</th>
              <th className="num">Best score</th>
              <th>Passed</th>
            </tr>
          </thead>
          <tbody>
            {stats.bests.map((b) => (
              <tr key={b.exerciseId}>
                <td>{b.title}</td>
                <td className="num">{b.best}</td>
                <td>{b.passed ? "yes" : "not yet"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h2>Attempts</h2>
        <table className="table" data-testid="learner-attempts">
          <thead>
            <tr>
              <th>#</th>
              <th>Exercise</th>
              <th>When (UTC)</th>
              <th>Result</th>
              <th className="num">Score</th>
              <th className="num">Tokens</th>
              <th className="num">Cost / call</th>
            </tr>
          </thead>
          <tbody>
            {attempts.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link to={`/manager/attempts/${a.id}`}>#{a.id}</Link>
                </td>
                <td>{a.exerciseTitle}</td>
                <td>{new Date(a.createdAt).toISOString().slice(0, 16).replace("T", " ")}</td>
                <td>{a.status === "scored" ? (a.passed ? "passed" : "not passed") : a.status}</td>
                <td className="num">{a.score ?? "—"}</td>
                <td className="num">{a.promptTokens ?? "—"}</td>
                <td className="num">{a.costPerCallMicros === null ? "—" : formatMicros(a.costPerCallMicros)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
