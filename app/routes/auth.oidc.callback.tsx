import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { createSession, userIsAdmin } from "~/.server/auth";
import { db } from "~/.server/db";
import { log } from "~/.server/log";
import { accountForClaims } from "~/.server/sign-in/oidc-account";
import { clearPendingCookie, finishSignIn } from "~/.server/sign-in/oidc-flow";
import { activeOidcSettings, recordAdminProof } from "~/.server/sign-in/oidc-settings";

/**
 * Where the identity provider sends the browser back. Public: it is the authorisation step itself. Every refusal
 * goes to /login with a short code (never the provider's text) and clears the pending sign-in, so a code or state
 * cannot be tried twice from this browser.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const clear = await clearPendingCookie();
  const refuse = (code: string) =>
    redirect(`/login?${new URLSearchParams({ error: code })}`, { headers: { "Set-Cookie": clear } });
  const database = db();
  const settings = activeOidcSettings(database);
  if (!settings) return refuse("not-configured");
  const finished = await finishSignIn(settings, request);
  if (!finished.ok) return refuse(finished.failure.code);
  const account = accountForClaims(database, settings, finished);
  if (!account.ok) return refuse(account.failure.code);
  if (account.created) log.info(`company sign-in created account ${account.userId}`);
  if (userIsAdmin(database, account.userId)) recordAdminProof(database, settings, account.userId);
  const headers = new Headers();
  headers.append("Set-Cookie", clear);
  headers.append("Set-Cookie", await createSession(account.userId));
  return redirect(finished.returnTo, { headers });
}
