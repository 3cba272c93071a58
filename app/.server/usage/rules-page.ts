import { asc, eq } from "drizzle-orm";
import { departments, teams } from "#db/schema";
import type { Db } from "~/.server/db";
import { RULE_FIELD_LABELS, type RuleField } from "~/domain/attribution";
import { ruleOf, storedRules } from "./attribution-data";
import { attributionSummary, type Names } from "./attribution-preview";

/** What the rules page shows: the rules in order, in words, with what each decided recently; the unallocated. */

export interface TeamOption {
  id: number;
  name: string;
  department: string;
}

export function orgOptions(database: Db) {
  const teamRows: TeamOption[] = database
    .select({ id: teams.id, name: teams.name, department: departments.name })
    .from(teams)
    .innerJoin(departments, eq(departments.id, teams.departmentId))
    .orderBy(asc(departments.name), asc(teams.name))
    .all();
  const departmentRows = database
    .select({ id: departments.id, name: departments.name, costCentre: departments.costCentre })
    .from(departments)
    .orderBy(asc(departments.name))
    .all();
  return { teams: teamRows, departments: departmentRows };
}

export function namesOf(options: ReturnType<typeof orgOptions>): Names {
  const team = new Map(options.teams.map((t) => [t.id, `${t.name} (${t.department})`]));
  const department = new Map(options.departments.map((d) => [d.id, d.name]));
  return {
    team: (id) => team.get(id) ?? `team #${id} (deleted)`,
    department: (id) => department.get(id) ?? `department #${id} (deleted)`,
  };
}

const MATCH_WORDS = { is: "is", "starts-with": "starts with", contains: "contains" } as const;
const SPLIT_WORDS = { calls: "by calls", tokens: "by tokens", cost: "by cost", equal: "equally" } as const;

export interface RuleLine {
  id: number;
  position: number;
  when: string;
  goesTo: string;
  /** A stored rule the app cannot read any more (a hand edit): shown, never applied. */
  broken: boolean;
  recentDims: number;
  recentMicros: number;
  form: {
    field: string;
    match: string;
    value: string;
    targetKind: string;
    teamId: number | null;
    departmentId: number | null;
    sharedTeamIds: number[];
    splitBy: string | null;
  };
}

export function rulesPage(database: Db, now: Date) {
  const options = orgOptions(database);
  const names = namesOf(options);
  const summary = attributionSummary(database, now);
  const lines: RuleLine[] = storedRules(database).map((row, i) => {
    const rule = ruleOf(row);
    const field = RULE_FIELD_LABELS[row.field as RuleField] ?? row.field;
    const t = rule?.target;
    const goesTo = !t
      ? "(cannot be read: edit or delete it)"
      : t.kind === "team"
        ? names.team(t.teamId)
        : t.kind === "department"
          ? `${names.department(t.departmentId)}, no team`
          : t.kind === "user-team"
            ? "the team of the Tokenwise user with that email"
            : `shared by ${t.teamIds.map(names.team).join(", ")}, ${SPLIT_WORDS[t.splitBy]}`;
    return {
      id: row.id,
      position: i + 1,
      when: `${field} ${MATCH_WORDS[row.match as keyof typeof MATCH_WORDS] ?? row.match} "${row.value}"`,
      goesTo,
      broken: rule === null,
      recentDims: summary.byRule[row.id]?.dims ?? 0,
      recentMicros: summary.byRule[row.id]?.costMicros ?? 0,
      form: {
        field: row.field,
        match: row.match,
        value: row.value,
        targetKind: row.targetKind,
        teamId: row.teamId,
        departmentId: row.departmentId,
        sharedTeamIds: row.sharedTeamIds ?? [],
        splitBy: row.splitBy,
      },
    };
  });
  return { options, summary, rules: lines };
}
