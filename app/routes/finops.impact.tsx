import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { db } from "~/.server/db";
import { requireManagerScope } from "~/.server/scope";
import { reattributionStatus } from "~/.server/usage/reattribution";
import { trainingImpact } from "~/.server/usage/training-impact";
import { Sparkline } from "~/components/charts";
import { ReattributionNotice } from "~/components/reattribution-notice";
import { formatMicros } from "~/domain/cost";
import { MIN_WEEKS, POST_WEEKS, PRE_WEEKS, TREND_WEEKS } from "~/domain/impact";
import { changeText, clearOfZero, costPerCallText, relativeText, savingText } from "~/domain/impact-text";
import finopsStyles from "~/styles/finops.css?url";
import managerCss from "~/styles/manager.css?url";

export const meta: MetaFunction = () => [{ title: "Training impact · Tokenwise" }];
// manager.css draws the sparklines (charts.tsx).
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: finopsStyles },
  { rel: "stylesheet", href: managerCss },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireManagerScope(request);
  return { teams: trainingImpact(db(), scope, new Date()), reattribution: reattributionStatus(db()) };
}

export default function TrainingImpact() {
  const { teams, reattribution } = useLoaderData<typeof loader>();
  const estimated = teams.filter((t) => t.saving);
  const total = estimated.reduce((s, t) => s + (t.saving?.savingMicros ?? 0), 0);
  return (
    <>
      <p className="crumbs">
        <Link to="/finops">Showback</Link> › <Link to="/finops/production">Production spend</Link> › Training impact
      </p>
      <h1>Training impact on the production bill</h1>
      <ReattributionNotice status={reattribution} />
      <p>
        For each trained team: how its cost per call, tokens per call and frontier share moved in the {PRE_WEEKS} weeks
        before and the {POST_WEEKS} weeks after the week it was trained, <strong>beyond</strong> what the teams not yet
        trained did over the same weeks (a difference-in-differences estimate, with a 95% interval). A team counts as
        trained on the day half its members had completed a course.
      </p>
      <p data-testid="impact-method">
        Cost and tokens per call are compared as percentages (on a log scale): teams differ in size and in what they use
        models for, and a change that reaches everyone, such as a price cut, moves every team by the same percentage,
        not the same dollars. The interval comes from how much the week-to-week difference between the team and the
        comparison varies. The monthly saving applies the estimated change to the team's own spend since its training:
        what those calls would have cost without the change, minus what they cost.
      </p>
      <p className="muted" data-testid="impact-caveat">
        These are estimates, not measurements. Teams are not trained at random, so a team that trains first may also be
        changing how it uses models for other reasons; anything else that changed only for this team in those weeks (a
        new feature, a model switch, a busy season) is counted too. When the interval includes zero, the bill cannot
        tell a saving from no change. Estimates need {MIN_WEEKS} weeks with calls on each side and at least one
        untrained team to compare with.
      </p>
      {estimated.length > 0 ? (
        <p data-testid="impact-total">
          Implied saving across {estimated.length} {estimated.length === 1 ? "team" : "teams"}:{" "}
          <strong>{formatMicros(total)} a month</strong> (estimate, on their own spend since training).
        </p>
      ) : null}
      <p>
        <a className="button secondary" href="/finops/impact.csv" download>
          Export CSV
        </a>
      </p>
      {teams.length === 0 ? (
        <p className="muted">There are no teams in your scope.</p>
      ) : (
        <table className="table finops-table" data-testid="impact-table">
          <thead>
            <tr>
              <th>Team</th>
              <th>Trained on</th>
              <th className="num">Cost per 1,000 calls, before → after</th>
              <th className="num">Untrained teams, same weeks</th>
              <th className="num">Cost per call, estimated change (95% interval)</th>
              <th className="num">Tokens per call, estimated change</th>
              <th className="num">Frontier share, estimated change</th>
              <th className="num">Monthly saving, estimate (95% interval)</th>
              <th>Cost per 1,000 calls, last {TREND_WEEKS} weeks</th>
            </tr>
          </thead>
          <tbody>
            {teams.map((t) => {
              const cost = t.estimates.costPerCall;
              const max = Math.max(0, ...t.trend.map((v) => v ?? 0));
              return (
                <tr key={t.teamId} data-team={t.team}>
                  <th scope="row">
                    {t.team}
                    <br />
                    <span className="muted">{t.department}</span>
                  </th>
                  <td>
                    {t.trainedOn ?? "not yet"}
                    <br />
                    <span className="muted">
                      {t.completed} of {t.members} completed a course
                    </span>
                  </td>
                  {cost ? (
                    <>
                      <td className="num">
                        {costPerCallText(cost.before)} → {costPerCallText(cost.after)}
                      </td>
                      <td className="num">
                        {costPerCallText(cost.comparisonBefore)} → {costPerCallText(cost.comparisonAfter)}
                      </td>
                      <td className="num">
                        {cost.relative ? relativeText(cost.relative) : null}
                        {clearOfZero(cost) ? null : (
                          <>
                            <br />
                            <span className="muted">could be no change</span>
                          </>
                        )}
                        {cost.preTrend?.diverging ? (
                          <>
                            <br />
                            <span
                              className="badge budget-warn"
                              title="The team's cost per call was already moving apart from the comparison's in the weeks before training"
                            >
                              already drifting before training
                            </span>
                          </>
                        ) : null}
                      </td>
                      <td className="num">
                        {t.estimates.tokensPerCall?.relative ? relativeText(t.estimates.tokensPerCall.relative) : "—"}
                      </td>
                      <td className="num">
                        {t.estimates.frontierShare
                          ? changeText(t.estimates.frontierShare, (v) => `${(v * 100).toFixed(1)} pts`)
                          : "—"}
                      </td>
                      <td className="num" data-testid="impact-saving">
                        {t.saving ? savingText(t.saving) : "—"}
                      </td>
                    </>
                  ) : (
                    <td colSpan={6} className="muted">
                      {t.status === "not trained"
                        ? "Not trained yet: serves as a comparison."
                        : `No estimate: ${t.reason}.`}
                    </td>
                  )}
                  <td>
                    <Sparkline
                      values={t.trend}
                      max={max}
                      label={`${t.team}: cost per call over the last ${TREND_WEEKS} weeks, ${t.trend
                        .map((v) => (v === null ? "no calls" : costPerCallText(v)))
                        .join(", ")}`}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
