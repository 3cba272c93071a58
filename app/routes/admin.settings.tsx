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
import { db } from "~/.server/db";
import { getSettings, setSetting } from "~/.server/settings";
import { parseForm } from "~/lib/forms";
import adminCss from "~/styles/admin.css?url";

export const meta: MetaFunction = () => [{ title: "Settings · Tokenwise" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return { settings: getSettings(db()) };
}

// An unticked checkbox sends nothing, so absence means off; "on" is what browsers send for a ticked one.
const settingsForm = z.object({
  intent: z.literal("save", { errorMap: () => ({ message: "Unknown form" }) }),
  privacyMode: z
    .enum(["on", "true", "false"], { errorMap: () => ({ message: "Privacy mode is on or off" }) })
    .optional()
    .transform((v) => v === "on" || v === "true"),
  focusExportEmails: z
    .enum(["on", "true", "false"], { errorMap: () => ({ message: "E-mails in the FOCUS export are on or off" }) })
    .optional()
    .transform((v) => v === "on" || v === "true"),
});

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const parsed = parseForm(settingsForm, await request.formData());
  if (!parsed.ok) return data({ ok: false, errors: parsed.errors }, { status: 400 });
  setSetting(db(), "privacyMode", parsed.data.privacyMode, admin.id);
  setSetting(db(), "focusExportEmails", parsed.data.focusExportEmails, admin.id);
  return data({ ok: true, errors: {} as Record<string, string> });
}

export default function AdminSettings() {
  const { settings } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <p className="crumbs">
        <Link to="/admin">Administration</Link> › Settings
      </p>
      <h1>Settings</h1>
      {result?.ok ? (
        <p className="banner" role="status">
          Settings saved.
        </p>
      ) : null}
      {result && !result.ok ? (
        <p className="form-error" role="alert">
          {Object.values(result.errors).join(" ")}
        </p>
      ) : null}
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="save" />
        <fieldset className="checkbox-group">
          <legend>Leaderboard privacy</legend>
          <div className="checkbox-row">
            <label>
              <input type="checkbox" name="privacyMode" defaultChecked={settings.privacyMode} />
              Privacy mode
            </label>
          </div>
          <p className="muted">
            When on, a learner sees on leaderboards the names of their own team's members only; managers and admins
            still see every name.
          </p>
        </fieldset>
        <fieldset className="checkbox-group">
          <legend>FOCUS export</legend>
          <div className="checkbox-row">
            <label>
              <input type="checkbox" name="focusExportEmails" defaultChecked={settings.focusExportEmails} />
              Put e-mail addresses in the FOCUS export's Tags
            </label>
          </div>
          <p className="muted">
            Off (the default), each user is tagged <code>user_hash</code>: a keyed hash of the address that is the same
            for the same person in every export but cannot be turned back into the address. Turn on only when the FinOps
            tool receiving the file may hold employees' e-mail addresses.
          </p>
        </fieldset>
        <div>
          <button type="submit" className="primary" disabled={busy}>
            Save
          </button>
        </div>
      </Form>
    </>
  );
}
