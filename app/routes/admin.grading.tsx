import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/.server/auth";
import { db } from "~/.server/db";
import { gradingHealth } from "~/.server/grading/health";
import { liveGrading } from "~/.server/grading/service";
import adminCss from "~/styles/admin.css?url";

export const meta: MetaFunction = () => [{ title: "Grading health · Tokenwise" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const live = liveGrading();
  return {
    provider: live ? { name: live.ctx.provider.name, judge: live.ctx.judge.model.id } : null,
    health: gradingHealth(db(), live?.ctx.provider ?? null),
  };
}

const REASONS: Record<string, string> = {
  rate_limited: "rate limited (429)",
  server: "provider error (5xx)",
  timeout: "no answer in time",
  network: "could not reach the provider",
  auth: "credentials refused",
  bad_request: "request refused (4xx)",
  bad_response: "unreadable reply",
  judge_unreadable: "judge verdict unreadable",
};

export default function GradingHealthPage() {
  const { provider, health } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="crumbs">
        <Link to="/admin">Administration</Link> › Grading health
      </p>
      <h1>Grading health</h1>
      <p>
        {provider
          ? `Live grading through ${provider.name}, judged by ${provider.judge}.`
          : "No model provider is configured: every attempt is graded by the offline judge."}{" "}
        Now: {health.now.running} running, {health.now.queued} queued, {health.now.waiting} waiting
        {health.now.breaker ? (
          <>
            ; provider calls{" "}
            <strong data-testid="breaker">
              {health.now.breaker === "closed" ? "flowing" : `paused (breaker ${health.now.breaker})`}
            </strong>
          </>
        ) : null}
        .
      </p>
      <table className="table" data-testid="grading-health">
        <thead>
          <tr>
            <th>Window</th>
            <th className="num">Scored</th>
            <th className="num">Failed</th>
            <th className="num">Success</th>
            <th>Failures by reason (tries retried / attempts failed)</th>
            <th className="num">Calls of unknown cost</th>
          </tr>
        </thead>
        <tbody>
          {health.windows.map((w) => (
            <tr key={w.label}>
              <td>{w.label}</td>
              <td className="num">{w.scored}</td>
              <td className="num">{w.failed}</td>
              <td className="num">{w.successPercent === null ? "—" : `${w.successPercent}%`}</td>
              <td>
                {w.reasons.length === 0
                  ? "none"
                  : w.reasons.map((r) => `${REASONS[r.reason] ?? r.reason}: ${r.tries} / ${r.attempts}`).join("; ")}
              </td>
              <td className="num">{w.unknownCalls}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Last errors per model (24 hours)</h2>
      {health.lastErrors.length === 0 ? (
        <p className="muted">No errors.</p>
      ) : (
        health.lastErrors.map((m) => (
          <section key={m.model} data-testid="model-errors">
            <h3>
              {m.model}
              {m.providerModel && m.providerModel !== m.model ? ` (sent as ${m.providerModel})` : ""}
            </h3>
            <ul>
              {m.errors.map((e) => (
                <li key={`${String(e.at)}-${e.message}`}>
                  {new Date(e.at).toISOString().replace("T", " ").slice(0, 19)} UTC · {REASONS[e.reason] ?? e.reason}
                  {e.final ? " · failed the attempt" : " · retried"}: <code>{e.message}</code>
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
    </>
  );
}
