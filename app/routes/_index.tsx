import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { requireUser } from "~/.server/auth";
import { db } from "~/.server/db";
import { viewerScope } from "~/.server/scope";
import { landingPath } from "~/domain/landing";

/** "/" is each person's home: the page of the work their roles do (sign-in and new passwords land here too). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // A department head manages people without the manager role: the scope says so.
  const scope = viewerScope(db(), user);
  return redirect(landingPath(user.roles, { managesPeople: scope.all || scope.teamIds.length > 0 }));
}
