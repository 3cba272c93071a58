import { STATE_LABELS } from "~/domain/assignment-status";
import { toCsv } from "~/lib/csv";
import type { BoardRow } from "./board";

/** The assignment dashboard as CSV: one row per learner and assigned course; dates as UTC days; cells escaped. */
export function assignmentBoardCsv(rows: BoardRow[]): string {
  const header = [
    "learner",
    "email",
    "team",
    "course",
    "assigned_to",
    "status",
    "exercises_passed",
    "exercises_required",
    "due_date",
    "last_attempt_date",
  ];
  const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "");
  return toCsv(
    header,
    rows.map((r) => [
      r.name,
      r.email,
      r.team,
      r.course,
      r.personal ? "person" : "team",
      STATE_LABELS[r.state],
      r.passed,
      r.required,
      day(r.dueAt),
      day(r.lastAttemptAt),
    ]),
  );
}
