import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { requireUser } from "~/.server/auth";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return redirect("/courses");
}
