import { describe, expect, it } from "vitest";
import { assignmentProgress, type ExerciseFacts, parseDueDate } from "./assignment-status";

const NOW = new Date("2026-12-05T12:00:00Z");
const due = (iso: string) => new Date(iso);
const facts = (entries: [number, number, string | null][]) =>
  new Map<number, ExerciseFacts>(
    entries.map(([id, n, pass]) => [id, { attempts: n, firstPassAt: pass ? new Date(pass) : null }]),
  );

describe("assignmentProgress", () => {
  it("is not started with no attempt, in progress with one, done when every counted exercise passed", () => {
    const future = due("2026-12-31T23:59:59.999Z");
    expect(assignmentProgress([1, 2], new Map(), future, NOW).state).toBe("not_started");
    expect(assignmentProgress([1, 2], facts([[1, 1, null]]), future, NOW)).toMatchObject({
      state: "in_progress",
      passed: 0,
    });
    const done = assignmentProgress(
      [1, 2],
      facts([
        [1, 3, "2026-12-01T10:00:00Z"],
        [2, 1, "2026-12-03T10:00:00Z"],
      ]),
      future,
      NOW,
    );
    expect(done).toEqual({ state: "done", required: 2, passed: 2, completedAt: new Date("2026-12-03T10:00:00Z") });
  });

  it("ignores attempts on exercises that do not count (added after the assignment)", () => {
    const p = assignmentProgress([1], facts([[9, 4, "2026-12-01T00:00:00Z"]]), due("2027-01-01T00:00:00Z"), NOW);
    expect(p).toMatchObject({ state: "not_started", passed: 0, required: 1 });
  });

  it("is overdue once the due moment has passed, unless done (done late is still done)", () => {
    const past = due("2026-12-04T23:59:59.999Z");
    expect(assignmentProgress([1], facts([[1, 2, null]]), past, NOW).state).toBe("overdue");
    expect(assignmentProgress([1], facts([[1, 2, "2026-12-05T11:00:00Z"]]), past, NOW).state).toBe("done");
  });

  it("never calls an empty set done", () => {
    expect(assignmentProgress([], new Map(), due("2027-01-01T00:00:00Z"), NOW).state).toBe("not_started");
  });
});

describe("parseDueDate", () => {
  it("takes YYYY-MM-DD as the end of that UTC day, today included", () => {
    expect(parseDueDate("2026-12-05", NOW)).toEqual({ ok: true, dueAt: new Date("2026-12-05T23:59:59.999Z") });
    expect(parseDueDate(" 2027-02-28 ", NOW)).toMatchObject({ ok: true });
  });

  it.each([
    ["2026-12-04", /past/],
    ["2027-02-29", /no day/],
    ["2026-13-01", /no day/],
    ["2026-00-10", /no day/],
    ["05/12/2026", /as a date/],
    ["2026-1-5", /as a date/],
    ["", /as a date/],
    ["2026-12-05T00:00", /as a date/],
    ["\u00002026-12-06", /as a date/],
    ["2040-01-01", /five years/],
    ["９９９９-01-01", /as a date/],
  ])("refuses %j", (text, message) => {
    const r = parseDueDate(text, NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});
