import type { LiveResult } from "~/.server/grading/pipeline";
import { formatMicros } from "~/domain/cost";
import { PassMark } from "./pass-mark";

/** What the real model produced for each test input, and the LLM judge's verdict on it, with reasons. */
export function LiveReport({ live }: { live: LiveResult }) {
  const { report } = live;
  return (
    <section className="report" data-testid="live-report">
      <h2>Outputs and the judge's verdicts</h2>
      <p className="muted">
        Your prompt ran on <strong>{report.targetModel}</strong> for each test input;{" "}
        <strong>{report.judgeModel}</strong> graded each output against the rubric. Live quality{" "}
        <strong>{report.quality}</strong> (the offline judge's reading of your prompt: {live.offlineQuality}). Spent{" "}
        {formatMicros(live.spentMicros)}
        {live.cacheHits > 0
          ? `, ${live.cacheHits} calls served from cache, saving ${formatMicros(live.savedMicros)}`
          : ""}
        .
      </p>
      {live.reasons.length > 0 ? (
        <div className="banner bad" role="alert">
          {live.reasons.join(" ")}
        </div>
      ) : null}
      {report.inputs.map((input) => (
        <div key={input.name} className="output-card">
          <h3>
            {input.name} <span className="badge">quality {input.quality}</span>{" "}
            <span className="muted">{input.outputTokens} output tokens</span>
          </h3>
          <pre className="prompt-view">{input.output}</pre>
          {input.checks.length > 0 ? (
            <ul className="checks">
              {input.checks.map((c) => (
                <li key={c.id} className={c.passed ? "pass" : "fail"}>
                  <PassMark passed={c.passed} />
                  <span>
                    {c.label}
                    <span className="check-detail">{c.detail}</span>
                  </span>
                </li>
              ))}
            </ul>
          ) : null}
          {input.penalty ? <p className="bad">{input.penalty.detail}</p> : null}
          {input.verdicts ? (
            <table className="table" data-testid="verdicts">
              <tbody>
                {input.verdicts.map((v) => (
                  <tr key={v.criterion}>
                    <th>{report.rubric.find((r) => r.id === v.criterion)?.criterion ?? v.criterion}</th>
                    <td className={v.pass ? "good" : "bad"}>
                      {v.pass ? "pass" : "fail"} · {v.score}/10
                    </td>
                    <td>{v.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      ))}
    </section>
  );
}
