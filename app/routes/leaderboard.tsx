import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { exercises, exerciseVersions } from "#db/schema";
import { requireUser } from "~/.server/auth";
import { config } from "~/.server/config";
import { departmentBoard, learnerBoard, teamBoard } from "~/.server/dashboard/leaderboards";
import { NORMALISATION_FORMULA } from "~/.server/dashboard/normalise";
import { maskName, nameViewer } from "~/.server/dashboard/privacy";
import { type Window, windowStart } from "~/.server/dashboard/windows";
import { db } from "~/.server/db";
import { exerciseLeaderboard } from "~/.server/leaderboard";
import { teamImpactColumns } from "~/.server/usage/training-impact";
import { leaderboardOptIn } from "~/.server/users";
import { GradingBasisNote } from "~/components/grading-basis";
import { ImpactCells } from "~/components/impact-summary";
import { formatMicros } from "~/domain/cost";
import type { ExerciseFile } from "~/domain/exercise";
import { isStaff } from "~/domain/landing";
import { parseParams } from "~/lib/params";
import managerCss from "~/styles/manager.css?url";

export const meta: MetaFunction = () => [{ title: "Leaderboard · Tokenwise" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: managerCss }];

// Literal lists here (not imported from .server modules), because the component renders them too.
const VIEWS = ["learners", "teams", "departments"] as const;
const WINDOWS = ["week", "month", "all"] as const satisfies readonly Window[];
type View = (typeof VIEWS)[number];
const LEARNER_LIMIT = 100;

