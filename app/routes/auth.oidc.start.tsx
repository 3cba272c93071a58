import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { getUser } from "~/.server/auth";
import { db } from "~/.server/db";
import { startSignIn } from "~/.server/sign-in/oidc-flow";
import { activeOidcSettings } from "~/.server/sign-in/oidc-settings";

const toLogin = (code: string) => redirect(`/login?${new URLSearchParams({ error: code })}`);

/**
 * Public: starts the authorisation step. A link, not a form: the Content-Security-Policy's form-action 'self' would
 * (rightly) stop a form's redirect to the provider. Starting a sign-in changes nothing here but a cookie that only
 * this browser's own callback can use, so it needs no CSRF guard; returnTo is checked now and again at the callback.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) return redirect("/");
  const settings = activeOidcSettings(db());
  if (!settings) return toLogin("not-configured");
  const returnTo = new URL(request.url).searchParams.get("returnTo");
  const started = await startSignIn(settings, returnTo);
  if (!started.ok) return toLogin(started.failure.code);
  return redirect(started.location, { headers: { "Set-Cookie": started.setCookie } });
}
