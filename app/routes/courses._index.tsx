import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/.server/auth";
import { listCourses } from "~/.server/catalog";
import { db } from "~/.server/db";
import { ProgressBar } from "~/components/progress-bar";

export const meta: MetaFunction = () => [{ title: "Courses · Tokenwise" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { name: user.name, courses: listCourses(db(), user.id) };
}

export default function Courses() {
  const { name, courses } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Welcome, {name.split(" ")[0]}</h1>
      <p className="muted">Each exercise gives you a wasteful prompt. Make it cheaper without making it worse.</p>
      <ul className="card-list">
        {courses.map((c) => (
          <li key={c.slug} className="card">
            <h2>
              <Link to={`/courses/${c.slug}`}>{c.title}</Link>
            </h2>
            <p>{c.description}</p>
            <ProgressBar done={c.passed} total={c.exercises} label={`${c.passed} of ${c.exercises} exercises passed`} />
          </li>
        ))}
      </ul>
    </>
  );
}
