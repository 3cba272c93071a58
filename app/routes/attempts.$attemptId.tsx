import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { attempts } from "#db/schema";
import { attemptPageData } from "~/.server/attempt-page";
import { requireUser } from "~/.server/auth";
import { db } from "~/.server/db";
import { jobForAttempt, requeueFailedJob } from "~/.server/grading/jobs";
import { liveGrading } from "~/.server/grading/service";
import { regradeOffline } from "~/.server/offline-recovery";
import { AttemptHistory } from "~/components/attempt-history";
import { GradingProgress } from "~/components/grading-progress";
import { LiveReport } from "~/components/live-report";
import { ScoreReport } from "~/components/score-report";
import { parseParams } from "~/lib/params";
import learningCss from "~/styles/learning.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: learningCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Attempt on ${data?.exercise.title ?? "exercise"} · Tokenwise` },
];

const paramsSchema = z.object({ attemptId: z.coerce.number().int().positive() });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { attemptId } = parseParams(paramsSchema, params);
  const page = attemptPageData(db(), user.id, attemptId);
  // Someone else's attempt is "not found", so ids reveal nothing.
  if (!page) throw new Response("There is no attempt of yours at this address.", { status: 404 });
  return page;
}

/** "Retry" after grading exhausted its retries: the job resumes where it stopped; finished calls are not repeated. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { attemptId } = parseParams(paramsSchema, params);
  const page = attemptPageData(db(), user.id, attemptId);
  if (!page) throw new Response("There is no attempt of yours at this address.", { status: 404 });
  if (page.attempt.status === "failed" && !jobForAttempt(db(), attemptId)) {
    // Offline: graded again at once (a crash or the CPU time limit failed it).
    await regradeOffline(db(), attemptId);
    return redirect(`/attempts/${attemptId}`);
  }
  const live = liveGrading();
  if (!live || !requeueFailedJob(db(), attemptId))
    return data(
      { error: "This attempt cannot be retried; submit your prompt again from the exercise." },
      { status: 409 },
    );
  db().update(attempts).set({ status: "queued", error: null }).where(eq(attempts.id, attemptId)).run();
  live.worker.poke();
  return redirect(`/attempts/${attemptId}`);
}

export default function AttemptPage() {
  const page = useLoaderData<typeof loader>();
  const { attempt, exercise } = page;
  return (
    <>
      <p className="crumbs">
        <Link to="/courses">Courses</Link> / <Link to={`/courses/${exercise.courseSlug}`}>{exercise.courseTitle}</Link>{" "}
        / <Link to={`/exercises/${exercise.slug}`}>{exercise.title}</Link> /
      </p>
      <h1>
        Attempt #{attempt.id} on {exercise.title}
      </h1>
      {attempt.status === "failed" ? (
        <div className="banner bad" role="alert" data-testid="grading-failed">
          Grading failed: {attempt.error} Your prompt is saved below and in your draft.
          {page.canRetry ? (
            <Form method="post" className="inline-form">
              <button type="submit" className="primary">
                Retry grading
              </button>
            </Form>
          ) : (
            <>
              {" "}
              <Link to={`/exercises/${exercise.slug}`}>Go back and submit it again</Link>.
            </>
          )}
        </div>
      ) : page.result ? (
        <>
          {page.result.budgetMessage ? (
            <div className="banner" role="status">
              {page.result.budgetMessage}
            </div>
          ) : null}
          {page.result.warnings?.map((w) => (
            <div key={w} className="banner" role="status">
              {w}
            </div>
          ))}
          <ScoreReport
            result={page.result}
            comparison={page.comparison}
            passMark={exercise.passMark}
            nextSteps={<NextSteps page={page} />}
          />
          {page.result.live ? <LiveReport live={page.result.live} /> : null}
        </>
      ) : page.progress ? (
        <GradingProgress attemptId={attempt.id} initial={page.progress} />
      ) : null}
      <section>
        <h2>Your prompt</h2>
        <pre className="prompt-view" data-testid="submitted-prompt">
          {attempt.prompt}
        </pre>
        {page.result ? null : <AttemptActions page={page} />}
      </section>
      <AttemptHistory attempts={page.history} currentId={attempt.id} />
    </>
  );
}

type Page = ReturnType<typeof useLoaderData<typeof loader>>;

/** What to fix first and where to go next, right under the verdict. */
function NextSteps({ page }: { page: Page }) {
  return (
    <div className="next-steps" data-testid="next-steps">
      {page.fixFirst.length > 0 ? (
        <>
          <h2>{page.attempt.passed ? "To do even better" : "Fix these first"}</h2>
          <ol data-testid="next-steps-fix">
            {page.fixFirst.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ol>
        </>
      ) : null}
      <AttemptActions page={page} />
    </div>
  );
}

/** "Improve this attempt" opens this attempt's prompt in the editor (the current draft is kept in history). */
function AttemptActions({ page }: { page: Page }) {
  const { attempt, exercise, next } = page;
  return (
    <div className="attempt-actions">
      <Form method="post" action={`/exercises/${exercise.slug}`} className="inline-form">
        <input type="hidden" name="intent" value="load" />
        <input type="hidden" name="source" value={`attempt:${attempt.id}`} />
        <button
          type="submit"
          className={`button ${attempt.passed ? "secondary" : "primary"}`}
          data-testid="improve-attempt"
        >
          Improve this attempt
        </button>
      </Form>
      {next ? (
        <Link
          className={`button ${attempt.passed ? "primary" : "secondary"}`}
          to={`/exercises/${next.slug}`}
          data-testid="next-exercise"
        >
          Next exercise: {next.title}
        </Link>
      ) : (
        <Link className="button secondary" to={`/courses/${exercise.courseSlug}`}>
          Back to the course
        </Link>
      )}
      <Link className="button secondary" to={`/leaderboard?exercise=${exercise.slug}`}>
        Leaderboard
      </Link>
    </div>
  );
}
