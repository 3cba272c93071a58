import type { Role } from "#db/schema";

/**
 * Where a signed-in person lands (after sign-in, on "/" and on the brand link): the page of the work they do.
 * Admins land on administration; managers, and department heads (who manage people without the manager role),
 * on their teams' assignments; instructors on authoring; everyone else on "My learning". One person can hold
 * several roles: the first that applies in that order wins.
 */
export function landingPath(roles: readonly Role[], { managesPeople = false } = {}): string {
  if (roles.includes("admin")) return "/admin";
  if (roles.includes("manager") || managesPeople) return "/manager/assignments";
  if (roles.includes("instructor")) return "/author";
  return "/learning";
}

/** Managers, instructors and admins: people who run the training rather than (only) take it. */
export function isStaff(roles: readonly Role[]): boolean {
  return roles.some((r) => r !== "learner");
}
