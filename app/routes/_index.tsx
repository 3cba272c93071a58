import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { requireUser } from "~/.server/auth";
import { db } from "~/.server/db";
import { viewerScope } from "~/.server/scope";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // Managers, department heads and admins land on their teams' assignments; learners on "My learning".
  const scope = viewerScope(db(), user);
  if (scope.all || scope.teamIds.length > 0) return redirect("/manager/assignments");
  return redirect("/learning");
}
