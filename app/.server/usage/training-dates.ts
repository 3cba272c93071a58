import type { Db } from "~/.server/db";
import { getSetting, setSetting } from "~/.server/settings";

/**
 * When each team was trained (team_training): the day the ⌈members / 2⌉-th of its current members first
 * completed a course, a course being completed on the day its last published exercise was first passed. One
 * grouped query over the passing attempts; run by the upkeep only when attempts were graded since the last run
 * (the highest graded attempt id is the marker), and at start.
 */

const DAY_MS = 86_400_000;

export interface TeamTraining {
  teamId: number;
  trainedAt: number | null;
  members: number;
  completed: number;
}

/** Pure: a team is trained on the day half of its members (rounded up) had each completed a course. */
export function trainedOn(completions: (number | null)[]): number | null {
  const members = completions.length;
  if (members === 0) return null;
  const done = completions.filter((c): c is number => c !== null).sort((a, b) => a - b);
  const needed = Math.ceil(members / 2);
  return done.length >= needed ? Math.floor(done[needed - 1] / DAY_MS) * DAY_MS : null;
}

export function computeTeamTraining(database: Db): TeamTraining[] {
  const s = database.$client;
  const firstCompletion = new Map(
    (
      s
        .prepare(
          `with firsts as (
             select a.user_id, a.exercise_id, min(a.created_at) as at from attempts a
              join exercises e on e.id = a.exercise_id and e.status = 'published'
              where a.passed = 1 group by a.user_id, a.exercise_id),
           sizes as (select course_id, count(*) as total from exercises where status = 'published' group by course_id),
           done as (
             select f.user_id, e.course_id, max(f.at) as at, count(*) as n from firsts f
               join exercises e on e.id = f.exercise_id group by f.user_id, e.course_id)
           select d.user_id, min(d.at) from done d join sizes z on z.course_id = d.course_id
            where d.n = z.total group by d.user_id`,
        )
        .raw()
        .all() as [number, number][]
    ).map(([user, at]) => [user, at]),
  );
  const members = new Map<number, (number | null)[]>();
  for (const [user, team] of s.prepare("select id, team_id from users where team_id is not null").raw().all() as [
    number,
    number,
  ][]) {
    const list = members.get(team) ?? [];
    list.push(firstCompletion.get(user) ?? null);
    members.set(team, list);
  }
  return [...members.entries()]
    .map(([teamId, list]) => ({
      teamId,
      trainedAt: trainedOn(list),
      members: list.length,
      completed: list.filter((c) => c !== null).length,
    }))
    .sort((a, b) => a.teamId - b.teamId);
}

function marker(database: Db): string {
  const row = database.$client
    .prepare("select max(id), count(*) from attempts where status = 'scored'")
    .raw()
    .get() as [number | null, number];
  const users = database.$client.prepare("select count(*), coalesce(sum(team_id), 0) from users").raw().get() as [
    number,
    number,
  ];
  return JSON.stringify([row, users]);
}

/** Rebuilds team_training when attempts or memberships changed (always when `force`); true when it did. */
export function refreshTeamTraining(database: Db, force = false): boolean {
  const now = marker(database);
  if (!force && getSetting(database, "teamTrainingMarker") === now) return false;
  const rows = computeTeamTraining(database);
  const s = database.$client;
  s.transaction(() => {
    s.prepare("delete from team_training").run();
    const insert = s.prepare("insert into team_training (team_id, trained_at, members, completed) values (?, ?, ?, ?)");
    for (const r of rows) insert.run(r.teamId, r.trainedAt, r.members, r.completed);
  }).immediate();
  setSetting(database, "teamTrainingMarker", now, null);
  return true;
}

export function teamTraining(database: Db): Map<number, TeamTraining> {
  return new Map(
    (
      database.$client.prepare("select team_id, trained_at, members, completed from team_training").raw().all() as [
        number,
        number | null,
        number,
        number,
      ][]
    ).map(([teamId, trainedAt, members, completed]) => [teamId, { teamId, trainedAt, members, completed }]),
  );
}
