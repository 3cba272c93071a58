import { type AssignmentState, STATE_LABELS } from "~/domain/assignment-status";

/** A state as a word (never colour alone), coloured by urgency. */
export function StateBadge({ state }: { state: AssignmentState }) {
  return (
    <span className={`badge state-${state}`} data-state={state}>
      {STATE_LABELS[state]}
    </span>
  );
}

/** "due 31 Jan 2027 (in 3 days)", in UTC like every date the app shows. */
export function DueDate({ dueAt, now }: { dueAt: string | Date; now: number }) {
  const due = new Date(dueAt);
  const days = Math.ceil((due.getTime() - now) / 86_400_000);
  const when = due.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  const rel = days < 0 ? `${-days} day${days === -1 ? "" : "s"} ago` : days <= 1 ? "today" : `in ${days} days`;
  return (
    <time dateTime={due.toISOString()}>
      {when} ({rel})
    </time>
  );
}
