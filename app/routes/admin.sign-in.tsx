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
import { CLAIM_NAME, config } from "~/.server/config";
import { db } from "~/.server/db";
import { checkProvider, issuerProblem, redirectUri } from "~/.server/sign-in/oidc-flow";
import {
  activeOidcSettings,
  adminProof,
  oidcSettingsView,
  passwordPolicy,
  saveOidcSettings,
  setPasswordsOff,
} from "~/.server/sign-in/oidc-settings";
import { parseForm } from "~/lib/forms";
import adminCss from "~/styles/admin.css?url";

export const meta: MetaFunction = () => [{ title: "Sign-in · Administration · Tokenwise" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const database = db();
  return {
    // Never the client secret: only whether one is stored.
    oidc: oidcSettingsView(database),
    redirectUri: redirectUri(),
    active: activeOidcSettings(database) !== null,
    proof: adminProof(database),
    policy: passwordPolicy(database),
  };
}

const optionalClaim = z
  .string()
  .trim()
  .max(200)
  .refine((v) => v === "" || CLAIM_NAME.test(v), "Use a claim name such as team (letters, digits, _ : . / -)")
  .transform((v) => v || null);

const providerForm = z.object({
  intent: z.literal("save"),
  enabled: z
    .enum(["on"])
    .optional()
    .transform((v) => v === "on"),
  issuer: z
    .string()
    .trim()
    .min(1, "Enter the issuer URL")
    .max(500)
    .superRefine((v, ctx) => {
      const problem = issuerProblem(v);
      if (problem) ctx.addIssue({ code: "custom", message: `The issuer URL ${problem}` });
    }),
  clientId: z.string().trim().min(1, "Enter the client id").max(500),
  clientSecret: z.string().max(2000).default(""),
  emailClaim: z.string().trim().regex(CLAIM_NAME, "Use a claim name such as email or upn"),
  teamClaim: optionalClaim,
  departmentClaim: optionalClaim,
});

const otherForm = z.object({ intent: z.enum(["test", "passwords-off", "passwords-on"]) });

type Outcome = { ok: boolean; message: string; errors: Record<string, string> };

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const database = db();
  const form = await request.formData();
  const reply = (ok: boolean, message: string, errors: Record<string, string> = {}, status = ok ? 200 : 400) =>
    data<Outcome>({ ok, message, errors }, { status });
  if (form.get("intent") === "save") {
    if (config().OIDC_ISSUER) return reply(false, "Company sign-in is set by environment variables.", {}, 409);
    const parsed = parseForm(providerForm, form);
    if (!parsed.ok) return reply(false, "Not saved: fix the fields marked below.", parsed.errors);
    const saved = saveOidcSettings(database, parsed.data, admin.id);
    if (!saved.ok) return reply(false, "Not saved: fix the fields marked below.", saved.errors);
    return reply(true, "Company sign-in settings saved.");
  }
  const parsed = parseForm(otherForm, form);
  if (!parsed.ok) return reply(false, "Unknown form.");
  if (parsed.data.intent === "test") {
    const settings = activeOidcSettings(database);
    if (!settings) return reply(false, "Company sign-in is off or not set up: save and turn it on first.");
    const checked = await checkProvider(settings);
    return checked.ok ? reply(true, checked.message) : reply(false, checked.message, {}, 502);
  }
  const off = parsed.data.intent === "passwords-off";
  if (passwordPolicy(database).source === "environment")
    return reply(false, "Password sign-in is set by the LOCAL_PASSWORDS environment variable.", {}, 409);
  const changed = setPasswordsOff(database, off, admin.id);
  if (!changed.ok) return reply(false, changed.error, {}, 409);
  return reply(
    true,
    off ? "Password sign-in is off: everyone signs in with the company account." : "Password sign-in is on.",
  );
}

