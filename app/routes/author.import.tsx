import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/.server/auth";
import { MAX_EXERCISE_TEXT } from "~/.server/authoring/drafts";
import { importExercise } from "~/.server/authoring/exchange";
import { db } from "~/.server/db";
import authorCss from "~/styles/author.css?url";

export const meta: MetaFunction = () => [{ title: "Import an exercise · Authoring · Tokenwise" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: authorCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "instructor", "admin");
  return null;
}

/** Room for the largest exercise file plus the multipart envelope; anything bigger is refused before parsing. */
const MAX_UPLOAD_BYTES = MAX_EXERCISE_TEXT * 4 + 16_384;

function refused(message: string, status: number) {
  return data({ ok: false as const, message, fileName: null, errors: [] }, { status });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "instructor", "admin");
  const length = Number(request.headers.get("Content-Length") ?? 0);
  if (length > MAX_UPLOAD_BYTES) return refused("The upload is too large for an exercise file.", 413);
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return refused("Send the file as a multipart form upload.", 400);
  }
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) return refused("Choose a .yaml file to import.", 400);
  if (!/\.ya?ml$/i.test(file.name)) return refused("The file must be a .yaml file.", 400);
  if (file.size > MAX_UPLOAD_BYTES) return refused("The file is too large for an exercise file.", 413);
  const result = await importExercise(db(), {
    fileName: file.name.replace(/[^\w.-]/g, "_").slice(0, 120),
    text: await file.text(),
    publish: form.get("publish") === "on",
    userId: user.id,
  });
  if (!result.ok)
    return data(
      { ok: false as const, message: "Nothing was imported.", fileName: result.fileName, errors: result.errors },
      { status: result.status },
    );
  const search = result.review ? "review=1" : "saved=1";
  return redirect(`/author/exercises/${result.slug}/edit?${search}`);
}

export default function ImportExercise() {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <p className="crumbs">
        <Link to="/author">Authoring</Link> /
      </p>
      <h1>Import an exercise file</h1>
      <p className="muted">
        The same file format and the same checks as <code>exercises/</code>. A new slug becomes a new exercise made in
        the app; the slug of an exercise made in the app updates it. Exercise files from the repository are refused:
        edit those in the repository.
      </p>
      <Form method="post" encType="multipart/form-data" className="stack narrow-form" aria-label="Import">
        <label>
          YAML file
          <input type="file" name="file" accept=".yaml,.yml,application/yaml,text/yaml" required />
        </label>
        <label className="checkbox">
          <input type="checkbox" name="publish" /> Then review it for publishing (otherwise it is saved as a draft)
        </label>
        <button type="submit" className="primary" disabled={busy}>
          Import
        </button>
      </Form>
      {result && !result.ok ? (
        <div className="form-error" role="alert">
          <p>{result.message}</p>
          {result.errors.length > 0 ? (
            <ol className="validation-errors" data-testid="import-errors">
              {result.errors.map((e) => (
                <li key={`${e.line}:${e.column}:${e.field}`}>
                  <code>
                    {result.fileName}:{e.line}:{e.column}
                  </code>{" "}
                  <code>{e.field}</code> {e.message}
                </li>
              ))}
            </ol>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
