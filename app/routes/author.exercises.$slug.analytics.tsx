import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/.server/auth";
import {
  type Bin,
  type ExerciseAnalytics,
  exerciseAnalytics,
  type FailureRow,
  type Spend,
  type VersionAnalytics,
} from "~/.server/authoring/analytics";
import { db } from "~/.server/db";
import { BarChart } from "~/components/charts";
import { formatMicros } from "~/domain/cost";
import { parseParams } from "~/lib/params";
import calibrationCss from "~/styles/author-calibration.css?url";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Analytics: ${data?.analytics.exercise.title ?? "exercise"} · Tokenwise` },
];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: calibrationCss }];

const paramsSchema = z.object({
  slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be an exercise slug"),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "instructor", "admin");
  const { slug } = parseParams(paramsSchema, params);
  const analytics = exerciseAnalytics(db(), slug);
  if (!analytics) throw new Response(`No exercise "${slug}".`, { status: 404 });
  return { analytics };
}

const percent = (rate: number | null) => (rate === null ? "—" : `${rate}%`);

/** "5 under par (80)", "15 over par (80)" or "exactly par (80)". */
function againstPar(median: number | null, par: number | null): string | undefined {
  if (median === null) return "no passing prompt yet";
  if (par === null) return undefined;
  const diff = median - par;
  if (diff === 0) return `exactly par (${par})`;
  return `${Math.abs(diff)} ${diff < 0 ? "under" : "over"} par (${par})`;
}

export default function ExerciseAnalyticsPage() {
  const { analytics } = useLoaderData<typeof loader>();
  const { exercise, totals } = analytics;
  return (
    <div className="exercise-analytics">
      <p className="crumbs">
        <Link to="/author">Authoring</Link> · <Link to={`/author/exercises/${exercise.slug}/calibrate`}>Calibrate</Link>
      </p>
      <h1>Analytics: {exercise.title}</h1>
      <p className="muted">
        <code>{exercise.slug}</code> · {exercise.status} · {analytics.versions.length} version
        {analytics.versions.length === 1 ? "" : "s"}. Attempts stay tied to the version they were graded on, so each
        version below has its own figures.
      </p>

      <dl className="figures" data-testid="totals">
        <Figure label="Attempts" value={totals.attempts} />
        <Figure label="Learners" value={totals.learners} />
        <Figure
          label="Pass rate"
          value={percent(totals.passRate)}
          detail={`${totals.passed} of ${totals.graded} graded`}
        />
        <Figure
          label="Median passing prompt"
          value={totals.medianPassingTokens === null ? "—" : `${totals.medianPassingTokens} tokens`}
          detail={againstPar(totals.medianPassingTokens, exercise.parTokens)}
        />
        <Figure
          label="Spend"
          value={formatMicros(totals.spend.costMicros)}
          detail={`${totals.spend.calls} ledger rows`}
        />
      </dl>

      <SpendTable spend={totals.spend} title="Spend by purpose, all versions and previews" />
      {analytics.previews.calls > 0 ? (
        <p className="muted" data-testid="preview-spend">
          Of which calibration previews (not tied to a version): {analytics.previews.calls} calls,{" "}
          {formatMicros(analytics.previews.costMicros)}.
        </p>
      ) : null}

      {analytics.versions.map((v) => (
        <VersionSection key={v.versionId} v={v} analytics={analytics} />
      ))}
    </div>
  );
}

function Figure({ label, value, detail }: { label: string; value: string | number; detail?: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>
        <strong>{value}</strong>
        {detail ? <span className="muted"> {detail}</span> : null}
      </dd>
    </div>
  );
}

const binLabel = (b: Bin, last: boolean, scores: boolean) => `${b.from}–${scores && last ? b.to : b.to - 1}`;

function histogramItems(bins: Bin[], scores: boolean) {
  return bins.map((b, i) => ({ label: binLabel(b, i === bins.length - 1, scores), value: b.count }));
}

function VersionSection({ v, analytics }: { v: VersionAnalytics; analytics: ExerciseAnalytics }) {
  return (
    <section className="version-analytics" data-testid={`version-${v.version}`}>
      <h2>
        Version {v.version}
        {v.current ? <span className="badge">current</span> : null}
      </h2>
      <p className="muted">
        Created {v.createdAt.slice(0, 10)} · pass mark {v.passMark} · par {v.parTokens} tokens
      </p>
      <dl className="figures">
        <Figure label="Attempts" value={v.attempts} detail={`${v.graded} graded`} />
        <Figure label="Learners" value={v.learners} />
        <Figure label="Pass rate" value={percent(v.passRate)} detail={`${v.passed} of ${v.graded}`} />
        <Figure
          label="Median passing prompt"
          value={v.medianPassingTokens === null ? "—" : `${v.medianPassingTokens} tokens`}
          detail={againstPar(v.medianPassingTokens, v.parTokens)}
        />
        <Figure label="Spend" value={formatMicros(v.spend.costMicros)} detail={`${v.spend.calls} ledger rows`} />
      </dl>
      {v.graded === 0 ? (
        <p className="muted">No graded attempts on this version.</p>
      ) : (
        <>
          <div className="charts">
            <figure>
              <figcaption>Scores (0–1000)</figcaption>
              <BarChart items={histogramItems(v.scoreBins, true)} title={`Scores of version ${v.version}`} />
            </figure>
            <figure>
              <figcaption>Prompt tokens (bins of {analytics.tokenBinWidth})</figcaption>
              <BarChart items={histogramItems(v.tokenBins, false)} title={`Prompt tokens of version ${v.version}`} />
            </figure>
          </div>
          <div className="failures">
            <Failures title="Checks failed most" rows={v.failures.checks} unit="attempts" />
            <Failures title="Requirements missed most (offline judge)" rows={v.failures.requirements} unit="attempts" />
            <Failures title="Rubric criteria failed most (LLM judge)" rows={v.failures.criteria} unit="outputs" />
          </div>
        </>
      )}
      {v.spend.calls > 0 ? <SpendTable spend={v.spend} title={`Spend of version ${v.version}`} /> : null}
    </section>
  );
}

function Failures({ title, rows, unit }: { title: string; rows: FailureRow[]; unit: string }) {
  return (
    <div>
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p className="muted">None failed.</p>
      ) : (
        <table className="table">
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{r.label}</td>
                <td className="num">
                  {r.failed} of {r.seen} {unit} ({Math.round((r.failed * 100) / r.seen)}%)
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function SpendTable({ spend, title }: { spend: Spend; title: string }) {
  if (spend.byPurpose.length === 0) return <p className="muted">No model calls recorded for this exercise yet.</p>;
  return (
    <table className="table spend-table">
      <caption>{title}</caption>
      <thead>
        <tr>
          <th>Purpose</th>
          <th className="num">Calls</th>
          <th className="num">Offline judge</th>
          <th className="num">Cache hits</th>
          <th className="num">Cost</th>
        </tr>
      </thead>
      <tbody>
        {spend.byPurpose.map((p) => (
          <tr key={p.purpose}>
            <td>{p.purpose}</td>
            <td className="num">{p.calls}</td>
            <td className="num">{p.offlineCalls}</td>
            <td className="num">{p.cacheHits}</td>
            <td className="num">{formatMicros(p.costMicros)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
