import {
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/.server/auth";
import { config } from "~/.server/config";
import { db } from "~/.server/db";
import { importView, recentImports, startPullNow } from "~/.server/usage/import-jobs";
import { IMPORTERS } from "~/.server/usage/importers";
import { pullStatus } from "~/.server/usage/pulls";
import { ImportProgress, UploadForm } from "~/components/usage-imports";
import { parseParams } from "~/lib/params";
import adminCss from "~/styles/admin.css?url";

export const meta: MetaFunction = () => [{ title: "Production usage · Tokenwise" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminCss }];

const SOURCE_LABELS: Record<string, string> = {
  focus: "FOCUS cost and usage file (CSV, .csv.gz or Parquet: AWS, Azure, Google Cloud)",
  openai: "OpenAI usage or costs (the API's JSON)",
  anthropic: "Anthropic usage or cost report (the Admin API's JSON)",
  litellm: "LiteLLM spend logs (JSON)",
};

const query = z.object({
  import: z.coerce.number().int().positive().optional(),
  error: z.string().max(500).optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const { import: importId, error } = parseParams(query, Object.fromEntries(new URL(request.url).searchParams));
  const imports = recentImports(db());
  const selected = importId ? importView(db(), importId) : (imports.find((i) => i.status === "running") ?? null);
  return {
    sources: Object.keys(IMPORTERS).map((value) => ({ value, label: SOURCE_LABELS[value] ?? value })),
    maxMb: config().USAGE_UPLOAD_MAX_MB,
    imports,
    selected,
    error: error ?? null,
    pulls: pullStatus(db(), config()),
    pullHours: config().USAGE_PULL_HOURS,
  };
}

const pullForm = z.object({ intent: z.literal("pull"), source: z.enum(["openai", "anthropic", "litellm"]) });

export async function action({ request }: ActionFunctionArgs) {
  await requireRole(request, "admin");
  const parsed = pullForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw new Response("Unknown form.", { status: 400 });
  const pull = pullStatus(db(), config()).find((p) => p.source === parsed.data.source);
  if (!pull?.configured)
    return redirect(
      `/admin/usage?error=${encodeURIComponent(`${pull?.label ?? "That source"} is not configured on the server.`)}`,
    );
  startPullNow(db(), parsed.data.source);
  return redirect("/admin/usage");
}

export default function AdminUsage() {
  const { sources, maxMb, imports, selected, error, pulls, pullHours } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="crumbs">
        <Link to="/admin">Administration</Link> › Production usage
      </p>
      <h1>Production usage</h1>
      <p className="muted">
        The company's own AI bill, imported so it can be attributed to teams and shown back. Importing the same rows
        again adds nothing: each row keeps its source and a stable key, and a restated row replaces the old figures.
        Files up to {maxMb.toLocaleString("en-US")} MB; larger ones with <code>npm run usage:import</code> on the
        server.
      </p>
      <p>
        <Link to="/admin/usage/rules">Attribution rules</Link>: which team or department each piece of usage belongs to.
      </p>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <section className="admin-section">
        <h2>Import a file</h2>
        <UploadForm sources={sources} />
      </section>
      {selected ? <ImportProgress initial={selected} /> : null}
      <section className="admin-section">
        <h2>Scheduled pulls</h2>
        <p className="muted">
          With an admin key in the server's configuration (<code>OPENAI_ADMIN_KEY</code>,{" "}
          <code>ANTHROPIC_ADMIN_KEY</code>, <code>LITELLM_URL</code> and <code>LITELLM_API_KEY</code>), each source is
          pulled every {pullHours} hours by the background upkeep, from two days before where the last pull ended. Keys
          are never stored or shown here.
        </p>
        <table className="table" data-testid="usage-pulls">
          <thead>
            <tr>
              <th>Source</th>
              <th>State</th>
              <th>Last success (UTC)</th>
              <th>Pulled until</th>
              <th>Last error</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {pulls.map((p) => (
              <tr key={p.source}>
                <td>{p.label}</td>
                <td>{!p.configured ? "not configured" : p.inProgress ? "in progress (resumes)" : "scheduled"}</td>
                <td>{p.lastSuccessAt?.slice(0, 16).replace("T", " ") ?? "—"}</td>
                <td>{p.pulledUntil?.slice(0, 16).replace("T", " ") ?? "—"}</td>
                <td>{p.lastError ?? ""}</td>
                <td>
                  {p.configured ? (
                    <Form method="post">
                      <input type="hidden" name="source" value={p.source} />
                      <button type="submit" name="intent" value="pull" className="secondary">
                        Pull now
                      </button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="admin-section">
        <h2>Recent imports</h2>
        {imports.length === 0 ? (
          <p className="muted">Nothing imported yet.</p>
        ) : (
          <table className="table" data-testid="usage-imports">
            <thead>
              <tr>
                <th>Started (UTC)</th>
                <th>Source</th>
                <th>File or report</th>
                <th>Status</th>
                <th className="num">Added</th>
                <th className="num">Updated</th>
                <th className="num">Bad</th>
                <th>Outcome</th>
              </tr>
            </thead>
            <tbody>
              {imports.map((i) => (
                <tr key={i.id}>
                  <td>{i.startedAt.slice(0, 16).replace("T", " ")}</td>
                  <td>{i.source}</td>
                  <td>
                    <Link to={`/admin/usage?import=${i.id}`}>{i.origin}</Link>
                  </td>
                  <td>
                    <span className={`badge import-${i.status}`}>{i.status}</span>
                  </td>
                  <td className="num">{i.rowsAdded.toLocaleString("en-US")}</td>
                  <td className="num">{i.rowsUpdated.toLocaleString("en-US")}</td>
                  <td className="num">{i.rowsBad.toLocaleString("en-US")}</td>
                  <td>{i.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
