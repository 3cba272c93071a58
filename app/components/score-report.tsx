import type { ReactNode } from "react";
import type { StoredResult } from "~/.server/grading/pipeline";
import { formatMicros } from "~/domain/cost";
import type { GradeResult } from "~/domain/grade";
import { withoutEndStop } from "~/domain/next-steps";
import type { RequirementVerdict } from "~/domain/offline-judge";
import { judgeName } from "~/domain/plain-words";
import { PassMark } from "./pass-mark";

/** Verdicts stored by the first offline judge carry only `covered`; they read as must, covered or missing. */
type StoredRequirement = Pick<RequirementVerdict, "id" | "description" | "covered" | "reason"> &
  Partial<Pick<RequirementVerdict, "level" | "status" | "contradiction">>;

const STATUS_MARK = { covered: "✓", missing: "✗", contradicted: "⚠" } as const;
/** The same verdicts in words, for screen readers (the marks are hidden from them). */
const STATUS_WORDS = { covered: "Met", missing: "Not met", contradicted: "Contradicted" } as const;

function requirementStatus(r: StoredRequirement): keyof typeof STATUS_MARK {
  return r.status ?? (r.covered ? "covered" : "missing");
}

/** What to fix before anything else: essential requirements contradicted, then those missing. */
function FixFirst({ requirements }: { requirements: readonly StoredRequirement[] }) {
  const essential = requirements.filter((r) => (r.level ?? "must") === "must" && requirementStatus(r) !== "covered");
  if (essential.length === 0) return null;
  const ordered = [...essential].sort(
    (a, b) => Number(requirementStatus(b) === "contradicted") - Number(requirementStatus(a) === "contradicted"),
  );
  return (
    <div className="banner bad" data-testid="fix-first">
      <strong>Fix first: </strong>
      {ordered.length === 1 ? "this essential requirement is" : `these ${ordered.length} essential requirements are`}{" "}
      not met, so the attempt cannot pass whatever its efficiency.
      <ul>
        {ordered.map((r) => (
          <li key={r.id}>
            {withoutEndStop(r.description)}:{" "}
            {requirementStatus(r) === "contradicted" ? "your prompt says the opposite" : "not stated"}
            {r.contradiction ? ` (line ${r.contradiction.line})` : ""}
          </li>
        ))}
      </ul>
    </div>
  );
}

interface Comparison {
  baseline: { tokens: number; perCallMicros: number; monthlyMicros: number };
  best: { id: number; score: number; tokens: number; perCallMicros: number; monthlyMicros: number } | null;
}

