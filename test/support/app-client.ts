/**
 * A learner's requests to the running app over HTTP, as a browser's form posts make them: the process tests and
 * the capacity benchmark drive the built app with these.
 */

export const DEMO_PASSWORD = "tokenwise-demo";

function formPost(url: string, fields: Record<string, string>, cookie?: string): Promise<Response> {
  return fetch(url, {
    method: "POST",
    body: new URLSearchParams(fields),
    redirect: "manual",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: new URL(url).origin,
      ...(cookie ? { Cookie: cookie } : {}),
    },
  });
}

/** Signs in and returns the session cookie ("name=value"). */
export async function logIn(baseURL: string, email: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await formPost(`${baseURL}/login`, { email, password });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (res.status !== 302 || !cookie) throw new Error(`logging in as ${email} answered ${res.status}`);
  return cookie;
}

/** Submits a prompt; resolves once the app has acknowledged it (redirected to the stored attempt). */
export async function submitPrompt(
  baseURL: string,
  cookie: string,
  slug: string,
  prompt: string,
): Promise<{ attemptId: number; acknowledgedAt: number }> {
  const res = await formPost(`${baseURL}/exercises/${slug}`, { intent: "submit", prompt }, cookie);
  const location = res.headers.get("location") ?? "";
  const id = location.match(/\/attempts\/(\d+)$/)?.[1];
  if (res.status !== 302 || !id) throw new Error(`submitting to ${slug} answered ${res.status} ${location}`);
  return { attemptId: Number(id), acknowledgedAt: Date.now() };
}

/** GET with the session cookie; the status and body. */
export async function getPage(
  baseURL: string,
  path: string,
  cookie?: string,
): Promise<{ status: number; body: string }> {
  const res = await fetch(`${baseURL}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
  return { status: res.status, body: await res.text() };
}
