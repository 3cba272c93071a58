import type { PasswordLinkPurpose } from "#db/schema";

/**
 * The rules of set-password links that pages show as well as enforce (app/.server/password-links.ts enforces them):
 * here, outside .server, so a route's component may render them.
 */
const HOUR = 3600 * 1000;

/** How long a link works: an invitation a week, a password reset a day. */
export const LINK_LIFETIME_MS: Record<PasswordLinkPurpose, number> = { invite: 7 * 24 * HOUR, reset: 24 * HOUR };

/** Every password the app sets or accepts: ADMIN_PASSWORD, set-password links, /login. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;
