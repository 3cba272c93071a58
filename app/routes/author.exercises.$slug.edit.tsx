import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/.server/auth";
import { keptSamples } from "~/.server/authoring/calibration-samples";
import {
  editorFormSchema,
  getExerciseForEditing,
  publishExercise,
  saveExerciseDraft,
  validateForEditor,
} from "~/.server/authoring/drafts";
import type { PublishReview } from "~/.server/authoring/publish-review";
import { withRenderedBrief } from "~/.server/brief";
import { db } from "~/.server/db";
import { ExerciseAuthoringNav, StatusBadge } from "~/components/authoring-nav";
import { ExerciseAuthoring } from "~/components/exercise-authoring";
import { toLearnerExercise } from "~/domain/exercise";
import { parseForm } from "~/lib/forms";
import { parseParams } from "~/lib/params";
import authorCss from "~/styles/author.css?url";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Edit ${data?.exercise.slug ?? "exercise"} · Authoring · Tokenwise` },
];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: authorCss }];

const paramsSchema = z.object({ slug: z.string().max(100) });

function findExercise(slug: string) {
  const found = getExerciseForEditing(db(), slug);
  if (!found) throw new Response(`There is no exercise "${slug}".`, { status: 404 });
  return found;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "instructor", "admin");
  const { slug } = parseParams(paramsSchema, params);
  const found = findExercise(slug);
  const initial = validateForEditor(db(), found.text, slug);
  // An invalid draft still previews as the version learners currently get, marked as such.
  const fallback = found.current ? toLearnerExercise(found.current.content) : null;
  const url = new URL(request.url);
  // After "Publish" on the new-exercise or import page: the saved draft's review, to confirm here.
  const review = url.searchParams.has("review")
    ? await publishExercise(db(), { text: found.text, slug, userId: user.id })
    : null;
  const published = url.searchParams.get("published");
  const notice = published
    ? `Published version ${Number(published)}.`
    : url.searchParams.has("saved")
      ? "Draft saved."
      : null;
  return {
    exercise: {
      slug: found.slug,
      status: found.status,
      source: found.source,
      courseSlug: found.courseSlug,
      version: found.current?.version ?? null,
      draftSavedAt: found.draft?.updatedAt ?? null,
    },
    text: found.text,
    initial: {
      errors: initial.errors,
      preview: await withRenderedBrief(db(), initial.preview ?? fallback),
      stale: initial.preview === null,
    },
    samples: keptSamples(db(), slug),
    review: review && !review.ok && "review" in review ? await withRenderedReview(review.review) : null,
    notice,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "instructor", "admin");
  const { slug } = parseParams(paramsSchema, params);
  findExercise(slug);
  const parsed = parseForm(editorFormSchema, await request.formData());
  if (!parsed.ok) return data({ ok: false, message: Object.values(parsed.errors).join(" ") }, { status: 400 });
  const { intent, text, confirm } = parsed.data;
  const database = db();
  if (intent === "save") {
    const saved = saveExerciseDraft(database, { text, slug, userId: user.id });
    if (!saved.ok)
      return data({ ok: false, message: "The draft was not saved.", errors: saved.errors }, { status: saved.status });
    if (saved.slug !== slug) return redirect(`/author/exercises/${saved.slug}/edit?saved=1`);
    return { ok: true, message: "Draft saved." };
  }
  const published = await publishExercise(database, { text, slug, userId: user.id, confirm });
  if (!published.ok) {
    // Not published (refused, or waiting for the author's confirmation), but the author's text is not lost: it
    // becomes the draft.
    const kept = saveExerciseDraft(database, { text, slug, userId: user.id });
    if ("review" in published) {
      const message = published.stale
        ? "The text or the live version changed since your review: check the review again, then confirm."
        : "Check what learners will see and what changes, then confirm to publish.";
      return data(
        { ok: false, message, review: await withRenderedReview(published.review) },
        { status: published.status },
      );
    }
    const message = `Not published: fix the errors listed below.${kept.ok ? " Your text was saved as a draft." : ""}`;
    return data({ ok: false, message, errors: published.errors }, { status: published.status });
  }
  if (published.slug !== slug)
    return redirect(`/author/exercises/${published.slug}/edit?published=${published.version}`);
  return {
    ok: true,
    message: published.newVersion
      ? `Published version ${published.version}.`
      : `Published: nothing changed since version ${published.version}.`,
  };
}

export default function EditExercise() {
  const { exercise, text, initial, review, samples, notice } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const fromFile = exercise.source === "file";
  return (
    <>
      <p className="crumbs">
        <Link to="/author">Authoring</Link> /{" "}
        <Link to={`/author/courses/${exercise.courseSlug}`}>{exercise.courseSlug}</Link> /
      </p>
      <h1>
        <code>{exercise.slug}</code> <StatusBadge status={exercise.status} />
      </h1>
      <ExerciseAuthoringNav slug={exercise.slug} />
      <p className="muted" data-testid="exercise-state">
        {exercise.version === null ? "Never published." : `Learners get version ${exercise.version}.`}{" "}
        {exercise.draftSavedAt
          ? `Unpublished draft saved ${new Date(exercise.draftSavedAt).toISOString().slice(0, 16).replace("T", " ")} UTC.`
          : ""}
        {exercise.status === "published" ? (
          <>
            {" "}
            <Link to={`/exercises/${exercise.slug}`}>Open as a learner</Link>
          </>
        ) : null}
      </p>
      {fromFile ? (
        <p className="banner">
          This exercise is a file in <code>exercises/{exercise.courseSlug}/</code>: edit it there and sync, so the
          repository stays the source of truth. You can read it here, download it, or import a copy under a new slug.
        </p>
      ) : null}
      {notice && !outcome ? (
        <p className="banner" role="status">
          {notice}
        </p>
      ) : null}
      <ExerciseAuthoring
        slug={exercise.slug}
        initialText={text}
        initial={initial}
        readOnly={fromFile}
        outcome={
          outcome ??
          (review
            ? { ok: false, message: "Check what learners will see, then confirm to publish.", review }
            : undefined)
        }
      />
      <CalibrationSamples slug={exercise.slug} kept={samples} />
    </>
  );
}

/** The review's learner preview with its brief's [[figures]] rendered, as learners will read it. */
async function withRenderedReview(review: PublishReview): Promise<PublishReview> {
  return { ...review, preview: await withRenderedBrief(db(), review.preview) };
}

function CalibrationSamples({
  slug,
  kept,
}: {
  slug: string;
  kept: {
    samples: { prompt: string; expect: string; minScore?: number; maxScore?: number }[];
    updatedAt: string | Date;
  } | null;
}) {
  return (
    <section className="calibration-samples" aria-labelledby="samples-title" data-testid="calibration-samples">
      <h2 id="samples-title">Calibration samples{kept ? ` (${kept.samples.length})` : ""}</h2>
      {kept ? (
        <>
          <p className="muted">
            Kept from the last calibration ({new Date(kept.updatedAt).toISOString().slice(0, 16).replace("T", " ")}{" "}
            UTC). <Link to={`/author/exercises/${slug}/calibrate`}>Calibrate again with them</Link>
          </p>
          <table className="table">
            <thead>
              <tr>
                <th>Expected</th>
                <th>Score</th>
                <th>Prompt</th>
              </tr>
            </thead>
            <tbody>
              {kept.samples.map((s, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the kept list is replaced as a whole, never reordered
                <tr key={i}>
                  <td>{s.expect}</td>
                  <td>
                    {s.minScore === undefined && s.maxScore === undefined
                      ? "any"
                      : `${s.minScore ?? 0}–${s.maxScore ?? 1000}`}
                  </td>
                  <td className="sample-prompt">{s.prompt.length > 160 ? `${s.prompt.slice(0, 160)}…` : s.prompt}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <p className="muted">
          None yet. Sample prompts you grade on the{" "}
          <Link to={`/author/exercises/${slug}/calibrate`}>calibration page</Link> are kept here for this exercise.
        </p>
      )}
    </section>
  );
}
