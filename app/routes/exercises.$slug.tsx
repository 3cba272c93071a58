import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { getOwnAttempt, gradeOfflineAttempt, submitAttempt } from "~/.server/attempts";
import { requireUser } from "~/.server/auth";
import { getDraft, getPublishedExercise, saveDraft } from "~/.server/catalog";
import { config } from "~/.server/config";
import { db, writeTransaction } from "~/.server/db";
import { getKept, keepInHistory, listKept } from "~/.server/draft-history";
import { exercisePageData, replyTokens } from "~/.server/exercise-page";
import { liveGrading } from "~/.server/grading/service";
import { isAllowedModel } from "~/.server/models";
import { submitRefusal } from "~/.server/submit-throttle";
import { AttemptHistory } from "~/components/attempt-history";
import { ExerciseMeta } from "~/components/exercise-meta";
import { Markdown } from "~/components/markdown";
import { Workbench } from "~/components/workbench";
import { parseForm } from "~/lib/forms";
import { parseParams } from "~/lib/params";
import learningCss from "~/styles/learning.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: learningCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.page.exercise.title ?? "Exercise"} · Tokenwise` },
];

const paramsSchema = z.object({ slug: z.string().max(100) });

function loadExercise(params: unknown) {
  const { slug } = parseParams(paramsSchema, params);
  const exercise = getPublishedExercise(db(), slug);
  if (!exercise) throw new Response("There is no published exercise at this address.", { status: 404 });
  return exercise;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const exercise = loadExercise(params);
  const servedBy = liveGrading()?.ctx.provider.name ?? null;
  return {
    page: await exercisePageData(db(), user, exercise, servedBy),
    kept: listKept(db(), user.id, exercise.id),
    // Set after a reset or a load: the workbench starts over from the draft it wrote.
    loaded: new URL(request.url).searchParams.get("loaded")?.slice(0, 20) ?? "",
    maxPromptChars: config().MAX_PROMPT_CHARS,
  };
}

function promptSchema(max: number) {
  return z
    .string({ required_error: "Write a prompt before submitting" })
    .max(max, `The prompt is longer than ${max.toLocaleString("en-US")} characters; shorten it before submitting`)
    .refine((p) => p.trim().length > 0, "Write a prompt before submitting");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const exercise = loadExercise(params);
  const max = config().MAX_PROMPT_CHARS;
  const form = z.discriminatedUnion("intent", [
    z.object({ intent: z.literal("submit"), prompt: promptSchema(max), model: z.string().max(100).optional() }),
    z.object({ intent: z.literal("save-draft"), prompt: z.string().max(max, `longer than ${max} characters`) }),
    // The editor's text (absent when loading from a result page: the saved draft is kept instead).
    z.object({ intent: z.literal("reset"), prompt: z.string().max(max).optional() }),
    z.object({
      intent: z.literal("load"),
      prompt: z.string().max(max).optional(),
      source: z
        .string({ required_error: "Pick an attempt to load" })
        .regex(/^(attempt|kept):\d{1,15}$/, "Pick an attempt to load"),
    }),
  ]);
  const parsed = parseForm(form, await request.formData());
  if (!parsed.ok) return data({ ok: false as const, errors: parsed.errors }, { status: 400 });
  if (parsed.data.intent === "save-draft") {
    saveDraft(db(), user.id, exercise.id, parsed.data.prompt);
    const outputTokens = await replyTokens(parsed.data.prompt, exercise.content.output_tokens, user.id);
    return { ok: true as const, savedAt: Date.now(), outputTokens };
  }
  if (parsed.data.intent === "reset" || parsed.data.intent === "load") {
    const replacement =
      parsed.data.intent === "reset"
        ? exercise.content.starting_prompt
        : loadSource(user.id, exercise.id, parsed.data.source);
    const current = parsed.data.prompt ?? getDraft(db(), user.id, exercise.id);
    writeTransaction(db(), (tx) => {
      keepInHistory(tx, user.id, exercise.id, current, exercise.content.starting_prompt);
      saveDraft(tx, user.id, exercise.id, replacement);
    });
    return redirect(`/exercises/${exercise.content.slug}?loaded=${Date.now().toString(36)}`);
  }
  const refusal = await submitRefusal(user.id);
  if (refusal) {
    const init = { status: 429, headers: { "Retry-After": String(refusal.retryAfterSeconds) } };
    // The workbench posts with fetch and shows the message beside the editor. A page post (or a script) gets it as
    // an error page: a flood of refused posts must not cost the server a render of the exercise page each.
    const fetchMode = request.headers.get("Sec-Fetch-Mode");
    if (fetchMode && fetchMode !== "navigate")
      return data({ ok: false as const, errors: { submit: refusal.message } }, init);
    throw new Response(refusal.message, init);
  }
  const modelId = parsed.data.model || exercise.content.model;
  const live = liveGrading();
  const servedBy = live?.ctx.provider.name ?? null;
  if (modelId !== exercise.content.model && !isAllowedModel(exercise.content.model, modelId, db(), servedBy)) {
    return data(
      { ok: false as const, errors: { model: `The model "${modelId}" is not allowed for this exercise` } },
      { status: 400 },
    );
  }
  const attemptId = submitAttempt(db(), user, exercise, parsed.data.prompt, modelId, live?.worker ?? null);
  if (!live) await gradeOfflineAttempt(db(), { ...user, userId: user.id }, exercise, attemptId);
  return redirect(`/attempts/${attemptId}`);
}

/** The prompt of one of the learner's own attempts or kept prompts on this exercise; anything else is 404. */
function loadSource(userId: number, exerciseId: number, source: string): string {
  const [kind, raw] = source.split(":");
  const id = Number(raw);
  const prompt =
    kind === "attempt"
      ? (() => {
          const a = getOwnAttempt(db(), userId, id);
          return a && a.exerciseId === exerciseId ? a.prompt : null;
        })()
      : getKept(db(), userId, exerciseId, id);
  if (prompt === null) throw new Response("There is no attempt of yours on this exercise to load.", { status: 404 });
  return prompt;
}

export default function ExercisePage() {
  const { page, kept, loaded, maxPromptChars } = useLoaderData<typeof loader>();
  const { exercise } = page;
  return (
    <>
      <p className="crumbs">
        <Link to="/courses">Courses</Link> / <Link to={`/courses/${page.course.slug}`}>{page.course.title}</Link> /
      </p>
      <h1>{exercise.title}</h1>
      <ExerciseMeta exercise={exercise} />
      <div className="exercise-layout">
        <section className="brief">
          <Markdown source={exercise.brief} />
          <details>
            <summary>Test inputs ({exercise.test_inputs.length})</summary>
            {exercise.test_inputs.map((t) => (
              <div key={t.name} className="test-input">
                <strong>{t.name}</strong>
                <pre>{t.input}</pre>
              </div>
            ))}
          </details>
          {exercise.hints.length > 0 ? (
            <details>
              <summary>Hints</summary>
              <ol>
                {exercise.hints.map((h) => (
                  <li key={h}>{h}</li>
                ))}
              </ol>
            </details>
          ) : null}
        </section>
        <Workbench key={loaded} page={page} kept={kept} maxPromptChars={maxPromptChars} />
      </div>
      <AttemptHistory attempts={page.history} />
    </>
  );
}