/** The full, explained breakdown of a graded attempt: every factor of the score is shown. */
export function ScoreReport({
  result,
  comparison,
  passMark,
  nextSteps,
}: {
  result: StoredResult;
  comparison: Comparison | null;
  passMark: number;
  /** Shown right under the verdict: what to fix first and where to go next. */
  nextSteps?: ReactNode;
}) {
  const { score, judge, checks, tokens, cost, live } = result;
  return (
    <div className="report" data-testid="score-report">
      <div className={`verdict ${score.passed ? "pass" : "fail"}`}>
        <div>
          <span className="verdict-label">{score.passed ? "Passed" : "Not passed yet"}</span>
          <span className="verdict-score" data-testid="score">
            {score.score}
            <small> / {score.maxScore}</small>
          </span>
        </div>
        <div className="verdict-parts">
          <span>
            Quality <strong data-testid="quality">{score.quality}</strong> (pass mark {passMark})
          </span>
          <span>
            Efficiency <strong>{score.efficiency}</strong>
          </span>
        </div>
        {live ? (
          <p className="muted">
            Graded by <strong data-testid="judge-name">{live.report.judgeModel} (LLM judge)</strong> on the real outputs
            of {live.report.targetModel}; the built-in offline judge's prompt checks still apply.
          </p>
        ) : (
          <p className="muted">
            Graded by <strong data-testid="judge-name">{judgeName(judge.judge)}</strong>: it reads your prompt against
            the exercise's requirements; it does not run a model.
          </p>
        )}
      </div>

      {nextSteps}

      <details className="score-details">
        <summary>
          <h2>How the score was made</h2>
        </summary>
        <p className="formula">
          <code>{score.formula}</code>
        </p>
        <table className="table">
          <tbody>
            {score.factors.map((f) => (
              <tr key={f.name}>
                <th>{f.name}</th>
                <td>{f.value}</td>
                <td className="muted">{f.explanation}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3>Gates</h3>
        <ul className="checks">
          {score.gates.map((g) => (
            <li key={g.name} className={g.passed ? "pass" : "fail"}>
              <PassMark passed={g.passed} />
              <span>
                {g.name}
                <span className="check-detail">{g.detail}</span>
              </span>
            </li>
          ))}
        </ul>
      </details>

      {comparison ? (
        <Savings tokens={tokens.prompt} cost={cost} priceAsOf={result.model.priceAsOf} comparison={comparison} />
      ) : null}

      <section>
        <h2>Requirements</h2>
        <FixFirst requirements={judge.requirements} />
        <ul className="checks" data-testid="requirements">
          {judge.requirements.map((r) => {
            const status = requirementStatus(r);
            return (
              <li key={r.id} className={status === "covered" ? "pass" : "fail"} data-status={status}>
                <span className="check-mark" aria-hidden="true">
                  {STATUS_MARK[status]}
                </span>
                <span className="sr-only">{STATUS_WORDS[status]}: </span>
                <span>
                  {r.description}
                  {r.level === "should" ? <span className="muted"> (should)</span> : null}
                  {status === "contradicted" ? <strong> Contradicted</strong> : null}
                  <span className="check-detail">{r.reason}</span>
                  {r.contradiction && !r.reason.includes(r.contradiction.quote) ? (
                    <span className="check-detail">
                      Line {r.contradiction.line}: <q>{r.contradiction.quote}</q>
                    </span>
                  ) : null}
                </span>
              </li>
            );
          })}
          <li className={!judge.format.required || judge.format.found ? "pass" : "fail"}>
            <PassMark passed={!judge.format.required || judge.format.found} words={["Met", "Not met"]} />
            <span>
              Output format instruction{judge.format.required ? "" : " (not required here)"}
              <span className="check-detail">{judge.format.reason}</span>
            </span>
          </li>
        </ul>
        {judge.gaming.keywordList || judge.gaming.injection ? (
          <div className="banner bad" role="alert">
            {judge.gaming.reasons.join(" ")}
          </div>
        ) : null}
        <h3>Waste</h3>
        <p>{judge.waste.reason}</p>
        {judge.waste.filler.length + judge.waste.repetition.length + judge.waste.unusedContext.length > 0 ? (
          <ul>
            {judge.waste.filler.map((f) => (
              <li key={`f-${f.phrase}`}>
                Filler: “{f.phrase}” ×{f.count}
              </li>
            ))}
            {judge.waste.repetition.map((r) => (
              <li key={`r-${r}`}>Repeated: “{r}”</li>
            ))}
            {judge.waste.unusedContext.map((u) => (
              <li key={`u-${u.phrase}`}>
                Unused context: “{u.phrase}”: {u.reason}
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      <section>
        <h2>Checks</h2>
        <ul className="checks">
          {checks.map((c) => (
            <li key={c.id} className={c.passed ? "pass" : "fail"}>
              <PassMark passed={c.passed} />
              <span>
                {c.label}
                {c.required ? "" : " (optional)"}
                <span className="check-detail">{c.detail}</span>
              </span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function Savings({
  tokens,
  cost,
  priceAsOf,
  comparison,
}: {
  tokens: number;
  cost: GradeResult["cost"];
  priceAsOf: string;
  comparison: Comparison;
}) {
  const { baseline, best } = comparison;
  const row = (label: string, t: number, perCall: number, monthly: number) => (
    <tr>
      <th>{label}</th>
      <td>{t.toLocaleString("en-US")}</td>
      <td>{formatMicros(perCall)}</td>
      <td>{formatMicros(monthly)}</td>
    </tr>
  );
  return (
    <section>
      <h2>Tokens and dollars</h2>
      <table className="table" data-testid="savings">
        <thead>
          <tr>
            <th>
              <span className="sr-only">Prompt</span>
            </th>
            <th>Prompt tokens</th>
            <th>Cost per call</th>
            <th>Per month at stated volume</th>
          </tr>
        </thead>
        <tbody>
          {row("This attempt", tokens, cost.perCallMicros, cost.monthlyMicros)}
          {row("Starting prompt", baseline.tokens, baseline.perCallMicros, baseline.monthlyMicros)}
          {best
            ? row(`Your best other attempt (score ${best.score})`, best.tokens, best.perCallMicros, best.monthlyMicros)
            : null}
        </tbody>
      </table>
      <p className={cost.monthlySavingsMicros > 0 ? "good" : "bad"}>
        Against the starting prompt this {cost.monthlySavingsMicros >= 0 ? "saves" : "adds"}{" "}
        <strong>{formatMicros(Math.abs(cost.monthlySavingsMicros))}</strong> a month (model prices as of {priceAsOf}).
      </p>
    </section>
  );
}
