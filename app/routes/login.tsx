import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { authenticate, createSession, getUser, safeRedirect, userIsAdmin } from "~/.server/auth";
import { config } from "~/.server/config";
import { db } from "~/.server/db";
import { recordSignInFailure, recordSignInSuccess, signInRefusal } from "~/.server/login-throttle";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "~/.server/seed";
import { activeOidcSettings, passwordPolicy } from "~/.server/sign-in/oidc-settings";
import { failureFromCode, signInFailure } from "~/.server/sign-in/sign-in-failures";
import { PASSWORD_MAX_LENGTH } from "~/domain/password-links";
import { parseForm } from "~/lib/forms";

export const meta: MetaFunction = () => [{ title: "Sign in · Tokenwise" }];

const loginSchema = z.object({
  email: z.string({ required_error: "Enter your email" }).trim().email("Enter a valid email address"),
  password: z.string({ required_error: "Enter your password" }).min(1, "Enter your password").max(PASSWORD_MAX_LENGTH),
  redirectTo: z.string().optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  // Public page: an already signed-in user is sent on.
  if (await getUser(request)) throw redirect("/");
  const database = db();
  const policy = passwordPolicy(database);
  return {
    demo: config().DEMO_SEED && !policy.passwordsOff ? { accounts: DEMO_ACCOUNTS, password: DEMO_PASSWORD } : null,
    companySignIn: activeOidcSettings(database) !== null,
    // Under break glass the password form stays, for admins only.
    passwords: !policy.passwordsOff || policy.breakGlass,
    companyError: failureFromCode(new URL(request.url).searchParams.get("error"))?.message ?? null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  // Public action: it is the authorisation step itself, throttled per account and per address.
  const parsed = parseForm(loginSchema, await request.formData());
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const address = (context as { clientIp?: string }).clientIp ?? "unknown";
  const refusal = await signInRefusal(parsed.data.email, address);
  if (refusal) return data({ errors: { form: refusal } }, { status: 429 });
  const policy = passwordPolicy(db());
  const passwordsOff = { errors: { form: signInFailure("passwords-off").message } };
  if (policy.passwordsOff && !policy.breakGlass) return data(passwordsOff, { status: 403 });
  const auth = await authenticate(parsed.data.email, parsed.data.password);
  if (auth.ok && policy.passwordsOff && !userIsAdmin(db(), auth.userId)) return data(passwordsOff, { status: 403 });
  if (!auth.ok && auth.deactivated)
    return data({ errors: { form: "This account has been deactivated. Ask an administrator." } }, { status: 403 });
  if (!auth.ok) {
    await recordSignInFailure(parsed.data.email, address);
    return data({ errors: { form: "That email and password do not match an account." } }, { status: 401 });
  }
  const userId = auth.userId;
  await recordSignInSuccess(parsed.data.email);
  return redirect(safeRedirect(parsed.data.redirectTo, "/"), {
    headers: { "Set-Cookie": await createSession(userId) },
  });
}

export default function Login() {
  const { demo, companySignIn, passwords, companyError } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string | undefined> = result?.errors ?? {};
  const [params] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  return (
    <section className="login">
      <h1>Sign in to Tokenwise</h1>
      <p className="muted">Write prompts that cost less and work as well.</p>
      {companyError ? (
        <p className="form-error" role="alert" data-testid="company-sign-in-error">
          {companyError}
        </p>
      ) : null}
      {companySignIn ? (
        <p>
          <a
            className={passwords ? "button" : "button primary"}
            href={`/auth/oidc/start?${new URLSearchParams({ returnTo: params.get("redirectTo") ?? "" })}`}
          >
            Sign in with your company account
          </a>
        </p>
      ) : null}
      {passwords ? (
        <Form method="post" className="stack" noValidate>
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
          <label>
            Email
            <input name="email" type="email" autoComplete="username" required aria-invalid={!!errors.email} />
            {errors.email ? <span className="field-error">{errors.email}</span> : null}
          </label>
          <label>
            Password
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              required
              aria-invalid={!!errors.password}
            />
            {errors.password ? <span className="field-error">{errors.password}</span> : null}
          </label>
          {errors.form ? (
            <p className="form-error" role="alert">
              {errors.form}
            </p>
          ) : null}
          <button type="submit" className="primary" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </Form>
      ) : null}
      {demo ? (
        <aside className="demo-accounts">
          <h2>Demo accounts</h2>
          <p>
            Password for all: <code>{demo.password}</code>
          </p>
          <ul>
            {demo.accounts.map((a) => (
              <li key={a.email}>
                <code>{a.email}</code> <span className="muted">({a.role})</span>
              </li>
            ))}
          </ul>
        </aside>
      ) : null}
    </section>
  );
}
