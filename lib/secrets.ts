import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { env } from "@/lib/env";

/**
 * Credentials chora keeps for others (a site's SMSC password, its Twilio auth token) are stored
 * encrypted: AES-256-GCM under a key derived from AUTH_SECRET, so a database dump or backup alone
 * does not hand them out. A stored value reads `enc:v1:<iv>.<tag>.<ciphertext>` (base64url).
 */
const PREFIX = "enc:v1:";

let key: Buffer | null = null;
const secretKey = () => (key ??= Buffer.from(hkdfSync("sha256", env.AUTH_SECRET, "chora", "stored secrets v1", 32)));

export const isSealed = (stored: string) => stored.startsWith(PREFIX);

export function sealSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", secretKey(), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return PREFIX + [iv, cipher.getAuthTag(), data].map((b) => b.toString("base64url")).join(".");
}

/**
 * The plain value, or null when there is none or it cannot be read: a value stored under
 * another AUTH_SECRET must be entered again, and must not take the pages that load the site
 * down with it. A value stored before encryption existed is returned as it is.
 */
export function openSecret(stored: string | null): string | null {
  if (!stored || !isSealed(stored)) return stored;
  try {
    const [iv, tag, data] = stored.slice(PREFIX.length).split(".").map((part) => Buffer.from(part, "base64url"));
    const decipher = createDecipheriv("aes-256-gcm", secretKey(), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8");
  } catch {
    console.error("[secrets] a stored credential cannot be decrypted (was AUTH_SECRET changed?); enter it again");
    return null;
  }
}
