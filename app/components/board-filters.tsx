import { Form } from "@remix-run/react";
import { ASSIGNMENT_STATES, type AssignmentState, STATE_LABELS } from "~/domain/assignment-status";

/** The assignment dashboard's filter form: one labelled select per filter, and the search box. */

export interface Choice {
  value: string | number;
  label: string;
}

/** The <option>s of a list of choices, after an optional "any" option with an empty value. */
export function ChoiceOptions({ choices, any }: { choices: readonly Choice[]; any?: string }) {
  return (
    <>
      {any === undefined ? null : <option value="">{any}</option>}
      {choices.map((c) => (
        <option key={c.value} value={c.value}>
          {c.label}
        </option>
      ))}
    </>
  );
}

function FilterSelect(props: {
  label: string;
  name: string;
  value: string | number | undefined;
  choices: readonly Choice[];
  any?: string;
}) {
  return (
    <label>
      {props.label}
      <select name={props.name} defaultValue={props.value ?? ""}>
        <ChoiceOptions choices={props.choices} any={props.any} />
      </select>
    </label>
  );
}

const SORTS: Choice[] = [
  { value: "urgency", label: "Needs attention first" },
  { value: "name", label: "Name" },
  { value: "team", label: "Team" },
  { value: "course", label: "Course" },
  { value: "due", label: "Due date" },
  { value: "progress", label: "Progress" },
];
const STATES: Choice[] = ASSIGNMENT_STATES.map((s) => ({ value: s, label: STATE_LABELS[s] }));

export interface BoardFilterValues {
  team?: number;
  course?: number;
  state?: AssignmentState;
  q?: string;
  sort: string;
}

export function BoardFilters(props: {
  filter: BoardFilterValues;
  teams: readonly { id: number; name: string }[];
  courses: readonly { id: number; title: string }[];
}) {
  const { filter } = props;
  return (
    <Form method="get" className="filters" aria-label="Filter learners">
      <FilterSelect
        label="Team"
        name="team"
        value={filter.team}
        any="All teams"
        choices={props.teams.map((t) => ({ value: t.id, label: t.name }))}
      />
      <FilterSelect
        label="Course"
        name="course"
        value={filter.course}
        any="All courses"
        choices={props.courses.map((c) => ({ value: c.id, label: c.title }))}
      />
      <FilterSelect label="Status" name="state" value={filter.state} any="Any status" choices={STATES} />
      <label>
        Name or email
        <input type="search" name="q" defaultValue={filter.q ?? ""} maxLength={200} />
      </label>
      <FilterSelect label="Sort by" name="sort" value={filter.sort} choices={SORTS} />
      <button type="submit" className="button secondary">
        Show
      </button>
    </Form>
  );
}
