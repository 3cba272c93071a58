import { Form, useActionData, useFetcher, useNavigation } from "@remix-run/react";
import {
  lazy,
  Suspense,
  startTransition,
  useCallback,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { runPromptChecks } from "~/domain/checks";
import { formatMicros } from "~/domain/cost";
import { estimateCall } from "~/domain/estimate";
import type { LearnerExercise } from "~/domain/exercise";
import type { Encoding } from "~/domain/models";
import { tokenizerName } from "~/domain/plain-words";
import { useTokenCount } from "~/lib/use-token-count";
import { EDITOR_KEYS_HINT } from "./editor-keys.client";
import { PassMark } from "./pass-mark";

const PromptEditor = lazy(() => import("./prompt-editor.client"));

interface ModelOption {
  id: string;
  tier: string;
  encoding: Encoding;
  exactTokenizer: boolean;
  inputMicrosPerM: number;
  cachedInputMicrosPerM: number;
  outputMicrosPerM: number;
  priceAsOf: string;
  /** The average test input in this model's encoding. */
  avgInputTokens: number;
}

export interface WorkbenchPage {
  exercise: LearnerExercise;
  /** The exercise's own model: the starting prompt is priced on it. */
  model: ModelOption;
  /** Models the learner may pick instead: the same tier or cheaper. */
  models: ModelOption[];
  baseline: { tokens: number; perCallMicros: number; monthlyMicros: number };
  draft: string | null;
  /** The reply size the server priced the draft at (the phrases that decide it never reach the browser). */
  outputTokens: number;
  history: { id: number; createdAt: string | Date; score: number | null; passed: boolean | null; status: string }[];
}

/** Prompts set aside before a reset or a load (app/.server/draft-history.ts). */
export interface KeptPrompt {
  id: number;
  createdAt: string | Date;
  preview: string;
}

const AUTOSAVE_MS = 1200;

export function Workbench({
  page,
  kept = [],
  maxPromptChars,
}: {
  page: WorkbenchPage;
  kept?: KeptPrompt[];
  maxPromptChars: number;
}) {
  const { exercise } = page;
  const [prompt, setPrompt] = useState(page.draft ?? exercise.starting_prompt);
  const [modelId, setModelId] = useState(page.model.id);
  const model = page.models.find((m) => m.id === modelId) ?? page.model;
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);

  const live = useTokenCount(prompt, model.encoding);
  // Typing: the count is requested in the keystroke's own task; the rest of the workbench (checks,
  // estimates, the hidden form field) re-renders as a low-priority transition that typing can interrupt.
  const { push } = live;
  const onEdit = useCallback(
    (text: string) => {
      push(text);
      startTransition(() => setPrompt(text));
    },
    [push],
  );
  // Checks and estimates may lag a frame behind typing; the editor itself never waits for them.
  const deferred = useDeferredValue(prompt);
  const tokens = live.tokens;
  const checks = useMemo(
    () => (tokens === null ? null : runPromptChecks(deferred, exercise.checks, tokens)),
    [deferred, exercise.checks, tokens],
  );
  // Set while a reset or a load replaces the draft: a late autosave must not write the old text back over it.
  const replacing = useRef(false);
  const navigation = useNavigation();
  // Set from the moment the prompt is submitted for grading until the navigation ends (on this page again only when
  // the action refused the prompt). Remix must not finish a draft save while it is on its way to the attempt page:
  // with lazy route discovery that page's route may not be known yet, and the router then throws "Didn't find any
  // matches after fetcher action". So no save starts once the prompt is submitted, and a save in flight at that
  // moment is let finish before the submission goes.
  const grading = useRef(false);
  const saved = useAutosave(prompt, page.draft ?? exercise.starting_prompt, replacing, grading, navigation.state);
  const outputTokens = saved.outputTokens ?? page.outputTokens;
  const shortOutput = exercise.output_tokens.shortWhenAsked && outputTokens === exercise.output_tokens.target;
  // An empty editor saves nothing: no cost and no "saves $289 a month" for a prompt that does not exist.
  const empty = deferred.trim() === "";
  const estimate =
    tokens === null || empty
      ? null
      : estimateCall({
          promptTokens: tokens,
          avgInputTokens: model.avgInputTokens,
          outputTokens,
          model,
          volume: exercise.volume,
        });

  const actionData = useActionData<{ ok: false; errors: Record<string, string> }>();
  const submitting = navigation.state === "submitting";
  const tooLong = prompt.length > maxPromptChars;
  const form = useRef<HTMLFormElement>(null);
  const promptField = useRef<HTMLInputElement>(null);
  // Ctrl/Cmd+Enter in the editor: the field gets the editor's text at once (the state may be a transition behind).
  const submitFromEditor = useCallback(
    (text: string) => {
      if (submitting || text.length > maxPromptChars || !form.current || !promptField.current) return;
      promptField.current.value = text;
      form.current.requestSubmit();
    },
    [submitting, maxPromptChars],
  );

  // A submission held back while a draft save was in flight goes as soon as that save has settled.
  const heldSubmit = useRef(false);
  useEffect(() => {
    if (saved.inFlight || !heldSubmit.current) return;
    heldSubmit.current = false;
    form.current?.requestSubmit();
  }, [saved.inFlight]);

  return (
    <section className="workbench">
      <Form
        method="post"
        className="stack"
        aria-label="Submit your prompt"
        ref={form}
        onSubmit={(e) => {
          if (saved.inFlight) {
            e.preventDefault();
            heldSubmit.current = true;
          } else grading.current = true;
        }}
      >
        <input type="hidden" name="intent" value="submit" />
        <label className="model-picker">
          Run on
          <select name="model" value={modelId} onChange={(e) => setModelId(e.target.value)}>
            {page.models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.id} ({m.tier}, ${(m.inputMicrosPerM / 1_000_000).toFixed(2)} / $
                {(m.outputMicrosPerM / 1_000_000).toFixed(2)} per 1M in/out)
              </option>
            ))}
          </select>
        </label>
        <p className="sticky-count" aria-hidden="true" data-testid="sticky-count">
          <span>
            <strong>{tokens === null ? "…" : tokens.toLocaleString("en-US")}</strong> tokens
          </span>
          <span>{estimate ? `${formatMicros(estimate.monthlyMicros)} a month` : ""}</span>
        </p>
        <div className="editor-frame">
          {hydrated ? (
            <>
              <input type="hidden" name="prompt" value={prompt} ref={promptField} />
              <Suspense fallback={<div className="monaco-host loading">Loading editor…</div>}>
                <PromptEditor
                  value={prompt}
                  onChange={onEdit}
                  onSubmit={submitFromEditor}
                  ariaLabel={`Your prompt. ${EDITOR_KEYS_HINT}; Ctrl+Enter submits.`}
                />
              </Suspense>
            </>
          ) : (
            <textarea name="prompt" defaultValue={prompt} className="fallback-editor" aria-label="Your prompt" />
          )}
        </div>
        <p className="muted editor-keys">
          <kbd>Esc</kbd> then <kbd>Tab</kbd> leaves the editor · <kbd>Ctrl</kbd>/<kbd>⌘</kbd>+<kbd>Enter</kbd> submits
        </p>
        <div className="submit-row">
          <button type="submit" className="primary" disabled={submitting || tooLong}>
            {submitting ? "Grading…" : "Submit for grading"}
          </button>
          <span className="muted" aria-live="polite">
            {saved.status}
          </span>
        </div>
        {tooLong ? (
          <p className="form-error" role="alert">
            The prompt is {prompt.length.toLocaleString("en-US")} characters; the limit is{" "}
            {maxPromptChars.toLocaleString("en-US")}.
          </p>
        ) : null}
        {actionData?.errors ? (
          <p className="form-error" role="alert">
            {Object.values(actionData.errors).join(" ")}
          </p>
        ) : null}
      </Form>
      <PromptTools prompt={prompt} history={page.history} kept={kept} replacing={replacing} />
      <LivePanel
        tokens={tokens}
        pending={live.pending}
        error={live.error}
        page={page}
        model={model}
        estimate={estimate}
        checks={checks}
        outputTokens={outputTokens}
        shortOutput={shortOutput}
        empty={empty}
      />
    </section>
  );
}

