import type { LoaderFunctionArgs } from "@remix-run/node";
import { assignmentBoard } from "~/.server/assignments/board";
import { assignmentBoardCsv } from "~/.server/assignments/board-csv";
import { boardQuery } from "~/.server/assignments/board-filter";
import { db } from "~/.server/db";
import { requireManagerScope } from "~/.server/scope";
import { csvResponse } from "~/lib/csv";

/** The assignment dashboard's rows as CSV, with the page's filter and sort, every row (the page shows the first 500). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireManagerScope(request);
  const { filter } = boardQuery(request);
  const board = assignmentBoard(db(), scope, filter, new Date(), Number.POSITIVE_INFINITY);
  return csvResponse("assignments.csv", assignmentBoardCsv(board.rows));
}
