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
import { listAuthoringCatalog } from "~/.server/authoring/catalog";
import { editorFormSchema, publishExercise, saveExerciseDraft, validateForEditor } from "~/.server/authoring/drafts";
import { exerciseTemplate } from "~/.server/authoring/template";
import { withRenderedBrief } from "~/.server/brief";
import { db } from "~/.server/db";
import { ExerciseAuthoring } from "~/components/exercise-authoring";
import { parseForm } from "~/lib/forms";
import { parseParams } from "~/lib/params";
import authorCss from "~/styles/author.css?url";

export const meta: MetaFunction = () => [{ title: "New exercise · Authoring · Tokenwise" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: authorCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "instructor", "admin");
  const url = new URL(request.url);
  const { course } = parseParams(z.object({ course: z.string().max(100).optional() }), {
    course: url.searchParams.get("course") ?? undefined,
  });
  const courses = listAuthoringCatalog(db());
  const chosen = courses.find((c) => c.slug === course) ?? courses[0];
  const text = exerciseTemplate(chosen?.slug ?? "your-course", (chosen?.exercises.length ?? 0) + 1);
  const initial = validateForEditor(db(), text, null);
  return { text, initial: { ...initial, preview: await withRenderedBrief(db(), initial.preview), stale: false } };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "instructor", "admin");
  const parsed = parseForm(editorFormSchema, await request.formData());
  if (!parsed.ok) return data({ ok: false, message: Object.values(parsed.errors).join(" ") }, { status: 400 });
  const { intent, text } = parsed.data;
  if (intent === "save") {
    const saved = saveExerciseDraft(db(), { text, slug: null, userId: user.id });
    if (!saved.ok)
      return data({ ok: false, message: "The draft was not saved.", errors: saved.errors }, { status: saved.status });
    return redirect(`/author/exercises/${saved.slug}/edit?saved=1`);
  }
  // Publishing a new exercise starts with its review: the text becomes the exercise's draft, whose page shows the
  // learner preview and asks to confirm. Refused texts stay here with every error listed.
  const checked = await publishExercise(db(), { text, slug: null, userId: user.id });
  if (!checked.ok && !("review" in checked))
    return data(
      { ok: false, message: "Not published: fix the errors listed below.", errors: checked.errors },
      { status: checked.status },
    );
  const saved = saveExerciseDraft(db(), { text, slug: null, userId: user.id });
  if (!saved.ok) return data({ ok: false, message: "Not published.", errors: saved.errors }, { status: saved.status });
  return redirect(`/author/exercises/${saved.slug}/edit?review=1`);
}

export default function NewExercise() {
  const { text, initial } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  return (
    <>
      <p className="crumbs">
        <Link to="/author">Authoring</Link> /
      </p>
      <h1>New exercise</h1>
      <ExerciseAuthoring slug={null} initialText={text} initial={initial} readOnly={false} outcome={outcome} />
    </>
  );
}
