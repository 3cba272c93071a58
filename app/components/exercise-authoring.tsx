import { Form, Link, useNavigation } from "@remix-run/react";
import { lazy, Suspense, useEffect, useRef, useState } from "react";
import type { PublishReview } from "~/.server/authoring/publish-review";
import type { LearnerExercise } from "~/domain/exercise";
import { DiffTable } from "./diff-table";
import type { EditorError, ExerciseEditorHandle } from "./exercise-editor.client";
import { LearnerPreview } from "./learner-preview";

const ExerciseEditor = lazy(() => import("./exercise-editor.client"));

/** Validation runs this long after typing stops: fast enough to feel live, slow enough not to flood the server. */
const VALIDATE_DEBOUNCE_MS = 300;

export interface ValidationResponse {
  errors: EditorError[];
  preview: LearnerExercise | null;
}

export interface ActionOutcome {
  ok: boolean;
  message?: string;
  errors?: EditorError[];
  /** Publishing waits for the author to confirm this. */
  review?: PublishReview;
}

/**
 * The exercise editor page body, shared by "new" and "edit": Monaco on the YAML, the errors as a
 * list (each one jumps to its line), the learner's view beside it, and the save/publish buttons.
 */
export function ExerciseAuthoring({
  slug,
  initialText,
  initial,
  readOnly,
  outcome,
}: {
  /** The exercise being edited, or null on the "new exercise" page. */
  slug: string | null;
  initialText: string;
  initial: ValidationResponse & { stale: boolean };
  readOnly: boolean;
  outcome: ActionOutcome | undefined;
}) {
  const [text, setText] = useState(initialText);
  const [errors, setErrors] = useState<EditorError[]>(initial.errors);
  const [preview, setPreview] = useState(initial.preview);
  const [stale, setStale] = useState(initial.stale);
  const [checking, setChecking] = useState(false);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const editor = useRef<ExerciseEditorHandle>(null);
  const validated = useRef(initialText);
  const busy = useNavigation().state !== "idle";

  useEffect(() => {
    if (text === validated.current) return;
    const abort = new AbortController();
    const timer = setTimeout(async () => {
      setChecking(true);
      try {
        const body = new FormData();
        body.set("text", text);
        if (slug) body.set("slug", slug);
        const res = await fetch("/author/validate", { method: "POST", body, signal: abort.signal });
        if (!res.ok) throw new Error(`validation answered ${res.status}`);
        const result = (await res.json()) as ValidationResponse;
        validated.current = text;
        setErrors(result.errors);
        if (result.preview) setPreview(result.preview);
        setStale(result.preview === null);
      } catch (err) {
        if (!abort.signal.aborted)
          setErrors([{ line: 1, column: 1, field: "(validation)", message: `could not be checked: ${String(err)}` }]);
      } finally {
        if (!abort.signal.aborted) setChecking(false);
      }
    }, VALIDATE_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [text, slug]);

  // A refused save or publish reports its errors the same way as live validation.
  useEffect(() => {
    if (outcome?.errors) setErrors(outcome.errors);
  }, [outcome]);

  return (
    <div className="authoring-layout">
      <section className="authoring-editor">
        <Form method="post" className="stack" aria-label="Exercise file">
          <div className="editor-frame">
            {hydrated ? (
              <>
                <input type="hidden" name="text" value={text} />
                <Suspense fallback={<div className="monaco-host loading">Loading editor…</div>}>
                  <ExerciseEditor
                    ref={editor}
                    initialText={initialText}
                    onChange={setText}
                    errors={errors}
                    readOnly={readOnly}
                  />
                </Suspense>
              </>
            ) : (
              <textarea
                name="text"
                defaultValue={initialText}
                readOnly={readOnly}
                className="fallback-editor yaml-fallback"
                aria-label="Exercise file (YAML)"
              />
            )}
          </div>
          {readOnly ? null : (
            <div className="submit-row">
              <button type="submit" name="intent" value="save" className="secondary" disabled={busy}>
                Save draft
              </button>
              <button type="submit" name="intent" value="publish" className="primary" disabled={busy}>
                Publish
              </button>
              <span className="muted" aria-live="polite" data-testid="validation-state">
                {checking ? "Checking…" : errors.length === 0 ? "Valid" : `${errors.length} to fix`}
              </span>
            </div>
          )}
          {outcome?.message ? (
            <p
              className={outcome.ok || outcome.review ? "banner" : "form-error"}
              role={outcome.ok || outcome.review ? "status" : "alert"}
            >
              {outcome.message}
            </p>
          ) : null}
        </Form>
        {outcome?.review && !readOnly ? <ReviewPanel review={outcome.review} text={text} busy={busy} /> : null}
        <ErrorList errors={errors} onPick={(e) => editor.current?.revealLine(e.line, e.column)} />
        {readOnly ? null : (
          <p className="muted">
            Same format as the files in <code>exercises/</code> (every field is explained in the{" "}
            <Link to="/author/reference">field reference</Link>). Ctrl+Space lists the fields that fit where the cursor
            is. Drafts are kept even when they do not validate yet; publishing needs a valid file.
            {slug ? (
              <>
                {" "}
                Check how it grades on the <Link to={`/author/exercises/${slug}/calibrate`}>calibration page</Link>{" "}
                before publishing.
              </>
            ) : null}
          </p>
        )}
      </section>
      <LearnerPreview exercise={preview} stale={stale} />
    </div>
  );
}

/**
 * Publishing's second step: what learners will see, what changes against the live version, and the confirm button,
 * which sends the reviewed text with the review's token (a text edited since then is refused and reviewed again).
 */
function ReviewPanel({ review, text, busy }: { review: PublishReview; text: string; busy: boolean }) {
  return (
    <section className="publish-review" aria-labelledby="publish-review-title" data-testid="publish-review">
      <h2 id="publish-review-title">Review before publishing</h2>
      {review.diff ? (
        review.diff.added + review.diff.removed === 0 ? (
          <p>Nothing changes against version {review.liveVersion}, which learners get now.</p>
        ) : (
          <>
            <p>
              Changes against version {review.liveVersion}, which learners get now:{" "}
              <span className="diff-added-count">+{review.diff.added}</span>{" "}
              <span className="diff-removed-count">−{review.diff.removed}</span> lines.
            </p>
            <DiffTable rows={review.diff.rows} />
          </>
        )
      ) : (
        <p>This is the first version: learners see it as soon as you confirm.</p>
      )}
      <details open>
        <summary>What learners will see</summary>
        <LearnerPreview exercise={review.preview} stale={false} />
      </details>
      <Form method="post" className="submit-row">
        <input type="hidden" name="intent" value="publish" />
        <input type="hidden" name="text" value={text} />
        <input type="hidden" name="confirm" value={review.token} />
        <button type="submit" className="primary" disabled={busy}>
          Confirm and publish
        </button>
        <span className="muted">Or keep editing: nothing is published until you confirm.</span>
      </Form>
    </section>
  );
}

function ErrorList({ errors, onPick }: { errors: EditorError[]; onPick: (e: EditorError) => void }) {
  if (errors.length === 0) return null;
  return (
    <ol className="validation-errors" data-testid="validation-errors" aria-label="Errors to fix">
      {errors.map((e) => (
        <li key={`${e.line}:${e.column}:${e.field}:${e.message}`}>
          <button type="button" className="link-button" onClick={() => onPick(e)}>
            Line {e.line}, column {e.column}
          </button>{" "}
          <code>{e.field}</code> {e.message}
        </li>
      ))}
    </ol>
  );
}
