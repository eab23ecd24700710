import { createHmac } from "node:crypto";
import { env } from "@/lib/env";

/**
 * What a session cookie carries of the password it was opened with: a keyed digest of the
 * stored hash, never the hash itself. A password change (own, by an administrator, by a reset
 * link, by ADMIN_PASSWORD at start) changes the hash, so every session opened before it stops
 * matching and ends (lib/auth/actor.ts): a stolen cookie does not outlive the new password.
 */
export function sessionStamp(passwordHash: string): string {
  return createHmac("sha256", env.AUTH_SECRET).update(`session:${passwordHash}`).digest("base64url").slice(0, 22);
}
