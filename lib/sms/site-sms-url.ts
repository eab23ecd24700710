import type { Site } from "@/db/schema";
import { env } from "@/lib/env";
import { readSecret } from "@/lib/secrets";

/**
 * The SMS URL a site sends through: its own (decrypted), else SMS_URL, else null. A stored URL
 * this AUTH_SECRET cannot decrypt is `unreadable`, never "unset": falling back to the
 * installation's account (or the outbox) would send, vouch for callbacks or take opt-outs in
 * the wrong account's name.
 */
export function siteSmsUrl(site: Pick<Site, "smsUrl"> | undefined): { ok: true; url: string | null } | { ok: false } {
  try {
    return { ok: true, url: readSecret(site?.smsUrl ?? null) || env.SMS_URL || null };
  } catch {
    return { ok: false };
  }
}
