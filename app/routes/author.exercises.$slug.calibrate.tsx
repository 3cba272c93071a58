import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { z } from "zod";
import { requireRole } from "~/.server/auth";
import {
  CALIBRATION_QUALITY_MARGIN,
  CALIBRATION_SCORE_MARGIN,
  type CalibratedPrompt,
  type Calibration,
  calibrateExercise,
  calibrationSubject,
  MAX_SAMPLE_CHARS,
  MAX_SAMPLES,
  parseCalibrationForm,
  storedExercise,
} from "~/.server/authoring/calibration";
import { keepSamples, keptSamples } from "~/.server/authoring/calibration-samples";
import { getWorkingExercise } from "~/.server/authoring/drafts";
import { db } from "~/.server/db";
import { liveGrading } from "~/.server/grading/service";
import { formatMicros } from "~/domain/cost";
import type { ExerciseFile } from "~/domain/exercise";
import { parseParams } from "~/lib/params";
import calibrationCss from "~/styles/author-calibration.css?url";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Calibrate ${data?.exercise?.title ?? data?.slug ?? "exercise"} · Tokenwise` },
];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: calibrationCss }];

const paramsSchema = z.object({
  slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be an exercise slug"),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "instructor", "admin");
  const { slug } = parseParams(paramsSchema, params);
  const stored = storedExercise(db(), slug);
  // A saved draft is what the instructor is about to publish: offer it for calibration.
  const working = getWorkingExercise(db(), slug);
  const content = stored?.content as ExerciseFile | null | undefined;
  return {
    slug,
    exercise:
      stored && content
        ? { title: content.title, status: stored.status, version: stored.version, passMark: content.pass_mark }
        : null,
    draftText: working?.fromDraft ? working.text : null,
    // The samples calibrated last time, to start from.
    kept:
      (working ? keptSamples(db(), slug)?.samples : null)?.map((x) => ({
        sample: x.prompt,
        expect: x.expect,
        min: x.minScore === undefined ? "" : String(x.minScore),
        max: x.maxScore === undefined ? "" : String(x.maxScore),
      })) ?? null,
    liveJudge: liveGrading()?.ctx.judge.model.id ?? null,
    limits: { samples: MAX_SAMPLES, chars: MAX_SAMPLE_CHARS },
    margins: { score: CALIBRATION_SCORE_MARGIN, quality: CALIBRATION_QUALITY_MARGIN },
  };
}

interface PostedRow {
  sample: string;
  expect: string;
  min: string;
  max: string;
}

/** What was posted, to fill the form again (the page also works without JavaScript). */
function posted(form: FormData): { draft: string; rows: PostedRow[] } {
  const all = (name: string) => form.getAll(name).map((v) => (typeof v === "string" ? v : ""));
  const [expects, mins, maxs] = [all("expect"), all("min"), all("max")];
  // Blank rows are kept, so each row comes back where it was and its error (keyed by position) beside it.
  const rows = all("sample").map((sample, i) => ({
    sample,
    expect: expects[i] ?? "pass",
    min: mins[i] ?? "",
    max: maxs[i] ?? "",
  }));
  const draft = form.get("draft");
  return { draft: typeof draft === "string" ? draft : "", rows };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "instructor", "admin");
  const { slug } = parseParams(paramsSchema, params);
  const form = await request.formData();
  const echo = posted(form);
  const parsed = parseCalibrationForm(form);
  if (!parsed.ok) return data({ kind: "invalid" as const, errors: parsed.errors, echo }, { status: 400 });
  const subject = calibrationSubject(db(), slug, parsed.data.draft);
  if (!subject) {
    const errors = { draft: `No exercise "${slug}" is stored yet: paste its YAML to calibrate it.` };
    return data({ kind: "invalid" as const, errors, echo }, { status: 404 });
  }
  if (!subject.ok) return data({ kind: "draft-errors" as const, errors: subject.errors, echo }, { status: 400 });
  const calibration = await calibrateExercise({
    database: db(),
    subject: subject.subject,
    samples: parsed.data.samples,
    instructor: user,
    live: liveGrading()?.ctx ?? null,
  });
  // Kept for the exercise once they ran: the next calibration starts from them and the authoring page lists them.
  if (subject.subject.exerciseId !== null) keepSamples(db(), slug, parsed.data.samples, user.id);
  return { kind: "calibrated" as const, calibration, echo };
}

export default function CalibrateExercise() {
  const { slug, exercise, draftText, kept, liveJudge, limits, margins } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const echo = result?.echo ?? (kept ? { draft: "", rows: kept } : undefined);
  const errors: Record<string, string> = result?.kind === "invalid" ? result.errors : {};
  const [rows, setRows] = useState(() => Math.max(3, echo?.rows.length ?? 0));

  return (
    <div className="calibration">
      <p className="crumbs">
        <Link to="/author">Authoring</Link> · <Link to={`/author/exercises/${slug}/analytics`}>Analytics</Link>
      </p>
      <h1>Calibrate {exercise?.title ?? slug}</h1>
      <p className="muted">
        Grades the starting prompt, the reference solution and your sample prompts by the offline judge
        {liveJudge
          ? ` and by the LLM judge (${liveJudge}; its calls are charged to your team's budget as previews)`
          : ""}
        . A fair exercise fails the starting prompt, passes the reference, and keeps them at least {margins.score}{" "}
        points (and {margins.quality} quality) apart.
      </p>
      {liveJudge ? null : (
        <p className="banner">No model provider is configured: only the offline judge grades here.</p>
      )}

      <Form method="post" className="stack calibration-form">
        <details open={Boolean(echo?.draft) || Boolean(draftText) || !exercise}>
          <summary>Calibrate a draft instead of the stored version</summary>
          <label>
            Exercise YAML
            <textarea
              name="draft"
              rows={14}
              spellCheck={false}
              className="code"
              defaultValue={echo?.draft ?? draftText ?? ""}
              aria-invalid={errors.draft ? true : undefined}
              placeholder={
                exercise
                  ? `Leave empty to calibrate the current version (v${exercise.version}, ${exercise.status}).`
                  : "This exercise is not stored yet: paste its YAML."
              }
            />
          </label>
          {errors.draft ? <p className="form-error">{errors.draft}</p> : null}
        </details>

        <fieldset className="samples">
          <legend>
            Sample prompts (up to {limits.samples}, each up to {limits.chars.toLocaleString("en-US")} characters)
          </legend>
          <p className="muted">
            Write prompts a learner might submit and say how they should grade. Blank rows are skipped.
          </p>
          {Array.from({ length: rows }, (_, i) => {
            const row = echo?.rows[i];
            const error = errors[`sample.${i}`];
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional form fields, never reordered
              <div className="sample-row" key={i}>
                <label>
                  Sample {i + 1}
                  <textarea
                    name="sample"
                    rows={4}
                    maxLength={limits.chars}
                    defaultValue={row?.sample ?? ""}
                    aria-invalid={error ? true : undefined}
                  />
                </label>
                <div className="sample-expect">
                  <label>
                    Expected grade
                    <select name="expect" defaultValue={row?.expect ?? "pass"}>
                      <option value="pass">pass</option>
                      <option value="fail">fail</option>
                    </select>
                  </label>
                  <label>
                    Score from
                    <input name="min" type="number" min={0} max={1000} defaultValue={row?.min ?? ""} />
                  </label>
                  <label>
                    to
                    <input name="max" type="number" min={0} max={1000} defaultValue={row?.max ?? ""} />
                  </label>
                </div>
                {error ? <p className="form-error">{error}</p> : null}
              </div>
            );
          })}
          {errors.samples ? <p className="form-error">{errors.samples}</p> : null}
          {rows < limits.samples ? (
            <button type="button" className="secondary" onClick={() => setRows((n) => Math.min(limits.samples, n + 1))}>
              Add a sample
            </button>
          ) : null}
        </fieldset>

        <p>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? "Calibrating…" : "Calibrate"}
          </button>
        </p>
      </Form>

      {result?.kind === "draft-errors" ? <DraftErrors errors={result.errors} /> : null}
      {result?.kind === "calibrated" ? <CalibrationReport calibration={result.calibration} /> : null}
    </div>
  );
}

