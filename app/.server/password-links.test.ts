import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { passwordTokens, sessions, users } from "#db/schema";
import { LINK_LIFETIME_MS } from "~/domain/password-links";
import { openDb } from "./db";
import { verifyPassword } from "./password";
import {
  consumePasswordLink,
  issuePasswordLink,
  issuePasswordLinks,
  latestPasswordLink,
  revokePasswordLinks,
  setPasswordUrl,
  verifyPasswordLink,
} from "./password-links";

const database = openDb(":memory:");
afterAll(() => database.$client.close());

let n = 0;
function user(): number {
  n++;
  return database
    .insert(users)
    .values({ email: `u${n}@example.com`, name: `User ${n}`, passwordHash: "scrypt$old" })
    .returning({ id: users.id })
    .get().id;
}
const admin = user();
const hashOf = (userId: number) => database.select().from(users).where(eq(users.id, userId)).get()!.passwordHash;
const rowsOf = (userId: number) =>
  database.select().from(passwordTokens).where(eq(passwordTokens.userId, userId)).all();
function addSession(userId: number, tokenHash: string) {
  database
    .insert(sessions)
    .values({ tokenHash, userId, expiresAt: new Date(Date.now() + 3600_000) })
    .run();
}

const T0 = new Date("2026-03-01T09:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const NEW_PASSWORD = "a long enough new passphrase";

describe("issuing a set-password link", () => {
  it("stores only the SHA-256 of a random 256-bit token, never the token itself", () => {
    const id = user();
    const a = issuePasswordLink(database, id, { purpose: "invite", createdBy: admin, now: T0 });
    const b = issuePasswordLink(database, user(), { purpose: "invite", createdBy: admin, now: T0 });
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 bytes, base64url
    expect(a.token).not.toBe(b.token);
    const [row] = rowsOf(id);
    expect(row.tokenHash).toBe(createHash("sha256").update(a.token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(a.token);
    expect(row).toMatchObject({ userId: id, purpose: "invite", createdBy: admin, usedAt: null, revokedAt: null });
  });

  it("lets an invitation live 7 days and a reset 24 hours", () => {
    const invite = issuePasswordLink(database, user(), { purpose: "invite", createdBy: admin, now: T0 });
    const reset = issuePasswordLink(database, user(), { purpose: "reset", createdBy: admin, now: T0 });
    expect(invite.expiresAt).toEqual(at(7 * 24 * 3600_000));
    expect(reset.expiresAt).toEqual(at(24 * 3600_000));
    expect(verifyPasswordLink(database, reset.token, at(LINK_LIFETIME_MS.reset - 1)).ok).toBe(true);
    expect(verifyPasswordLink(database, reset.token, at(LINK_LIFETIME_MS.reset))).toEqual({
      ok: false,
      reason: "expired",
    });
    expect(verifyPasswordLink(database, invite.token, at(LINK_LIFETIME_MS.invite - 1)).ok).toBe(true);
    expect(verifyPasswordLink(database, invite.token, at(LINK_LIFETIME_MS.invite)).ok).toBe(false);
  });

  it("revokes the user's earlier unused links when a new one is issued, and nobody else's", () => {
    const id = user();
    const other = user();
    const theirs = issuePasswordLink(database, other, { purpose: "invite", createdBy: admin, now: T0 });
    const first = issuePasswordLink(database, id, { purpose: "invite", createdBy: admin, now: T0 });
    const second = issuePasswordLink(database, id, { purpose: "reset", createdBy: admin, now: at(1000) });
    expect(verifyPasswordLink(database, first.token, at(2000))).toEqual({ ok: false, reason: "revoked" });
    expect(verifyPasswordLink(database, second.token, at(2000)).ok).toBe(true);
    expect(verifyPasswordLink(database, theirs.token, at(2000)).ok).toBe(true);
  });

  it("issues one link per user in a batch, each revoking only that user's old link", () => {
    const ids = [user(), user(), user()];
    const old = issuePasswordLink(database, ids[1], { purpose: "reset", createdBy: admin, now: T0 });
    const links = issuePasswordLinks(database, ids, { purpose: "invite", createdBy: null, now: T0 });
    expect(links.map((l) => l.userId)).toEqual(ids);
    expect(new Set(links.map((l) => l.token)).size).toBe(3);
    expect(verifyPasswordLink(database, old.token, T0).ok).toBe(false);
    for (const link of links) {
      const checked = verifyPasswordLink(database, link.token, T0);
      expect(checked.ok && checked.link.userId).toBe(link.userId);
    }
  });

  it("builds the link on PUBLIC_URL, with or without a trailing slash", () => {
    expect(setPasswordUrl("abc", "https://lms.example.com/")).toBe("https://lms.example.com/set-password?token=abc");
    expect(setPasswordUrl("abc", "https://example.com/tokenwise")).toBe(
      "https://example.com/tokenwise/set-password?token=abc",
    );
  });
});

describe("verifying a link", () => {
  it("names who the link is for", () => {
    const id = user();
    const { token } = issuePasswordLink(database, id, { purpose: "reset", createdBy: admin, now: T0 });
    const checked = verifyPasswordLink(database, token, T0);
    expect(checked).toEqual({
      ok: true,
      link: expect.objectContaining({ userId: id, purpose: "reset", email: `u${n}@example.com`, name: `User ${n}` }),
    });
  });

  it("refuses unknown and malformed tokens without a match", () => {
    expect(verifyPasswordLink(database, "A".repeat(43), T0)).toEqual({ ok: false, reason: "unknown" });
    expect(verifyPasswordLink(database, "", T0)).toEqual({ ok: false, reason: "unknown" });
    expect(verifyPasswordLink(database, "x' or 1=1 --", T0)).toEqual({ ok: false, reason: "unknown" });
  });
});

describe("using a link", () => {
  it("sets a password that verifies, and deletes every session of that user only", async () => {
    const id = user();
    const other = user();
    addSession(id, `laptop-${id}`);
    addSession(id, `phone-${id}`);
    addSession(other, `other-${other}`);
    const { token } = issuePasswordLink(database, id, { purpose: "reset", createdBy: admin, now: T0 });
    const used = await consumePasswordLink(database, token, NEW_PASSWORD, at(1000));
    expect(used).toEqual({ ok: true, userId: id, purpose: "reset" });
    expect(await verifyPassword(NEW_PASSWORD, hashOf(id))).toBe(true);
    expect(hashOf(id)).toMatch(/^scrypt\$/);
    expect(database.select().from(sessions).where(eq(sessions.userId, id)).all()).toEqual([]);
    expect(database.select().from(sessions).where(eq(sessions.userId, other)).all()).toHaveLength(1);
    expect(rowsOf(id)[0].usedAt).toEqual(at(1000));
  });

  it("works once: the second use is refused and keeps the first password", async () => {
    const id = user();
    const { token } = issuePasswordLink(database, id, { purpose: "invite", createdBy: admin, now: T0 });
    expect((await consumePasswordLink(database, token, NEW_PASSWORD, at(1))).ok).toBe(true);
    expect(verifyPasswordLink(database, token, at(2))).toEqual({ ok: false, reason: "used" });
    expect(await consumePasswordLink(database, token, "someone else's password", at(2))).toEqual({
      ok: false,
      reason: "used",
    });
    expect(await verifyPassword(NEW_PASSWORD, hashOf(id))).toBe(true);
  });

  it("lets only one of two simultaneous uses of the same link succeed", async () => {
    const id = user();
    const { token } = issuePasswordLink(database, id, { purpose: "invite", createdBy: admin, now: T0 });
    const results = await Promise.all([
      consumePasswordLink(database, token, "first tab's passphrase", at(1)),
      consumePasswordLink(database, token, "second tab's passphrase", at(1)),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, reason: "used" });
  });

  it("refuses an expired or replaced link and leaves the password and sessions alone", async () => {
    const id = user();
    addSession(id, `keep-${id}`);
    const expired = issuePasswordLink(database, id, { purpose: "reset", createdBy: admin, now: T0 });
    expect(await consumePasswordLink(database, expired.token, NEW_PASSWORD, at(LINK_LIFETIME_MS.reset))).toEqual({
      ok: false,
      reason: "expired",
    });
    const replaced = issuePasswordLink(database, id, { purpose: "reset", createdBy: admin, now: T0 });
    issuePasswordLink(database, id, { purpose: "reset", createdBy: admin, now: T0 });
    expect(await consumePasswordLink(database, replaced.token, NEW_PASSWORD, at(1))).toEqual({
      ok: false,
      reason: "revoked",
    });
    expect(hashOf(id)).toBe("scrypt$old");
    expect(database.select().from(sessions).where(eq(sessions.userId, id)).all()).toHaveLength(1);
  });

  it("refuses a password shorter than 12 characters before touching the link", async () => {
    const id = user();
    const { token } = issuePasswordLink(database, id, { purpose: "invite", createdBy: admin, now: T0 });
    await expect(consumePasswordLink(database, token, "short", at(1))).rejects.toThrow(/12 to 200 characters/);
    expect(verifyPasswordLink(database, token, at(1)).ok).toBe(true);
  });
});

describe("the admin's view of a user's links", () => {
  it("reports the latest link's state and withdraws an unused one", async () => {
    const id = user();
    expect(latestPasswordLink(database, id, T0)).toBeNull();
    const { token } = issuePasswordLink(database, id, { purpose: "invite", createdBy: admin, now: T0 });
    expect(latestPasswordLink(database, id, at(1))).toMatchObject({
      purpose: "invite",
      state: "pending",
      createdBy: "User 1",
      createdAt: T0,
    });
    expect(latestPasswordLink(database, id, at(LINK_LIFETIME_MS.invite))?.state).toBe("expired");
    expect(revokePasswordLinks(database, id, at(1))).toBe(1);
    expect(revokePasswordLinks(database, id, at(2))).toBe(0);
    expect(latestPasswordLink(database, id, at(2))?.state).toBe("revoked");
    expect(verifyPasswordLink(database, token, at(2))).toEqual({ ok: false, reason: "revoked" });

    const reset = issuePasswordLink(database, id, { purpose: "reset", createdBy: admin, now: at(3) });
    await consumePasswordLink(database, reset.token, NEW_PASSWORD, at(4));
    expect(latestPasswordLink(database, id, at(5))).toMatchObject({ purpose: "reset", state: "used", usedAt: at(4) });
  });
});
