import { Link } from "@remix-run/react";
import type { ImpactColumns, TeamImpact } from "~/.server/usage/training-impact";
import { formatMicros } from "~/domain/cost";
import { clearOfZero, relativeText, savingText } from "~/domain/impact-text";
import { Sparkline } from "./charts";

/** The manager dashboard's per-team line of training impact on the production bill (details on /finops/impact). */
export function ImpactSummary({ teams }: { teams: TeamImpact[] }) {
  if (teams.length === 0) return null;
  return (
    <section aria-labelledby="impact-title">
      <h2 id="impact-title">Training impact on production spend</h2>
      <p className="muted">
        Estimated from the production bill: the percentage change in each trained team's cost per call after its
        training, beyond what teams not yet trained did over the same weeks, and what that change saves on the team's
        own spend. An estimate with a 95% interval, not a measurement;{" "}
        <Link to="/finops/impact">how it is worked out and its limits</Link>.
      </p>
      <table className="table" data-testid="manager-impact">
        <thead>
          <tr>
            <th>Team</th>
            <th>Trained on</th>
            <th className="num">Cost per call, estimated change</th>
            <th className="num">Monthly saving, estimate</th>
          </tr>
        </thead>
        <tbody>
          {teams.map((t) => {
            const cost = t.estimates.costPerCall;
            return (
              <tr key={t.teamId}>
                <td>{t.team}</td>
                <td>{t.trainedOn ?? `not yet (${t.completed} of ${t.members} completed a course)`}</td>
                <td className="num">
                  {cost?.relative ? relativeText(cost.relative) : t.status === "not trained" ? "—" : "not enough data"}
                  {cost && !clearOfZero(cost) ? <span className="muted"> (could be no change)</span> : null}
                </td>
                <td className="num">{t.saving ? savingText(t.saving) : "—"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/** The team leaderboard's two cells: the production saving estimate and the weekly cost per call. */
export function ImpactCells({ team, impact }: { team: string; impact: ImpactColumns | undefined }) {
  if (!impact)
    return (
      <>
        <td className="num">—</td>
        <td>—</td>
      </>
    );
  const max = Math.max(0, ...impact.trend.map((v) => v ?? 0));
  const change = impact.trendChange;
  return (
    <>
      <td className="num">
        {impact.saving
          ? `${formatMicros(impact.saving.savingMicros)} / month`
          : impact.status === "not trained"
            ? "not trained yet"
            : "not enough data"}
      </td>
      <td>
        <Sparkline
          values={impact.trend}
          max={max}
          label={`${team}: weekly production cost per call, ${
            change === null
              ? "too few weeks to compare"
              : `${change > 0 ? "up" : "down"} ${Math.abs(change * 100).toFixed(0)}% on the 4 weeks before`
          }`}
        />{" "}
        {change === null ? null : (
          <span className="muted">
            {change > 0 ? "+" : "−"}
            {Math.abs(change * 100).toFixed(0)}%
          </span>
        )}
      </td>
    </>
  );
}