function DraftErrors({ errors }: { errors: { line: number; column: number; field: string; message: string }[] }) {
  return (
    <section className="banner bad" role="alert" data-testid="draft-errors">
      <h2>The draft has errors</h2>
      <ul>
        {errors.map((e) => (
          <li key={`${e.line}:${e.column}:${e.field}:${e.message}`}>
            Line {e.line}, column {e.column}: <code>{e.field}</code> {e.message}
          </li>
        ))}
      </ul>
    </section>
  );
}

function CalibrationReport({ calibration }: { calibration: Calibration }) {
  const { llm } = calibration;
  const llmColumn = llm.state === "ran";
  return (
    <section className="calibration-report" data-testid="calibration-report">
      <h2>
        Results for{" "}
        {calibration.source.kind === "draft"
          ? "the draft"
          : `version ${calibration.source.version} (${calibration.source.status})`}
      </h2>
      <p className="muted">
        Pass mark: quality {calibration.exercise.passMark}. Par: {calibration.exercise.parTokens} tokens on{" "}
        {calibration.exercise.model}.
      </p>
      {llm.state === "blocked" ? (
        <p className="banner bad" role="alert">
          {llm.message}
        </p>
      ) : null}
      {llm.state === "ran" ? (
        <p className="muted" data-testid="llm-spend">
          LLM judge {llm.judgeModel} on {llm.targetModel}: {llm.calls} preview call{llm.calls === 1 ? "" : "s"}
          {llm.cacheHits > 0 ? ` (${llm.cacheHits} from the cache)` : ""}, {formatMicros(llm.costMicros)} charged to
          your team.
        </p>
      ) : null}
      {llm.state === "ran"
        ? llm.budgetWarnings.map((w) => (
            <p key={w} className="banner">
              {w}
            </p>
          ))
        : null}

      {calibration.warnings.length === 0 ? (
        <p className="banner calibration-ok" data-testid="calibration-ok">
          No warnings: the exercise separates the starting prompt from the reference solution.
        </p>
      ) : (
        <ul className="calibration-warnings" data-testid="calibration-warnings">
          {calibration.warnings.map((w) => (
            <li key={`${w.judge}:${w.code}:${w.message}`} data-code={w.code}>
              {w.message}
            </li>
          ))}
        </ul>
      )}
      {calibration.agreement.map((a) => (
        <p key={a.judge} className="agreement" data-testid={`agreement-${a.judge}`}>
          {a.text}
        </p>
      ))}

      <table className="table calibration-table">
        <thead>
          <tr>
            <th>Prompt</th>
            <th>Expected</th>
            <th>Offline judge</th>
            {llmColumn ? <th>LLM judge</th> : null}
            <th className="num">Tokens</th>
          </tr>
        </thead>
        <tbody>
          {calibration.prompts.map((p) => (
            <PromptRow key={p.label} prompt={p} llmColumn={llmColumn} />
          ))}
        </tbody>
      </table>

      {calibration.prompts.map((p) => (
        <PromptDetails key={p.label} prompt={p} />
      ))}
    </section>
  );
}

