import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * The OIDC client secret is stored sealed (AES-256-GCM) under a key derived from SESSION_SECRET, so a copy of the
 * database (a backup, a support dump) does not hold it in clear. A changed SESSION_SECRET makes it unreadable: the
 * admin enters it again.
 */

const VERSION = "v1";

function key(sessionSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", sessionSecret, "tokenwise", "oidc client secret", 32));
}

export function seal(plain: string, sessionSecret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(sessionSecret), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

/** The plain text, or null when the sealed value is damaged or was sealed under another SESSION_SECRET. */
export function unseal(sealed: string, sessionSecret: string): string | null {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || body === undefined) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(sessionSecret), Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
