import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { authenticate, createSession, getUser, safeRedirect } from "~/.server/auth";
import { config } from "~/.server/config";
import { recordSignInFailure, recordSignInSuccess, signInRefusal } from "~/.server/login-throttle";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "~/.server/seed";
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
  if (await getUser(request)) throw redirect("/courses");
  return { demo: config().DEMO_SEED ? { accounts: DEMO_ACCOUNTS, password: DEMO_PASSWORD } : null };
}

export async function action({ request, context }: ActionFunctionArgs) {
  // Public action: it is the authorisation step itself, throttled per account and per address.
  const parsed = parseForm(loginSchema, await request.formData());
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const address = (context as { clientIp?: string }).clientIp ?? "unknown";
  const refusal = await signInRefusal(parsed.data.email, address);
  if (refusal) return data({ errors: { form: refusal } }, { status: 429 });
  const auth = await authenticate(parsed.data.email, parsed.data.password);
  if (!auth.ok && auth.deactivated)
    return data({ errors: { form: "This account has been deactivated. Ask an administrator." } }, { status: 403 });
  if (!auth.ok) {
    await recordSignInFailure(parsed.data.email, address);
    return data({ errors: { form: "That email and password do not match an account." } }, { status: 401 });
  }
  const userId = auth.userId;
  await recordSignInSuccess(parsed.data.email);
  return redirect(safeRedirect(parsed.data.redirectTo, "/courses"), {
    headers: { "Set-Cookie": await createSession(userId) },
  });
}

export default function Login() {
  const { demo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string | undefined> = result?.errors ?? {};
  const [params] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  return (
    <section className="login">
      <h1>Sign in to Tokenwise</h1>
      <p className="muted">Write prompts that cost less and work as well.</p>
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