export default function AdminSignIn() {
  const { oidc, redirectUri, active, proof, policy } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  const busy = useNavigation().state !== "idle";
  const fromEnv = oidc?.source === "environment";
  const field = (name: string) => (errors[name] ? <span className="field-error">{errors[name]}</span> : null);
  return (
    <>
      <p className="crumbs">
        <Link to="/admin">Administration</Link> › Sign-in
      </p>
      <h1>Sign-in</h1>
      {result ? (
        <p className={result.ok ? "banner" : "form-error"} role={result.ok ? "status" : "alert"}>
          {result.message}
        </p>
      ) : null}
      <h2>Company account (OpenID Connect)</h2>
      <p className="muted">
        Register Tokenwise at your identity provider (Entra ID, Okta, Google Workspace, Keycloak…) as a web application
        with this redirect URI:{" "}
        <code className="wrap-anywhere" data-testid="redirect-uri">
          {redirectUri}
        </code>
        . People who sign in for the first time get a learner account.
      </p>
      {fromEnv ? (
        <p className="banner">
          Set by environment variables (OIDC_*): change them there. The client secret is not shown.
        </p>
      ) : null}
      {oidc?.secretUnreadable ? (
        <p className="form-error" role="alert">
          The stored client secret cannot be read (SESSION_SECRET changed): enter it again.
        </p>
      ) : null}
      <Form method="post" className="stack sign-in-form" autoComplete="off">
        <input type="hidden" name="intent" value="save" />
        <fieldset disabled={fromEnv} className="stack">
          <div className="checkbox-row">
            <label>
              <input type="checkbox" name="enabled" defaultChecked={oidc?.enabled ?? false} />
              Offer “Sign in with your company account”
            </label>
          </div>
          <label>
            Issuer URL
            <input name="issuer" type="url" defaultValue={oidc?.issuer ?? ""} aria-invalid={!!errors.issuer} />
            {field("issuer")}
          </label>
          <label>
            Client id
            <input name="clientId" defaultValue={oidc?.clientId ?? ""} aria-invalid={!!errors.clientId} />
            {field("clientId")}
          </label>
          <label>
            Client secret
            <input
              name="clientSecret"
              type="password"
              autoComplete="new-password"
              placeholder={oidc?.hasSecret && !oidc.secretUnreadable ? "Stored: leave empty to keep it" : ""}
              aria-invalid={!!errors.clientSecret}
            />
            {field("clientSecret")}
          </label>
          <label>
            Claim that holds the email address
            <input name="emailClaim" defaultValue={oidc?.emailClaim ?? "email"} aria-invalid={!!errors.emailClaim} />
            {field("emailClaim")}
            <span className="muted">
              With <code>email</code>, the provider must also say the address is verified (email_verified).
            </span>
          </label>
          <label>
            Claim that names the team (optional)
            <input name="teamClaim" defaultValue={oidc?.teamClaim ?? ""} aria-invalid={!!errors.teamClaim} />
            {field("teamClaim")}
          </label>
          <label>
            Claim that names the department (optional)
            <input
              name="departmentClaim"
              defaultValue={oidc?.departmentClaim ?? ""}
              aria-invalid={!!errors.departmentClaim}
            />
            {field("departmentClaim")}
            <span className="muted">
              A team claim that names an existing team puts the person in it at each sign-in; the department claim picks
              between teams of the same name.
            </span>
          </label>
          <div>
            <button type="submit" className="primary" disabled={busy}>
              Save
            </button>
          </div>
        </fieldset>
      </Form>
      {active ? (
        <Form method="post">
          <input type="hidden" name="intent" value="test" />
          <button type="submit" disabled={busy}>
            Test the connection
          </button>
        </Form>
      ) : null}

      <h2>Passwords</h2>
      <p data-testid="password-policy">
        {policy.passwordsOff ? "Password sign-in is off." : "Password sign-in is on."}
        {policy.breakGlass
          ? " Break glass is set (LOCAL_SIGN_IN_BREAK_GLASS): admins may still use their password."
          : ""}
      </p>
      {policy.source === "environment" ? (
        <p className="muted">Set by the LOCAL_PASSWORDS environment variable.</p>
      ) : (
        <>
          <p className="muted">
            {proof
              ? `An admin signed in with the company account on ${proof.at.slice(0, 16).replace("T", " ")} UTC, so password sign-in can be turned off.`
              : "Password sign-in can be turned off once an admin has signed in with the company account through the provider set up above, so nobody is locked out."}
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value={policy.passwordsOff ? "passwords-on" : "passwords-off"} />
            <button type="submit" disabled={busy}>
              {policy.passwordsOff ? "Turn password sign-in on" : "Turn password sign-in off"}
            </button>
          </Form>
        </>
      )}
    </>
  );
}
