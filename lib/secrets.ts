import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { env } from "@/lib/env";

/**
 * Credentials chora keeps for others (a site's SMSC password, its Twilio auth token) are stored
 * encrypted: AES-256-GCM under a key derived from AUTH_SECRET, so a database dump or backup alone
 * does not hand them out. A stored value reads `enc:v1:<iv>.<tag>.<ciphertext>` (base64url).
 */
export const SEALED_PREFIX = "enc:v1:";

let key: Buffer | null = null;
const secretKey = () => (key ??= Buffer.from(hkdfSync("sha256", env.AUTH_SECRET, "chora", "stored secrets v1", 32)));

const isSealed = (stored: string) => stored.startsWith(SEALED_PREFIX);

export function sealSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", secretKey(), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return SEALED_PREFIX + [iv, cipher.getAuthTag(), data].map((b) => b.toString("base64url")).join(".");
}

/** Thrown by `readSecret` for a value stored under another AUTH_SECRET (or damaged). */
class UnreadableSecretError extends Error {
  constructor() {
    super("a stored credential cannot be decrypted (was AUTH_SECRET changed?); enter it again");
  }
}

/**
 * The plain value, or null when there is none or it cannot be read: for what only shows or
 * compares it. What acts on it uses `readSecret`, where "unreadable" is not "not set" (falling
 * back to the installation's account or the outbox would send from the wrong place).
 */
export function openSecret(stored: string | null): string | null {
  try {
    return readSecret(stored);
  } catch {
    return null;
  }
}

/**
 * Values already opened, by their sealed form: each inbound SMS reads every site's SMS URL to
 * find the sites on its account, and a sealed form (random IV) only ever opens to one value.
 */
const opened = new Map<string, string>();
const OPENED_MAX = 1_000;

/** The plain value (null: none stored); throws UnreadableSecretError. A value stored before encryption existed is returned as it is. */
export function readSecret(stored: string | null): string | null {
  if (!stored || !isSealed(stored)) return stored;
  const known = opened.get(stored);
  if (known !== undefined) return known;
  try {
    const [iv, tag, data] = stored.slice(SEALED_PREFIX.length).split(".").map((part) => Buffer.from(part, "base64url"));
    const decipher = createDecipheriv("aes-256-gcm", secretKey(), iv);
    decipher.setAuthTag(tag);
    const plain = Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8");
    if (opened.size >= OPENED_MAX) opened.delete(opened.keys().next().value!);
    opened.set(stored, plain);
    return plain;
  } catch {
    console.error("[secrets] a stored credential cannot be decrypted (was AUTH_SECRET changed?); enter it again");
    throw new UnreadableSecretError();
  }
}