const querySchema = z.object({
  view: z.enum(VIEWS).default("learners"),
  window: z.enum(WINDOWS).default("month"),
  exercise: z.string().max(100).optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const { view, window, exercise: slug } = parseParams(querySchema, Object.fromEntries(url.searchParams));
  const database = db();
  const options = database
    .select({ id: exercises.id, slug: exercises.slug, content: exerciseVersions.content })
    .from(exercises)
    .innerJoin(exerciseVersions, eq(exerciseVersions.id, exercises.currentVersionId))
    .where(eq(exercises.status, "published"))
    .orderBy(asc(exercises.courseId), asc(exercises.position))
    .all()
    .map((e) => ({ id: e.id, slug: e.slug, title: (e.content as ExerciseFile).title }));
  const selected = options.find((o) => o.slug === slug) ?? options[0];
  if (slug && selected?.slug !== slug) throw new Response(`No published exercise "${slug}".`, { status: 404 });

  const now = new Date();
  const viewer = nameViewer(database, user);
  const board = { window, now };
  const { top, mine } =
    view === "learners"
      ? learnerBoard(database, { ...board, limit: LEARNER_LIMIT, viewerId: user.id })
      : { top: [], mine: null };
  return {
    liveGrading: config().LLM_PROVIDER !== "none",
    me: user.id,
    offBoards: isStaff(user.roles) && !leaderboardOptIn(database, user.id),
    view,
    window,
    privacy: !viewer.seesAllNames,
    formula: NORMALISATION_FORMULA,
    options,
    selected: selected ?? null,
    learnerRanks: top.map((r) => maskName(r, viewer)),
    myRank: mine && !top.some((r) => r.userId === mine.userId) ? mine : null,
    groupRanks:
      view === "teams" ? teamBoard(database, board) : view === "departments" ? departmentBoard(database, board) : [],
    impact: view === "teams" ? teamImpactColumns(database, now) : {},
    exerciseRanks: selected
      ? exerciseLeaderboard(database, selected.id, 50, windowStart(window, now)).map((r) => maskName(r, viewer))
      : [],
  };
}

const WINDOW_LABELS: Record<Window, string> = { week: "This week", month: "This month", all: "All time" };
const VIEW_LABELS: Record<View, string> = { learners: "Learners", teams: "Teams", departments: "Departments" };

function qualityPerDollar(q: number | null): string {
  return q === null ? "—" : q.toLocaleString("en-US", { maximumFractionDigits: 1 });
}

export default function Leaderboard() {
  const data = useLoaderData<typeof loader>();
  const { me, view, window, options, selected } = data;
  const href = (v: View, w: Window) => `?view=${v}&window=${w}${selected ? `&exercise=${selected.slug}` : ""}`;
  return (
    <>
      <h1>Leaderboard</h1>
      <GradingBasisNote liveGrading={data.liveGrading} />
      <nav className="tabs" aria-label="Who">
        {VIEWS.map((v) => (
          <Link key={v} to={href(v, window)} aria-current={v === view ? "page" : undefined}>
            {VIEW_LABELS[v]}
          </Link>
        ))}
      </nav>
      <nav className="tabs" aria-label="When">
        {WINDOWS.map((w) => (
          <Link key={w} to={href(view, w)} aria-current={w === window ? "page" : undefined}>
            {WINDOW_LABELS[w]}
          </Link>
        ))}
      </nav>
      <p className="muted">
        Best passing scores, normalised so hard exercises and cheap models count for more: {data.formula}. Windows are
        calendar weeks (from Monday) and months, in UTC.
        {data.privacy ? " Privacy mode is on: names outside your team are hidden." : ""} Managers, instructors and
        administrators appear on the learner boards only if they choose to.
      </p>
      {data.offBoards ? (
        <p className="banner" data-testid="off-boards">
          You are not on the learner boards, as staff. <Link to="/profile">Change this on your profile</Link>.
        </p>
      ) : null}

      {view === "learners" ? (
        <section>
          <h2>Learners · {WINDOW_LABELS[window]}</h2>
          {data.learnerRanks.length === 0 ? (
            <p className="muted">Nobody has passed an exercise in this period yet.</p>
          ) : (
            <table className="table" data-testid="learner-leaderboard">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Learner</th>
                  <th>Team</th>
                  <th className="num">Normalised total</th>
                  <th className="num">Exercises passed</th>
                </tr>
              </thead>
              <tbody>
                {data.learnerRanks.map((r, i) => (
                  <tr key={r.userId ?? `hidden-${i}`} className={r.userId === me ? "current" : undefined}>
                    <td>{r.rank}</td>
                    <td>{r.name}</td>
                    <td>{r.team ?? "—"}</td>
                    <td className="num">{r.total}</td>
                    <td className="num">{r.passed}</td>
                  </tr>
                ))}
                {data.myRank ? (
                  <tr className="current">
                    <td>{data.myRank.rank}</td>
                    <td>{data.myRank.name}</td>
                    <td>{data.myRank.team ?? "—"}</td>
                    <td className="num">{data.myRank.total}</td>
                    <td className="num">{data.myRank.passed}</td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          )}
        </section>
      ) : (
        <section>
          <h2>
            {VIEW_LABELS[view]} · {WINDOW_LABELS[window]}
          </h2>
          <p className="muted">
            Ranked by the median member's normalised total (members with nothing passed in the period count as zero),
            then by participation (members with a graded attempt in the period), so one heavy user cannot carry a team.
            Spend is from the ledger; quality per dollar is the members' summed totals per dollar spent.
            {view === "teams"
              ? " Production saving is the training impact estimated on the company's production bill (an estimate; see Training impact on the production spend page); the trend is each team's production cost per call over the last 12 weeks."
              : ""}
          </p>
          <table className="table" data-testid={view === "teams" ? "team-leaderboard" : "department-leaderboard"}>
            <thead>
              <tr>
                <th>#</th>
                <th>{view === "teams" ? "Team" : "Department"}</th>
                <th>{view === "teams" ? "Department" : "Cost centre"}</th>
                <th className="num">Median total</th>
                <th className="num">Participation</th>
                <th className="num">Training spend</th>
                <th className="num">Quality per $</th>
                {view === "teams" ? (
                  <>
                    <th className="num">Production saving (estimate)</th>
                    <th>Cost per call trend</th>
                  </>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {data.groupRanks.map((g) => (
                <tr key={g.id}>
                  <td>{g.rank}</td>
                  <td>{g.name}</td>
                  <td>{g.parent}</td>
                  <td className="num">{g.medianBest}</td>
                  <td className="num">
                    {g.participants}/{g.members} ({Math.round(g.participation * 100)}%)
                  </td>
                  <td className="num">{formatMicros(g.spendMicros)}</td>
                  <td className="num">{qualityPerDollar(g.qualityPerDollar)}</td>
                  {view === "teams" ? <ImpactCells team={g.name} impact={data.impact[g.id]} /> : null}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      <section>
        <h2>By exercise · {WINDOW_LABELS[window]}</h2>
        <Form method="get" className="inline-form">
          <input type="hidden" name="view" value={view} />
          <input type="hidden" name="window" value={window} />
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
        {data.exerciseRanks.length === 0 ? (
          <p className="muted">Nobody has passed this exercise in this period yet. Be the first.</p>
        ) : (
          <table className="table" data-testid="exercise-leaderboard">
            <thead>
              <tr>
                <th>#</th>
                <th>Learner</th>
                <th>Team</th>
                <th className="num">Best score</th>
                <th className="num">Tokens</th>
                <th className="num">Saves / month</th>
              </tr>
            </thead>
            <tbody>
              {data.exerciseRanks.map((r, i) => (
                <tr key={r.userId ?? `hidden-${i}`} className={r.userId === me ? "current" : undefined}>
                  <td>{r.rank}</td>
                  <td>{r.name}</td>
                  <td>{r.team ?? "—"}</td>
                  <td className="num">{r.score}</td>
                  <td className="num">{r.tokens}</td>
                  <td className="num">{formatMicros(r.monthlySavingsMicros)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
