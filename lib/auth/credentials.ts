import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { users, type User } from "@/db/schema";
import { env } from "@/lib/env";
import { normalizeEmail } from "@/lib/newsletters/addresses";
import { decoyHash, verifyPassword } from "./password";
import { giveBack, reset, take, type Slot } from "./rate-limit";

export type CredentialsResult =
  | { ok: true; user: User }
  | { ok: false; reason: "invalid" | "rate_limited" };

type Limit = { key: string; max: number };
const accountLimit = (email: string): Limit => ({ key: `login:account:${email}`, max: env.LOGIN_MAX_FAILURES });
const ipLimit = (ip: string): Limit => ({ key: `login:ip:${ip}`, max: env.LOGIN_MAX_FAILURES_PER_IP });

/**
 * The one check behind every sign-in. Failed attempts are counted per account and per IP in
 * fixed windows; past the limit the answer is `rate_limited` without looking at the password,
 * so guessing stops even when the guess would be right. A disabled account, an unknown email
 * and a wrong password all answer `invalid` (nothing tells which).
 */
export async function verifyCredentials(input: {
  email: string;
  password: string;
  ip: string;
  siteId: number;
}): Promise<CredentialsResult> {
  const email = normalizeEmail(input.email);
  return limitedPasswordCheck(email, input.ip, () => accountSigningIn(email, input.password, input.siteId));
}

/** The account these credentials open on this site, or null. */
async function accountSigningIn(email: string, password: string, siteId: number): Promise<User | null> {
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  // The decoy keeps an unknown address as slow as a known one.
  const passwordOk = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
  // Members and admins sign in on their own site; a superuser signs in on any.
  const siteOk = user && (user.role === "superuser" || user.siteId === siteId);
  return user && passwordOk && siteOk && !user.disabledAt ? user : null;
}

/**
 * Runs one password check of `email`'s account under the sign-in limits of the account and,
 * for a sign-in, of the address `ip` (null: a signed-in person's check, such as the current
 * password of a password change, where only the account is at stake). The attempt is counted
 * before the password is looked at, and the count it gets decides: parallel requests cannot all
 * read "under the limit" before any of them counts, so no more than the limit's number of
 * passwords is ever checked in a window.
 * - Over a limit: refused unchecked, and uncounted, since nothing was tried.
 * - Wrong: it stays counted; these are the failures the limits are about.
 * - Right: the account's failures are cleared (only its password can do that, and its owner
 *   should not stay locked by their own typos), but the address only gets this attempt's slot
 *   back. Clearing the address would let someone sign into their own account between guesses
 *   at others' from the same address, and guess without limit.
 */
export async function limitedPasswordCheck(email: string, ip: string | null, check: () => Promise<User | null>): Promise<CredentialsResult> {
  const limits = ip === null ? [accountLimit(email)] : [accountLimit(email), ipLimit(ip)];
  const slots = await Promise.all(limits.map((limit) => take(limit.key, env.LOGIN_WINDOW_SECONDS)));
  if (slots.some((slot, i) => slot.count > limits[i].max)) {
    await Promise.all(slots.map(giveBack));
    return { ok: false, reason: "rate_limited" };
  }
  const user = await check();
  if (!user) return { ok: false, reason: "invalid" };
  await succeeded(slots);
  return { ok: true, user };
}

/** After a right password; see limitedPasswordCheck for why the two keys differ. */
async function succeeded([account, ...addresses]: Slot[]) {
  await Promise.all([reset(account.key), ...addresses.map(giveBack)]);
}

/**
 * The client's address for rate limits: the X-Forwarded-For entry appended by the outermost
 * trusted proxy (TRUSTED_PROXY_HOPS from the right; Next.js itself fills the header with the
 * socket's address when nothing in front set it). The leftmost entry, which the client can
 * write, would let anyone pick a fresh bucket for every attempt.
 */
export function clientIp(headers: Headers): string {
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const fromProxy = hops.length ? hops[Math.max(0, hops.length - env.TRUSTED_PROXY_HOPS)] : undefined;
  return fromProxy || headers.get("x-real-ip") || "unknown";
}
