import { useNavigate, useRevalidator } from "@remix-run/react";
import { type FormEvent, useEffect, useState } from "react";
import type { ImportView } from "~/.server/usage/import-jobs";
import { ProgressBar } from "./progress-bar";

/**
 * The admin's usage import: an upload form that works without JavaScript (a plain multipart post) and, with
 * it, shows the upload's progress; and an import's progress, polled from /admin/usage/imports/:id.json while
 * it runs.
 */

const count = (n: number) => n.toLocaleString("en-US");
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function UploadForm({ sources }: { sources: { value: string; label: string }[] }) {
  const navigate = useNavigate();
  const [upload, setUpload] = useState<{ sent: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => setUpload({ sent: e.loaded, total: e.total });
    xhr.onerror = () => {
      setUpload(null);
      setError("The upload did not reach the server: check the connection and try again.");
    };
    xhr.onload = () => {
      setUpload(null);
      let body: { importId?: number; error?: string } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = { error: `The server answered ${xhr.status}.` };
      }
      if (body.importId) navigate(`/admin/usage?import=${body.importId}`);
      else setError(body.error ?? `The server answered ${xhr.status}.`);
    };
    setError(null);
    setUpload({ sent: 0, total: 1 });
    xhr.send(new FormData(form));
  };

  return (
    <form
      method="post"
      action="/admin/usage/upload"
      encType="multipart/form-data"
      className="row-form"
      onSubmit={submit}
      data-testid="usage-upload"
    >
      <label>
        Kind of file
        <select name="source" defaultValue={sources[0]?.value}>
          {sources.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        File
        <input type="file" name="file" required />
      </label>
      <fieldset className="checkbox-group">
        <legend>Rows that cannot be read</legend>
        <label>
          <input type="radio" name="policy" value="keep" defaultChecked /> Import the good rows and list the bad ones
        </label>
        <label>
          <input type="radio" name="policy" value="refuse" /> Refuse the whole file if any row is bad
        </label>
      </fieldset>
      <button type="submit" className="primary" disabled={upload !== null}>
        Import
      </button>
      {upload ? (
        <ProgressBar
          done={upload.sent}
          total={upload.total}
          label={`Uploading: ${mb(upload.sent)} of ${mb(upload.total)}`}
        />
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

/** An import's progress and outcome; polls while it runs, then refreshes the page's data once. */
export function ImportProgress({ initial }: { initial: ImportView }) {
  const [current, setCurrent] = useState(initial);
  const { revalidate } = useRevalidator();
  useEffect(() => setCurrent(initial), [initial]);
  useEffect(() => {
    if (current.status !== "running") return;
    const timer = setTimeout(async () => {
      try {
        const res = await fetch(`/admin/usage/imports/${current.id}.json`, { headers: { Accept: "application/json" } });
        if (!res.ok) return;
        const next = (await res.json()) as ImportView;
        setCurrent(next);
        if (next.status !== "running") revalidate();
      } catch {
        // The next tick tries again.
      }
    }, 800);
    return () => clearTimeout(timer);
  }, [current, revalidate]);

  const c = current;
  const total = c.bytesTotal ?? 0;
  return (
    <section className="card import-progress" aria-live="polite" data-testid="import-progress" data-status={c.status}>
      <h3>
        {c.origin} <span className={`badge import-${c.status}`}>{c.status}</span>
      </h3>
      {c.status === "running" ? (
        <ProgressBar done={Math.min(c.bytesRead, total)} total={total} label={`${count(c.rowsRead)} rows read`} />
      ) : null}
      {c.message ? <p>{c.message}</p> : null}
      <p className="muted">
        {count(c.rowsAdded)} added · {count(c.rowsUpdated)} updated · {count(c.rowsUnchanged)} already imported ·{" "}
        {count(c.rowsSkipped)} skipped · {count(c.rowsBad)} bad
      </p>
      {c.errors.length > 0 ? (
        <details open>
          <summary>
            Bad rows{c.rowsBad > c.errors.length ? ` (the first ${c.errors.length} of ${count(c.rowsBad)})` : ""}
          </summary>
          <ul className="import-errors" data-testid="import-errors">
            {c.errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
