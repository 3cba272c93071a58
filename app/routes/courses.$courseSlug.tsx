import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "~/.server/auth";
import { getCourseLessons } from "~/.server/authoring/catalog";
import { getCourseWithExercises } from "~/.server/catalog";
import { db } from "~/.server/db";
import { getFileLessons } from "~/.server/file-lessons";
import { Markdown } from "~/components/markdown";
import { DifficultyDots } from "~/components/pass-mark";
import { ProgressBar } from "~/components/progress-bar";
import { parseParams } from "~/lib/params";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.course.title ?? "Course"} · Tokenwise` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { courseSlug } = parseParams(z.object({ courseSlug: z.string().max(100) }), params);
  const found = getCourseWithExercises(db(), courseSlug, user.id);
  if (!found) throw new Response("There is no published course at this address.", { status: 404 });
  return { ...found, lessons: getCourseLessons(db(), courseSlug), fileLessons: getFileLessons(db(), courseSlug) };
}

export default function Course() {
  const { course, exercises, lessons, fileLessons } = useLoaderData<typeof loader>();
  // A lesson placed after position n is shown after the nth exercise (0: before the first; past the last exercise:
  // after it): the course's lesson files first, with a title that opens the lesson on its own page, then the lessons
  // written in the app.
  const lessonsAfter = (n: number) => [
    ...fileLessons
      .filter((l) => l.afterPosition === n || (n === exercises.length && l.afterPosition > n))
      .map((l) => (
        <tr key={`file-lesson-${l.slug}`} className="lesson-row">
          <td colSpan={6}>
            <h2 className="lesson-title">
              <Link to={`/courses/${course.slug}/lessons/${l.slug}`}>Lesson: {l.title}</Link>
            </h2>
            <Markdown source={l.markdown} headingLevel={3} />
          </td>
        </tr>
      )),
    ...lessons
      .filter((l) => l.afterPosition === n)
      .map((l) => (
        <tr key={`lesson-${n}-${l.markdown.slice(0, 20)}`} className="lesson-row">
          <td colSpan={6}>
            <Markdown source={l.markdown} />
          </td>
        </tr>
      )),
  ];
  const passed = exercises.filter((e) => e.passed).length;
  return (
    <>
      <p className="crumbs">
        <Link to="/courses">Courses</Link> /
      </p>
      <h1>{course.title}</h1>
      <p>{course.description}</p>
      <ProgressBar done={passed} total={exercises.length} label={`${passed} of ${exercises.length} passed`} />
      <table className="table">
        <thead>
          <tr>
            <th>#</th>
            <th>Exercise</th>
            <th>Skill</th>
            <th>Model tier</th>
            <th>Difficulty</th>
            <th>Your best</th>
          </tr>
        </thead>
        <tbody>
          {lessonsAfter(0)}
          {exercises.map((e, i) => [
            <tr key={e.slug}>
              <td>{i + 1}</td>
              <td>
                <Link to={`/exercises/${e.slug}`}>{e.title}</Link>
              </td>
              <td>{e.skill}</td>
              <td>{e.tier}</td>
              <td>
                <DifficultyDots level={e.difficulty} />
              </td>
              <td>
                {e.passed ? (
                  <span className="badge pass">
                    <span aria-hidden="true">✓</span> passed, best score {e.bestScore}
                  </span>
                ) : e.attempts > 0 ? (
                  <span className="badge">{e.attempts} tries</span>
                ) : (
                  <span className="muted">not started</span>
                )}
              </td>
            </tr>,
            ...lessonsAfter(i + 1),
          ])}
        </tbody>
      </table>
    </>
  );
}
