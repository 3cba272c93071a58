/**
 * Where a learner stands on an assigned course. Pure: the caller brings the exercises that count (the
 * assignment's set at the time it was made, less any unpublished since) and what the learner did on each.
 *
 * - done: every exercise that counts has a passing attempt (before or after the assignment: passing counts);
 * - overdue: not done and the due date has passed;
 * - in progress: not done, not overdue, at least one attempt on an exercise that counts;
 * - not started: none of that.
 */

export const ASSIGNMENT_STATES = ["not_started", "in_progress", "done", "overdue"] as const;
export type AssignmentState = (typeof ASSIGNMENT_STATES)[number];

export const STATE_LABELS: Record<AssignmentState, string> = {
  not_started: "Not started",
  in_progress: "In progress",
  done: "Done",
  overdue: "Overdue",
};

/** What one learner did on one exercise. */
export interface ExerciseFacts {
  attempts: number;
  /** When the first passing attempt was graded; null if none passed. */
  firstPassAt: Date | null;
}

export interface AssignmentProgress {
  state: AssignmentState;
  /** Exercises that count, and how many of them are passed. */
  required: number;
  passed: number;
  /** When the last missing exercise was passed: the completion time; null until done. */
  completedAt: Date | null;
}

export function assignmentProgress(
  required: readonly number[],
  facts: ReadonlyMap<number, ExerciseFacts>,
  dueAt: Date,
  now: Date,
): AssignmentProgress {
  let passed = 0;
  let attempted = false;
  let completedAt: Date | null = null;
  for (const id of required) {
    const f = facts.get(id);
    if (!f) continue;
    if (f.attempts > 0) attempted = true;
    if (f.firstPassAt) {
      passed++;
      if (!completedAt || f.firstPassAt > completedAt) completedAt = f.firstPassAt;
    }
  }
  const done = required.length > 0 && passed === required.length;
  const state: AssignmentState = done
    ? "done"
    : now.getTime() > dueAt.getTime()
      ? "overdue"
      : attempted
        ? "in_progress"
        : "not_started";
  return { state, required: required.length, passed, completedAt: done ? completedAt : null };
}

/** Sort rank: what needs attention first (overdue, not started, in progress, done). */
export const STATE_URGENCY: Record<AssignmentState, number> = { overdue: 0, not_started: 1, in_progress: 2, done: 3 };

const MAX_DUE_DAYS = 5 * 366;
const DAY_MS = 24 * 3600 * 1000;

/**
 * A due date typed as YYYY-MM-DD (an <input type="date">): due at the end of that UTC day. Refuses anything
 * malformed, impossible (2026-02-30), before today (UTC) or more than five years ahead, with a message.
 */
export function parseDueDate(text: string, now: Date): { ok: true; dueAt: Date } | { ok: false; error: string } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return { ok: false, error: "Give the due date as a date, e.g. 2027-01-31" };
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const start = Date.UTC(y, mo - 1, d);
  const check = new Date(start);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    return { ok: false, error: `There is no day ${text.trim()}` };
  }
  const dueAt = new Date(start + DAY_MS - 1);
  if (dueAt.getTime() < now.getTime()) return { ok: false, error: "The due date is in the past; pick today or later" };
  if (start - now.getTime() > MAX_DUE_DAYS * DAY_MS) {
    return { ok: false, error: "The due date is more than five years away" };
  }
  return { ok: true, dueAt };
}

/** The YYYY-MM-DD a due date was entered as. */
export function dueDateText(dueAt: Date): string {
  return dueAt.toISOString().slice(0, 10);
}
