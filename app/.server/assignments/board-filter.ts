import { z } from "zod";
import { ASSIGNMENT_STATES } from "~/domain/assignment-status";
import { parseParams } from "~/lib/params";
import { BOARD_SORTS, type BoardFilter } from "./board";

/** The assignment dashboard's filter, read from a URL's query: the page and its CSV export read the same one. */

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const filterSchema = z.object({
  team: id.optional(),
  course: id.optional(),
  state: z.enum(ASSIGNMENT_STATES).optional(),
  q: z.string().max(200).optional(),
  sort: z.enum(BOARD_SORTS).default("urgency"),
});
export type BoardQuery = z.infer<typeof filterSchema>;

/** The query as typed (empty fields left out, a malformed one a 400 naming it) and as the board takes it. */
export function boardQuery(request: Request): { query: BoardQuery; filter: BoardFilter } {
  const search = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ""));
  const query = parseParams(filterSchema, search);
  return {
    query,
    filter: { teamId: query.team, courseId: query.course, state: query.state, q: query.q, sort: query.sort },
  };
}