function LivePanel({
  tokens,
  pending,
  error,
  page,
  model,
  estimate,
  checks,
  outputTokens,
  shortOutput,
  empty,
}: {
  tokens: number | null;
  pending: boolean;
  error: string | null;
  page: WorkbenchPage;
  model: ModelOption;
  estimate: ReturnType<typeof estimateCall> | null;
  checks: ReturnType<typeof runPromptChecks> | null;
  outputTokens: number;
  shortOutput: boolean;
  empty: boolean;
}) {
  const { baseline, exercise } = page;
  const saving = estimate ? baseline.monthlyMicros - estimate.monthlyMicros : 0;
  const pct = tokens === null ? null : Math.round((1 - tokens / baseline.tokens) * 100);
  return (
    <aside className="live-panel" aria-label="Live metrics">
      <div className="metric">
        <span className="metric-label">Prompt tokens</span>
        <span className="metric-value" data-testid="token-count" data-pending={pending}>
          {tokens === null ? "…" : tokens.toLocaleString("en-US")}
        </span>
        <span className="metric-sub">
          starting {baseline.tokens.toLocaleString("en-US")}
          {pct !== null ? ` · ${pct >= 0 ? `−${pct}` : `+${-pct}`}%` : ""} · par {exercise.par_tokens} ·{" "}
          {tokenizerName(model.encoding)}
          {model.exactTokenizer ? "" : " (approximate for this model)"}
        </span>
        {error ? <span className="field-error">Token counter: {error}</span> : null}
      </div>
      <div className="metric">
        <span className="metric-label">Cost per call</span>
        <span className="metric-value" data-testid="cost-per-call">
          {estimate ? formatMicros(estimate.perCallMicros) : empty ? "—" : "…"}
        </span>
        <span className="metric-sub">
          starting {formatMicros(baseline.perCallMicros)} on {page.model.id} · {model.id} prices as of {model.priceAsOf}
        </span>
      </div>
      <div className="metric">
        <span className="metric-label">
          Per month at {exercise.volume.calls.toLocaleString("en-US")}/{exercise.volume.per}
        </span>
        <span className="metric-value" data-testid="monthly-cost">
          {estimate ? formatMicros(estimate.monthlyMicros) : empty ? "—" : "…"}
        </span>
        <span className={`metric-sub ${saving > 0 ? "good" : saving < 0 ? "bad" : ""}`}>
          starting {formatMicros(baseline.monthlyMicros)}
          {estimate
            ? ` · ${saving >= 0 ? "saves" : "costs"} ${formatMicros(Math.abs(saving))} a month`
            : empty
              ? " · write a prompt to see what it saves"
              : ""}
        </span>
        <span className="metric-sub">
          reply estimate: {outputTokens} tokens
          {shortOutput ? " (your prompt asks for the short output)" : ""}
        </span>
      </div>
      <h3>Checks</h3>
      <ul className="checks" data-testid="checks">
        {(checks ?? exercise.checks.map((c) => ({ ...c, passed: null as boolean | null, detail: "…" }))).map((c) => (
          <li key={c.id} className={c.passed === null ? "" : c.passed ? "pass" : "fail"}>
            <PassMark passed={c.passed} />
            <span>
              {c.label}
              {c.required ? "" : " (optional)"}
              <span className="check-detail">{c.detail}</span>
            </span>
          </li>
        ))}
      </ul>
    </aside>
  );
}

