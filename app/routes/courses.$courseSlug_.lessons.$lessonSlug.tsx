import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "~/.server/auth";
import { getCourseWithExercises } from "~/.server/catalog";
import { db } from "~/.server/db";
import { getFileLesson } from "~/.server/file-lessons";
import { Markdown } from "~/components/markdown";
import { parseParams } from "~/lib/params";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.lesson.title ?? "Lesson"} · ${data?.course.title ?? "Course"} · Tokenwise` },
];

const paramsSchema = z.object({
  courseSlug: z.string().max(100),
  lessonSlug: z.string().max(100),
});

/** One lesson of a published course, on its own page, with the way on: the next lesson or the exercise it leads to. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { courseSlug, lessonSlug } = parseParams(paramsSchema, params);
  const found = getCourseWithExercises(db(), courseSlug, user.id);
  const lesson = found ? getFileLesson(db(), courseSlug, lessonSlug) : null;
  if (!found || !lesson) throw new Response("There is no such lesson in a published course.", { status: 404 });
  const nextExercise = found.exercises[lesson.lesson.afterPosition] ?? null;
  return {
    course: { slug: found.course.slug, title: found.course.title },
    lesson: lesson.lesson,
    previous: lesson.previous && { slug: lesson.previous.slug, title: lesson.previous.title },
    next: lesson.next && { slug: lesson.next.slug, title: lesson.next.title },
    nextExercise: nextExercise && { slug: nextExercise.slug, title: nextExercise.title },
  };
}

export default function Lesson() {
  const { course, lesson, previous, next, nextExercise } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="crumbs">
        <Link to="/courses">Courses</Link> / <Link to={`/courses/${course.slug}`}>{course.title}</Link> /
      </p>
      <article className="lesson">
        <h1>{lesson.title}</h1>
        <Markdown source={lesson.markdown} />
      </article>
      <nav aria-label="Lessons and exercises" className="lesson-nav">
        <ul>
          {previous ? (
            <li>
              Previous lesson: <Link to={`/courses/${course.slug}/lessons/${previous.slug}`}>{previous.title}</Link>
            </li>
          ) : null}
          {next ? (
            <li>
              Next lesson: <Link to={`/courses/${course.slug}/lessons/${next.slug}`}>{next.title}</Link>
            </li>
          ) : null}
          {nextExercise ? (
            <li>
              Put it into practice: <Link to={`/exercises/${nextExercise.slug}`}>{nextExercise.title}</Link>
            </li>
          ) : null}
          <li>
            <Link to={`/courses/${course.slug}`}>Back to {course.title}</Link>
          </li>
        </ul>
      </nav>
    </>
  );
}
