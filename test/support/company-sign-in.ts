import { getUser } from "~/.server/auth";
import { action as signInAdminAction } from "~/routes/admin.sign-in";
import { loader as callbackLoader } from "~/routes/auth.oidc.callback";
import { loader as startLoader } from "~/routes/auth.oidc.start";
import type { FakeIdp } from "../fakes/oidc-idp";
import { call, get, post } from "../integration/harness";
import { walkProvider } from "./idp-walk";

/**
 * Company sign-in driven through the app's real loaders and a real provider on loopback: the admin form, the start
 * (the provider URL and the pending-sign-in cookie), the provider's own login pages, and the callback.
 */

// The app's redirect URI is built on PUBLIC_URL (default http://localhost:3000); these tests call the loaders directly.
export const CALLBACK = "http://localhost:3000/auth/oidc/callback";

export function companySignIn(idp: () => FakeIdp, adminCookie: () => string) {
  function configure(fields: Partial<Record<string, string>> = {}, cookie = adminCookie()) {
    const provider = idp();
    return call(
      signInAdminAction,
      post(
        "/admin/sign-in",
        {
          intent: "save",
          enabled: "on",
          issuer: provider.issuer,
          clientId: provider.clientId,
          clientSecret: provider.clientSecret,
          emailClaim: "email",
          teamClaim: "team",
          departmentClaim: "department",
          ...fields,
        },
        cookie,
      ),
    );
  }

  /** Starts a sign-in at the app, with the query string as given (so encoded attacks reach the loader raw). */
  async function startRaw(query: string, cookie?: string) {
    const res = (await call(startLoader, get(`/auth/oidc/start?${query}`, cookie))) as Response;
    const location = res.headers.get("location") ?? "";
    const setCookie = res.headers.get("set-cookie") ?? "";
    return { res, location, cookie: setCookie.split(";")[0] };
  }
  const start = (returnTo = "") => startRaw(new URLSearchParams({ returnTo }).toString());

  async function finish(callbackUrl: URL | string, cookie: string) {
    const res = (await call(callbackLoader, new Request(callbackUrl, { headers: { Cookie: cookie } }))) as Response;
    const location = res.headers.get("location") ?? "";
    const session = res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .find((c) => c.startsWith("tw_session=") && c.length > "tw_session=".length);
    return { res, location, session };
  }

  async function signInWith(started: Awaited<ReturnType<typeof start>>, login: string) {
    const back = await walkProvider(started.location, login, CALLBACK);
    return finish(back, started.cookie);
  }
  const signIn = async (login: string, returnTo = "") => signInWith(await start(returnTo), login);

  return { configure, start, startRaw, finish, signIn, signInWith };
}

export const sessionUser = (cookie: string | undefined) =>
  getUser(new Request("http://localhost/", { headers: { Cookie: cookie ?? "" } }));
