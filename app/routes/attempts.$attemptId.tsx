import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { attemptPageData } from "~/.server/attempt-page";
import { requireUser } from "~/.server/auth";
import { db } from "~/.server/db";
import { AttemptHistory } from "~/components/attempt-history";
import { ScoreReport } from "~/components/score-report";
import { parseParams } from "~/lib/params";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Attempt on ${data?.exercise.title ?? "exercise"} · Tokenwise` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { attemptId } = parseParams(z.object({ attemptId: z.coerce.number().int().positive() }), params);
  const page = attemptPageData(db(), user.id, attemptId);
  // Someone else's attempt is "not found", so ids reveal nothing.
  if (!page) throw new Response("There is no attempt of yours at this address.", { status: 404 });
  return page;
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
        <div className="banner bad" role="alert">
          Grading failed: {attempt.error}. Your prompt is saved below and in your draft;{" "}
          <Link to={`/exercises/${exercise.slug}`}>go back and submit it again</Link>.
        </div>
      ) : page.result ? (
        <ScoreReport result={page.result} comparison={page.comparison} passMark={exercise.passMark} />
      ) : (
        <div className="banner">This attempt is {attempt.status}. Reload in a moment.</div>
      )}
      <section>
        <h2>Your prompt</h2>
        <pre className="prompt-view" data-testid="submitted-prompt">
          {attempt.prompt}
        </pre>
        <p>
          <Link className="button primary" to={`/exercises/${exercise.slug}`}>
            {attempt.passed ? "Improve it further" : "Try again"}
          </Link>{" "}
          <Link className="button secondary" to={`/leaderboard?exercise=${exercise.slug}`}>
            Leaderboard
          </Link>
        </p>
      </section>
      <AttemptHistory attempts={page.history} currentId={attempt.id} />
    </>
  );
}
