import { ExerciseMeta } from "~/components/exercise-meta";
import type { LearnerExercise } from "~/domain/exercise";
import { Markdown } from "./markdown";

/**
 * What a learner will see of the exercise, for its author while writing it. It takes the
 * LearnerExercise shape (toLearnerExercise on the server), so the reference solution, the
 * requirements and the output checks are not even in the data it is given.
 */
export function LearnerPreview({ exercise, stale }: { exercise: LearnerExercise | null; stale: boolean }) {
  if (!exercise) {
    return (
      <section className="learner-preview" aria-label="Learner preview" data-testid="learner-preview">
        <p className="muted">The preview appears once the exercise validates.</p>
      </section>
    );
  }
  return (
    <section className="learner-preview" aria-label="Learner preview" data-testid="learner-preview">
      {stale ? <p className="preview-stale">Showing the last version that validated.</p> : null}
      <h2>{exercise.title}</h2>
      <ExerciseMeta exercise={exercise} />
      <div className="brief">
        <Markdown source={exercise.brief} />
      </div>
      <h3>Starting prompt</h3>
      <pre className="prompt-view">{exercise.starting_prompt}</pre>
      <h3>Test inputs ({exercise.test_inputs.length})</h3>
      {exercise.test_inputs.map((t) => (
        <div key={t.name} className="test-input">
          <strong>{t.name}</strong>
          <pre>{t.input}</pre>
        </div>
      ))}
      {exercise.hints.length > 0 ? (
        <>
          <h3>Hints</h3>
          <ol>
            {exercise.hints.map((h) => (
              <li key={h}>{h}</li>
            ))}
          </ol>
        </>
      ) : null}
      <h3>Checks</h3>
      <ul className="checks">
        {exercise.checks.map((c) => (
          <li key={c.id}>
            <span className="check-mark" aria-hidden>
              ·
            </span>
            <span>
              {c.label}
              {c.required ? "" : " (optional)"}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
