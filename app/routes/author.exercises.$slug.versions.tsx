import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/.server/auth";
import { diffVersions, listVersions, setArchived } from "~/.server/authoring/versions";
import { db } from "~/.server/db";
import { ExerciseAuthoringNav, StatusBadge } from "~/components/authoring-nav";
import { DiffTable } from "~/components/diff-table";
import { parseForm } from "~/lib/forms";
import { parseParams } from "~/lib/params";
import authorCss from "~/styles/author.css?url";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Versions of ${data?.exercise.slug ?? "exercise"} · Authoring · Tokenwise` },
];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: authorCss }];

const paramsSchema = z.object({ slug: z.string().max(100) });
const querySchema = z.object({
  from: z.coerce.number().int().min(1).optional(),
  to: z.coerce.number().int().min(1).optional(),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "instructor", "admin");
  const { slug } = parseParams(paramsSchema, params);
  const url = new URL(request.url);
  const query = parseParams(querySchema, {
    from: url.searchParams.get("from") || undefined,
    to: url.searchParams.get("to") || undefined,
  });
  const found = listVersions(db(), slug);
  if (!found) throw new Response(`There is no exercise "${slug}".`, { status: 404 });
  const numbers = found.versions.map((v) => v.version);
  // By default, what the latest publish changed.
  const to = query.to ?? numbers.at(-1);
  const from = query.from ?? numbers.at(-2);
  const diff = from !== undefined && to !== undefined ? diffVersions(db(), slug, from, to) : null;
  if ((query.from !== undefined || query.to !== undefined) && !diff)
    throw new Response("There is no such version to compare.", { status: 404 });
  return { ...found, diff };
}

const formSchema = z.object({ intent: z.enum(["archive", "restore"]) });

export async function action({ request, params }: ActionFunctionArgs) {
  await requireRole(request, "instructor", "admin");
  const { slug } = parseParams(paramsSchema, params);
  const parsed = parseForm(formSchema, await request.formData());
  if (!parsed.ok) return data({ ok: false, message: Object.values(parsed.errors).join(" ") }, { status: 400 });
  const changed = setArchived(db(), slug, parsed.data.intent === "archive");
  if (!changed.ok) return data({ ok: false, message: changed.message }, { status: 409 });
  return {
    ok: true,
    message:
      parsed.data.intent === "archive" ? "Archived: learners no longer see it." : "Restored: learners see it again.",
  };
}

const when = (d: Date | string) => new Date(d).toISOString().slice(0, 16).replace("T", " ");

export default function ExerciseVersions() {
  const { exercise, versions, diff } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <p className="crumbs">
        <Link to="/author">Authoring</Link> /
      </p>
      <h1>
        <code>{exercise.slug}</code> <StatusBadge status={exercise.status} />
      </h1>
      <ExerciseAuthoringNav slug={exercise.slug} />
      {result ? (
        <p className={result.ok ? "banner" : "form-error"} role={result.ok ? "status" : "alert"}>
          {result.message}
        </p>
      ) : null}
      <p className="muted">
        Every publish is a new version; an attempt stays graded on the version it was submitted against, so scores never
        change after the fact.
      </p>
      {versions.length === 0 ? (
        <p>Not published yet.</p>
      ) : (
        <table className="table" data-testid="versions">
          <thead>
            <tr>
              <th>Version</th>
              <th>Published (UTC)</th>
              <th>Content hash</th>
              <th>Attempts graded on it</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id}>
                <td>
                  v{v.version} {v.current ? <span className="badge">current</span> : null}
                </td>
                <td>{when(v.createdAt)}</td>
                <td>
                  <code title={v.contentHash}>{v.contentHash.slice(0, 12)}</code>
                </td>
                <td>{v.attempts}</td>
                <td>
                  <Link to={`/author/exercises/${exercise.slug}/export?version=${v.version}`} reloadDocument>
                    download
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {exercise.status === "published" ? (
        <Form method="post" className="inline-form">
          <button type="submit" name="intent" value="archive" disabled={busy}>
            Archive
          </button>{" "}
          <span className="muted">Hides it from learners; attempts and versions are kept.</span>
          {exercise.source === "file" ? (
            <span className="muted">
              {" "}
              The next sync of exercises/ publishes a file exercise again; delete its file to retire it.
            </span>
          ) : null}
        </Form>
      ) : null}
      {exercise.status === "archived" ? (
        <Form method="post" className="inline-form">
          <button type="submit" name="intent" value="restore" className="primary" disabled={busy}>
            Restore
          </button>{" "}
          <span className="muted">Learners get the current version again.</span>
        </Form>
      ) : null}

      {versions.length >= 2 ? (
        <section className="author-course">
          <h2>Compare versions</h2>
          <Form method="get" className="inline-form" aria-label="Compare versions">
            <label>
              From{" "}
              <select name="from" defaultValue={diff?.from}>
                {versions.map((v) => (
                  <option key={v.id} value={v.version}>
                    v{v.version}
                  </option>
                ))}
              </select>
            </label>{" "}
            <label>
              to{" "}
              <select name="to" defaultValue={diff?.to}>
                {versions.map((v) => (
                  <option key={v.id} value={v.version}>
                    v{v.version}
                  </option>
                ))}
              </select>
            </label>{" "}
            <button type="submit">Compare</button>
          </Form>
          {diff ? (
            <>
              <p>
                v{diff.from} → v{diff.to}: <span className="diff-added-count">+{diff.added}</span>{" "}
                <span className="diff-removed-count">−{diff.removed}</span> lines
              </p>
              <DiffTable rows={diff.rows} />
            </>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
