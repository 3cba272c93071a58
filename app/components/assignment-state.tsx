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
  // Whole calendar days (UTC) between today and the due day.
  const day = (t: number) => Math.floor(t / 86_400_000);
  const days = day(due.getTime()) - day(now);
  const when = due.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  const rel =
    days < 0
      ? `${-days} day${days === -1 ? "" : "s"} ago`
      : days === 0
        ? "today"
        : days === 1
          ? "tomorrow"
          : `in ${days} days`;
  return (
    <time dateTime={due.toISOString()}>
      {when} ({rel})
    </time>
  );
}
