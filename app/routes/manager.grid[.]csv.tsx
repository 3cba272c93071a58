import type { LoaderFunctionArgs } from "@remix-run/node";
import { gridCsv } from "~/.server/dashboard/export";
import { progressGrid } from "~/.server/dashboard/grid";
import { db } from "~/.server/db";
import { requireManagerScope } from "~/.server/scope";
import { csvResponse } from "~/lib/csv";

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireManagerScope(request);
  return csvResponse("team-progress.csv", gridCsv(progressGrid(db(), scope)));
}
