import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { destroySession } from "~/.server/auth";

export async function loader() {
  // Logging out changes state, so it is POST-only; a GET just goes home.
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  return redirect("/login", { headers: { "Set-Cookie": await destroySession(request) } });
}