function Grade({
  score,
  asExpected,
}: {
  score: { passed: boolean; score: number; quality: number };
  asExpected?: boolean | null;
}) {
  return (
    <>
      <span className={`badge ${score.passed ? "pass" : "fail"}`}>{score.passed ? "pass" : "fail"}</span>
      {score.score} <span className="muted">Q {score.quality}</span>
      {asExpected === false ? <span className="mismatch"> not as expected</span> : null}
    </>
  );
}

function expectationText(p: CalibratedPrompt): string {
  if (p.role === "starting") return "fail";
  if (p.role === "reference") return "pass";
  const e = p.expectation;
  if (!e) return "";
  const range =
    e.minScore !== undefined || e.maxScore !== undefined ? `, ${e.minScore ?? 0}–${e.maxScore ?? 1000}` : "";
  return `${e.expect}${range}`;
}

function PromptRow({ prompt: p, llmColumn }: { prompt: CalibratedPrompt; llmColumn: boolean }) {
  return (
    <tr data-testid={`row-${p.role}`}>
      <th>
        <a href={`#${anchor(p.label)}`}>{p.label}</a>
      </th>
      <td>{expectationText(p)}</td>
      <td>
        <Grade score={p.offline} asExpected={p.asExpected?.offline} />
      </td>
      {llmColumn ? (
        <td>
          {p.llm ? (
            <Grade score={p.llm} asExpected={p.asExpected?.llm} />
          ) : (
            <span className="bad">{p.llmError ?? "not graded"}</span>
          )}
        </td>
      ) : null}
      <td className="num">{p.offline.tokens}</td>
    </tr>
  );
}

const anchor = (label: string) => `prompt-${label.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;

function PromptDetails({ prompt: p }: { prompt: CalibratedPrompt }) {
  return (
    <details className="prompt-details" id={anchor(p.label)}>
      <summary>{p.label}: why it graded this way</summary>
      <pre className="prompt-text">{p.prompt}</pre>
      <h4>Offline judge</h4>
      <ul>
        {p.offline.failedChecks.map((c) => (
          <li key={`check:${c}`}>Failed check: {c}</li>
        ))}
        {p.offline.missedRequirements.map((r) => (
          <li key={`req:${r}`}>Missing requirement: {r}</li>
        ))}
        {p.offline.gaming.map((g) => (
          <li key={`gaming:${g}`}>{g}</li>
        ))}
        {p.offline.failedChecks.length + p.offline.missedRequirements.length + p.offline.gaming.length === 0 ? (
          <li>Every check passes and every requirement is covered.</li>
        ) : null}
      </ul>
      {p.llm ? (
        <>
          <h4>LLM judge, per test input</h4>
          <ul>
            {p.llm.inputs.map((i) => (
              <li key={i.name}>
                <strong>{i.name}</strong>: quality {i.quality}
                {i.note ? <span className="muted"> ({i.note})</span> : null}
                <pre className="prompt-text">{i.output}</pre>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </details>
  );
}