const when = (d: string | Date) => new Date(d).toISOString().slice(0, 16).replace("T", " ");

/**
 * Reset to the starting prompt, or load an earlier attempt (or a prompt set aside before): the server keeps the
 * editor's text in the learner's history first, so neither loses anything.
 */
function PromptTools({
  prompt,
  history,
  kept,
  replacing,
}: {
  prompt: string;
  history: WorkbenchPage["history"];
  kept: KeptPrompt[];
  replacing: { current: boolean };
}) {
  const earlier = history.filter((a) => a.status === "scored" || a.status === "failed");
  return (
    <div className="prompt-tools">
      <Form
        method="post"
        onSubmit={(e) => {
          if (
            !window.confirm(
              "Replace your prompt with the starting prompt? Your current prompt is kept under “Load an earlier attempt”.",
            )
          ) {
            e.preventDefault();
          } else replacing.current = true;
        }}
      >
        <input type="hidden" name="intent" value="reset" />
        <input type="hidden" name="prompt" value={prompt} />
        <button type="submit" className="button secondary" data-testid="reset-prompt">
          Reset to starting prompt
        </button>
      </Form>
      {earlier.length + kept.length > 0 ? (
        <Form
          method="post"
          className="load-form"
          onSubmit={() => {
            replacing.current = true;
          }}
        >
          <input type="hidden" name="intent" value="load" />
          <input type="hidden" name="prompt" value={prompt} />
          <label>
            Load an earlier attempt
            <select name="source" data-testid="load-source">
              {earlier.map((a) => (
                <option key={`a${a.id}`} value={`attempt:${a.id}`}>
                  Attempt #{a.id}, {when(a.createdAt)},{" "}
                  {a.status === "scored" ? `score ${a.score}${a.passed ? ", passed" : ""}` : "not graded"}
                </option>
              ))}
              {kept.map((k) => (
                <option key={`k${k.id}`} value={`kept:${k.id}`}>
                  Set aside {when(k.createdAt)}: {k.preview}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="button secondary">
            Load
          </button>
        </Form>
      ) : null}
    </div>
  );
}

/**
 * Saves the draft shortly after typing stops, so leaving the page loses nothing; the reply saves with it the reply
 * size the server prices the draft at.
 */
function useAutosave(
  prompt: string,
  initial: string,
  replacing: { current: boolean },
  grading: { current: boolean },
  navigationState: "idle" | "submitting" | "loading",
): { status: string; outputTokens: number | null; inFlight: boolean } {
  const fetcher = useFetcher<{ ok: boolean; savedAt?: number; outputTokens?: number }>();
  const lastSaved = useRef(initial);
  const navigating = navigationState !== "idle";
  useEffect(() => {
    // Back on this page after a refused submission: saving resumes (the timer below is armed again).
    if (!navigating) grading.current = false;
  }, [navigating, grading]);
  useEffect(() => {
    if (navigating || prompt === lastSaved.current) return;
    const timer = setTimeout(() => {
      // The refs, not `navigating`: a submission may have begun since the last render.
      if (replacing.current || grading.current) return;
      lastSaved.current = prompt;
      fetcher.submit({ intent: "save-draft", prompt }, { method: "post" });
    }, AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [prompt, navigating, fetcher.submit, replacing, grading]);
  const outputTokens = fetcher.data?.outputTokens ?? null;
  const inFlight = fetcher.state !== "idle";
  if (inFlight) return { status: "Saving draft…", outputTokens, inFlight };
  return { status: fetcher.data?.ok ? "Draft saved" : "", outputTokens, inFlight };
}
