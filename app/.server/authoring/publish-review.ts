import { createHash } from "node:crypto";
import { type ExerciseFile, type LearnerExercise, toLearnerExercise } from "~/domain/exercise";
import type { ExerciseForEditing } from "./drafts";
import { collapseUnchanged, type DiffRow, diffLines, summariseDiff } from "./line-diff";

/**
 * What an author confirms before a version goes live: the learner's view of it and its line diff against the live
 * version. The confirmation carries a token of exactly that text on top of exactly that live version, so a text
 * edited after the review, or a version someone else published meanwhile, needs a fresh review.
 */

export interface PublishReview {
  token: string;
  /** The version learners get now, or null for a first publish. */
  liveVersion: number | null;
  diff: { rows: DiffRow[]; added: number; removed: number } | null;
  preview: LearnerExercise;
}

export function reviewToken(text: string, live: ExerciseForEditing["current"] | null): string {
  return createHash("sha256")
    .update(`${live?.id ?? "none"}\n${text}`)
    .digest("base64url");
}

export function buildReview(
  text: string,
  exercise: ExerciseFile,
  live: ExerciseForEditing["current"] | null,
): PublishReview {
  const lines = live ? diffLines(live.sourceText, text) : null;
  return {
    token: reviewToken(text, live),
    liveVersion: live?.version ?? null,
    diff: lines ? { rows: collapseUnchanged(lines), ...summariseDiff(lines) } : null,
    preview: toLearnerExercise(exercise),
  };
}
