import type { SessionUser } from "../auth";
import type { DbLike } from "../db";
import { viewerScope } from "../scope";
import { getSetting } from "../settings";

/**
 * Privacy mode (the organisation setting `privacyMode`): learners see names only within their own
 * team; everyone else appears as "Learner in <team>". Managers, department heads and admins see
 * every name. With privacy mode off, everyone sees every name.
 */

export interface NameViewer {
  id: number;
  teamId: number | null;
  seesAllNames: boolean;
}

export function nameViewer(database: DbLike, user: SessionUser): NameViewer {
  const privacy = getSetting(database, "privacyMode");
  const scope = privacy ? viewerScope(database, user) : null;
  const privileged =
    !privacy ||
    user.roles.includes("admin") ||
    user.roles.includes("manager") ||
    (scope !== null && (scope.all || scope.departmentIds.length > 0));
  return { id: user.id, teamId: user.teamId, seesAllNames: privileged };
}

export interface Named {
  userId: number;
  name: string;
  teamId: number | null;
  team: string | null;
}

/** A hidden row loses its user id too, so the page data cannot be joined back to a person. */
export function maskName<T extends Named>(row: T, viewer: NameViewer): Omit<T, "userId"> & { userId: number | null } {
  const visible =
    viewer.seesAllNames || row.userId === viewer.id || (viewer.teamId !== null && row.teamId === viewer.teamId);
  if (visible) return row;
  return { ...row, userId: null, name: row.team ? `Learner in ${row.team}` : "—" };
}
