import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { managerAttemptData } from "~/.server/dashboard/attempt";
import { db } from "~/.server/db";
import { requireManagerScope } from "~/.server/scope";
import { LiveReport } from "~/components/live-report";
import { ScoreReport } from "~/components/score-report";
import { parseParams } from "~/lib/params";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Attempt #${data?.attempt.id ?? ""} by ${data?.learner.name ?? "a learner"} · Tokenwise` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { scope } = await requireManagerScope(request);
  const { attemptId } = parseParams(z.object({ attemptId: z.coerce.number().int().positive() }), params);
  const page = managerAttemptData(db(), scope, attemptId);
  if (!page) throw new Response("There is no attempt by a learner of your teams at this address.", { status: 404 });
  return page;
}

/** Read-only: a manager reads the breakdown; only the learner can retry or resubmit. */
export default function ManagerAttemptPage() {
  const { learner, attempt, exercise, result, comparison, bestOther } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="crumbs">
        <Link to="/manager">Team progress</Link> / {learner.team ?? "no team"} /{" "}
        <Link to={`/manager/learners/${learner.id}`}>{learner.name}</Link> /
      </p>
      <h1>
        Attempt #{attempt.id} on {exercise.title}
      </h1>
      <p className="muted">
        By {learner.name}, {new Date(attempt.createdAt).toISOString().slice(0, 16).replace("T", " ")} UTC, on{" "}
        {attempt.modelId}; exercise version {exercise.version} ({exercise.courseTitle}).
        {bestOther ? (
          <>
            {" "}
            Their best other attempt on this exercise:{" "}
            <Link to={`/manager/attempts/${bestOther.id}`}>
              #{bestOther.id}, score {bestOther.score}
            </Link>
            .
          </>
        ) : null}
      </p>
      {attempt.status === "failed" ? (
        <div className="banner bad" role="status">
          Grading failed: {attempt.error}
        </div>
      ) : result ? (
        <>
          <ScoreReport result={result} comparison={comparison} passMark={exercise.passMark} />
          {result.live ? <LiveReport live={result.live} /> : null}
        </>
      ) : (
        <p className="muted">This attempt is still being graded ({attempt.status}).</p>
      )}
      <section>
        <h2>The prompt</h2>
        <pre className="prompt-view" data-testid="submitted-prompt">
          {attempt.prompt}
        </pre>
      </section>
    </>
  );
}
