import type { LearnerExercise } from "~/domain/exercise";

/** The badges under an exercise's title: skill, model and tier, stated volume, pass mark, par. */
export function ExerciseMeta({ exercise }: { exercise: LearnerExercise }) {
  return (
    <p className="meta-row">
      <span className="badge">{exercise.skill}</span>
      <span className="badge">
        {exercise.model} · {exercise.tier}
      </span>
      <span className="badge">
        runs {exercise.volume.calls.toLocaleString("en-US")} times a {exercise.volume.per}
      </span>
      <span className="badge">pass mark {exercise.pass_mark}</span>
      <span className="badge">par {exercise.par_tokens} tokens</span>
    </p>
  );
}
