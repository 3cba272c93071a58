/**
 * Walks a real identity provider's pages the way a browser would, with fetch and a cookie jar: the authorization URL,
 * the provider's login form (oidc-provider's development form: any login, any password), and the redirect back,
 * which is returned rather than followed.
 */
export async function walkProvider(authorizationUrl: string, login: string, redirectPrefix: string): Promise<URL> {
  let cookies: string[] = [];
  const go = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as Record<string, string> | undefined), cookie: cookies.join("; ") },
    });
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(";")[0];
      const name = pair.slice(0, pair.indexOf("="));
      cookies = [...cookies.filter((c) => !c.startsWith(`${name}=`)), pair];
    }
    return res;
  };
  let url = authorizationUrl;
  for (let hop = 0; hop < 10; hop++) {
    const res = await go(url);
    const location = res.headers.get("location");
    if (location?.startsWith(redirectPrefix)) return new URL(location);
    if (location) {
      url = new URL(location, url).href;
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action || !html.includes('name="login"'))
      throw new Error(`unexpected provider page (${res.status}): ${html.slice(0, 300)}`);
    const posted = await go(new URL(action, url).href, {
      method: "POST",
      body: new URLSearchParams({ prompt: "login", login, password: "any" }),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    const next = posted.headers.get("location");
    if (!next) throw new Error(`the provider's login form answered ${posted.status} without a redirect`);
    if (next.startsWith(redirectPrefix)) return new URL(next);
    url = new URL(next, url).href;
  }
  throw new Error("the provider never redirected back");
}
