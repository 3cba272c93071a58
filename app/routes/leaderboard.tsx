import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { exercises, exerciseVersions } from "#db/schema";
import { requireUser } from "~/.server/auth";
import { db } from "~/.server/db";
import { exerciseLeaderboard, teamLeaderboard } from "~/.server/leaderboard";
import { formatMicros } from "~/domain/cost";
import type { ExerciseFile } from "~/domain/exercise";
import { parseParams } from "~/lib/params";

export const meta: MetaFunction = () => [{ title: "Leaderboard · Tokenwise" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const { exercise: slug } = parseParams(
    z.object({ exercise: z.string().max(100).optional() }),
    Object.fromEntries(url.searchParams),
  );
  const options = db()
    .select({ id: exercises.id, slug: exercises.slug, content: exerciseVersions.content })
    .from(exercises)
    .innerJoin(exerciseVersions, eq(exerciseVersions.id, exercises.currentVersionId))
    .where(eq(exercises.status, "published"))
    .orderBy(asc(exercises.courseId), asc(exercises.position))
    .all()
    .map((e) => ({ id: e.id, slug: e.slug, title: (e.content as ExerciseFile).title }));
  const selected = options.find((o) => o.slug === slug) ?? options[0];
  if (slug && selected?.slug !== slug) throw new Response(`No published exercise "${slug}".`, { status: 404 });
  return {
    me: user.id,
    options,
    selected: selected ?? null,
    exerciseRanks: selected ? exerciseLeaderboard(db(), selected.id) : [],
    teamRanks: teamLeaderboard(db()),
  };
}

export default function Leaderboard() {
  const { me, options, selected, exerciseRanks, teamRanks } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Leaderboard</h1>
      <section>
        <h2>Teams</h2>
        <p className="muted">
          Ranked by the median member's total of best passing scores (members who have not passed anything count as
          zero), so one heavy user cannot carry a team.
        </p>
        <table className="table" data-testid="team-leaderboard">
          <thead>
            <tr>
              <th>#</th>
              <th>Team</th>
              <th>Department</th>
              <th>Median total</th>
              <th>Participation</th>
              <th>Projected savings / month</th>
            </tr>
          </thead>
          <tbody>
            {teamRanks.map((t) => (
              <tr key={t.teamId}>
                <td>{t.rank}</td>
                <td>{t.team}</td>
                <td>{t.department}</td>
                <td>{t.medianTotal}</td>
                <td>
                  {t.participants}/{t.members} ({Math.round(t.participation * 100)}%)
                </td>
                <td>{formatMicros(t.monthlySavingsMicros)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h2>By exercise</h2>
        <Form method="get" className="inline-form">
          <label>
            Exercise{" "}
            <select name="exercise" defaultValue={selected?.slug}>
              {options.map((o) => (
                <option key={o.slug} value={o.slug}>
                  {o.title}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="secondary">
            Show
          </button>
        </Form>
        {exerciseRanks.length === 0 ? (
          <p className="muted">Nobody has passed this exercise yet. Be the first.</p>
        ) : (
          <table className="table" data-testid="exercise-leaderboard">
            <thead>
              <tr>
                <th>#</th>
                <th>Learner</th>
                <th>Team</th>
                <th>Best score</th>
                <th>Tokens</th>
                <th>Saves / month</th>
              </tr>
            </thead>
            <tbody>
              {exerciseRanks.map((r) => (
                <tr key={r.userId} className={r.userId === me ? "current" : undefined}>
                  <td>{r.rank}</td>
                  <td>{r.name}</td>
                  <td>{r.team ?? "—"}</td>
                  <td>{r.score}</td>
                  <td>{r.tokens}</td>
                  <td>{formatMicros(r.monthlySavingsMicros)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
