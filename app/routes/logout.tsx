import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { endAllSessions } from "~/.server/admin/accounts";
import { destroySession, getUser } from "~/.server/auth";
import { db } from "~/.server/db";

export async function loader() {
  // Logging out changes state, so it is POST-only (and cross-site posts are refused by the server); a GET goes home.
  return redirect("/");
}

/** Signs this browser out; with `everywhere`, every session of the user on every device ends too. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  if (form.get("scope") === "everywhere") {
    const user = await getUser(request);
    if (user) endAllSessions(db(), user.id);
  }
  return redirect("/login", { headers: { "Set-Cookie": await destroySession(request) } });
}
