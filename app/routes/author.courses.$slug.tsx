import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Fragment } from "react";
import { z } from "zod";
import { CONTENT_STATUSES } from "#db/schema";
import { requireRole } from "~/.server/auth";
import {
  courseFieldsSchema,
  getCourseForEditing,
  type Lesson,
  lessonSchema,
  moveExercise,
  setCourseLessons,
  updateCourse,
} from "~/.server/authoring/catalog";
import { db } from "~/.server/db";
import { StatusBadge } from "~/components/authoring-nav";
import { Markdown } from "~/components/markdown";
import { parseForm } from "~/lib/forms";
import { parseParams } from "~/lib/params";
import authorCss from "~/styles/author.css?url";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.course.title ?? "Course"} · Authoring · Tokenwise` },
];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: authorCss }];

const paramsSchema = z.object({ slug: z.string().max(100) });

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "instructor", "admin");
  const { slug } = parseParams(paramsSchema, params);
  const found = getCourseForEditing(db(), slug);
  if (!found) throw new Response(`There is no course "${slug}".`, { status: 404 });
  return found;
}

const formSchema = z.discriminatedUnion("intent", [
  courseFieldsSchema.extend({ intent: z.literal("details"), status: z.enum(CONTENT_STATUSES) }),
  z.object({ intent: z.literal("move"), exercise: z.string().max(100), direction: z.enum(["up", "down"]) }),
  z.object({ intent: z.literal("lessons") }),
]);

/** Lessons arrive as parallel repeated fields; a lesson whose text was cleared is removed. */
function parseLessons(form: FormData): { ok: true; lessons: Lesson[] } | { ok: false; error: string } {
  const after = form.getAll("afterPosition");
  const texts = form.getAll("markdown");
  const lessons: Lesson[] = [];
  for (let i = 0; i < texts.length; i++) {
    const markdown = String(texts[i] ?? "");
    if (markdown.trim() === "") continue;
    const parsed = lessonSchema.safeParse({ afterPosition: Number(after[i]), markdown });
    if (!parsed.success) return { ok: false, error: `Lesson ${i + 1}: ${parsed.error.issues[0]?.message}` };
    lessons.push(parsed.data);
  }
  return { ok: true, lessons };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "instructor", "admin");
  const { slug } = parseParams(paramsSchema, params);
  const database = db();
  if (!getCourseForEditing(database, slug)) throw new Response(`There is no course "${slug}".`, { status: 404 });
  const form = await request.formData();
  const parsed = parseForm(formSchema, form);
  if (!parsed.ok) return data({ ok: false as const, errors: parsed.errors, message: null }, { status: 400 });
  const input = parsed.data;
  if (input.intent === "details") {
    updateCourse(database, slug, { title: input.title, description: input.description, status: input.status });
    return { ok: true as const, errors: {}, message: "Course saved." };
  }
  if (input.intent === "move") {
    const moved = moveExercise(database, slug, input.exercise, input.direction);
    if (!moved)
      return data(
        { ok: false as const, errors: { exercise: "That exercise cannot move further." }, message: null },
        { status: 400 },
      );
    return { ok: true as const, errors: {}, message: null };
  }
  const lessons = parseLessons(form);
  if (!lessons.ok)
    return data({ ok: false as const, errors: { lessons: lessons.error }, message: null }, { status: 400 });
  setCourseLessons(database, slug, lessons.lessons, user.id);
  return { ok: true as const, errors: {}, message: "Lessons saved." };
}

export default function AuthorCourse() {
  const { course, exercises, lessons } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  const busy = useNavigation().state !== "idle";
  const fromFiles = exercises.some((e) => e.source === "file");
  const positions = [0, ...exercises.map((_, i) => i + 1)];
  const placeLabel = (n: number) => (n === 0 ? "Before the first exercise" : `After exercise ${n}`);
  const lessonRows = [...lessons, { afterPosition: exercises.length, markdown: "" }];
  return (
    <>
      <p className="crumbs">
        <Link to="/author">Authoring</Link> /
      </p>
      <h1>
        {course.title} <StatusBadge status={course.status} />
      </h1>
      {result?.message ? (
        <p className="banner" role="status">
          {result.message}
        </p>
      ) : null}
      {Object.keys(errors).length > 0 ? (
        <p className="form-error" role="alert">
          {Object.values(errors).join(" ")}
        </p>
      ) : null}

      <section className="author-course">
        <h2>Details</h2>
        <Form method="post" className="stack narrow-form" aria-label="Course details">
          <input type="hidden" name="intent" value="details" />
          <label>
            Title
            <input name="title" defaultValue={course.title} required />
          </label>
          <label>
            Description
            <textarea name="description" rows={4} defaultValue={course.description} required />
          </label>
          <label>
            Status
            <select name="status" defaultValue={course.status}>
              {CONTENT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="primary" disabled={busy}>
            Save course
          </button>
          {fromFiles ? (
            <p className="muted">
              This course has exercise files in <code>exercises/{course.slug}/</code>: the next sync of the files sets
              its title, description and the order of its file exercises back to what the files say.
            </p>
          ) : null}
        </Form>
      </section>

      <section className="author-course">
        <h2>Outline</h2>
        <p className="muted">Learners see the published exercises in this order, with the lessons between them.</p>
        <ol className="course-outline" data-testid="course-outline">
          {positions.map((n) => (
            <Fragment key={n}>
              {n > 0 ? (
                <ExerciseRow exercise={exercises[n - 1]} index={n - 1} last={exercises.length - 1} busy={busy} />
              ) : null}
              {lessons
                .filter((l) => l.afterPosition === n)
                .map((l) => (
                  <li key={`${l.afterPosition}:${l.markdown.slice(0, 40)}`} className="outline-lesson">
                    <Markdown source={l.markdown} />
                  </li>
                ))}
            </Fragment>
          ))}
        </ol>
        <p>
          <Link to={`/author/exercises/new?course=${course.slug}`}>Add an exercise to this course</Link>
        </p>
      </section>

      <section className="author-course">
        <h2>Lessons</h2>
        <p className="muted">
          Markdown, shown between exercises. Clear a lesson's text to remove it. Stored in the settings table under{" "}
          <code>course-lessons:{course.slug}</code>.
        </p>
        <Form method="post" className="stack" aria-label="Lessons">
          <input type="hidden" name="intent" value="lessons" />
          {lessonRows.map((lesson, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are uncontrolled and remount whenever the saved text changes
            <fieldset key={`${i}:${lesson.markdown}`} className="lesson-editor">
              <legend>{i < lessons.length ? `Lesson ${i + 1}` : "New lesson"}</legend>
              <label>
                Place
                <select name="afterPosition" defaultValue={String(Math.min(lesson.afterPosition, exercises.length))}>
                  {positions.map((n) => (
                    <option key={n} value={n}>
                      {placeLabel(n)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Text (Markdown)
                <textarea name="markdown" rows={5} defaultValue={lesson.markdown} />
              </label>
            </fieldset>
          ))}
          <button type="submit" className="primary" disabled={busy}>
            Save lessons
          </button>
        </Form>
      </section>
    </>
  );
}

function ExerciseRow({
  exercise,
  index,
  last,
  busy,
}: {
  exercise: { slug: string; title: string; status: "draft" | "published" | "archived"; version: number | null };
  index: number;
  last: number;
  busy: boolean;
}) {
  return (
    <li className="outline-exercise">
      <span className="outline-title">
        {index + 1}. <Link to={`/author/exercises/${exercise.slug}/edit`}>{exercise.title}</Link>{" "}
        <StatusBadge status={exercise.status} />
        {exercise.version === null ? null : <span className="muted"> v{exercise.version}</span>}
      </span>
      <Form method="post" className="inline-form">
        <input type="hidden" name="intent" value="move" />
        <input type="hidden" name="exercise" value={exercise.slug} />
        <button
          type="submit"
          name="direction"
          value="up"
          disabled={busy || index === 0}
          aria-label={`Move ${exercise.title} up`}
        >
          ↑
        </button>
        <button
          type="submit"
          name="direction"
          value="down"
          disabled={busy || index === last}
          aria-label={`Move ${exercise.title} down`}
        >
          ↓
        </button>
      </Form>
    </li>
  );
}
