import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/.server/auth";
import { createCourse, listAuthoringCatalog, newCourseSchema } from "~/.server/authoring/catalog";
import { db } from "~/.server/db";
import { StatusBadge } from "~/components/authoring-nav";
import { parseForm } from "~/lib/forms";
import authorCss from "~/styles/author.css?url";

export const meta: MetaFunction = () => [{ title: "Authoring · Tokenwise" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: authorCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "instructor", "admin");
  return { courses: listAuthoringCatalog(db()) };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, "instructor", "admin");
  const parsed = parseForm(newCourseSchema, await request.formData());
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const created = createCourse(db(), parsed.data);
  if (!created.ok) return data({ errors: created.errors }, { status: 409 });
  return redirect(`/author/courses/${parsed.data.slug}`);
}

const when = (d: Date | string) => new Date(d).toISOString().slice(0, 16).replace("T", " ");

export default function AuthorIndex() {
  const { courses } = useLoaderData<typeof loader>();
  const errors = useActionData<typeof action>()?.errors ?? {};
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <h1>Authoring</h1>
      <p className="author-actions">
        <Link to="/author/exercises/new" className="button primary">
          New exercise
        </Link>
        <Link to="/author/import" className="button secondary">
          Import a YAML file
        </Link>
        <Link to="/author/reference" className="button secondary">
          Field reference
        </Link>
      </p>
      {courses.map((course) => (
        <section key={course.slug} className="author-course" aria-label={course.title}>
          <h2>
            <Link to={`/author/courses/${course.slug}`}>{course.title}</Link> <StatusBadge status={course.status} />
          </h2>
          {course.exercises.length === 0 ? (
            <p className="muted">No exercises yet.</p>
          ) : (
            <table className="table" data-testid={`course-${course.slug}`}>
              <thead>
                <tr>
                  <th>#</th>
                  <th>Exercise</th>
                  <th>Status</th>
                  <th>Version</th>
                  <th>Source</th>
                  <th>Last change (UTC)</th>
                  <th>
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {course.exercises.map((e, i) => (
                  <tr key={e.slug}>
                    <td>{i + 1}</td>
                    <td>
                      <Link to={`/author/exercises/${e.slug}/edit`}>{e.title}</Link>
                      <div className="muted">
                        <code>{e.slug}</code>
                      </div>
                    </td>
                    <td>
                      <StatusBadge status={e.status} />
                      {e.hasDraft && e.status !== "draft" ? <span className="badge">unpublished changes</span> : null}
                    </td>
                    <td>{e.version === null ? "—" : `v${e.version}`}</td>
                    <td>{e.source === "file" ? "file" : "app"}</td>
                    <td>{when(e.lastChange)}</td>
                    <td className="row-links">
                      <Link to={`/author/exercises/${e.slug}/versions`}>versions</Link>{" "}
                      <Link to={`/author/exercises/${e.slug}/calibrate`}>calibrate</Link>{" "}
                      <Link to={`/author/exercises/${e.slug}/analytics`}>analytics</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
      <section className="author-course">
        <h2>New course</h2>
        <Form method="post" className="stack narrow-form" aria-label="New course">
          <label>
            Slug
            <input name="slug" placeholder="caching-basics" required aria-invalid={Boolean(errors.slug)} />
            {errors.slug ? <span className="field-error">{errors.slug}</span> : null}
          </label>
          <label>
            Title
            <input name="title" required aria-invalid={Boolean(errors.title)} />
            {errors.title ? <span className="field-error">{errors.title}</span> : null}
          </label>
          <label>
            Description
            <textarea name="description" rows={3} required aria-invalid={Boolean(errors.description)} />
            {errors.description ? <span className="field-error">{errors.description}</span> : null}
          </label>
          <button type="submit" className="primary" disabled={busy}>
            Create course
          </button>
          <p className="muted">A new course starts as a draft; publish it from its page once it has exercises.</p>
        </Form>
      </section>
    </>
  );
}
