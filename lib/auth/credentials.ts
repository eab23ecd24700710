import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { users, type User } from "@/db/schema";
import { env } from "@/lib/env";
import { decoyHash, verifyPassword } from "./password";
import { hit, peek, reset } from "./rate-limit";

export type CredentialsResult =
  | { ok: true; user: User }
  | { ok: false; reason: "invalid" | "rate_limited" };

const accountKey = (email: string) => `login:account:${email}`;
const ipKey = (ip: string) => `login:ip:${ip}`;

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
  const email = input.email.trim().toLowerCase();
  const window = env.LOGIN_WINDOW_SECONDS;
  const [accountFailures, ipFailures] = await Promise.all([peek(accountKey(email), window), peek(ipKey(input.ip), window)]);
  if (accountFailures >= env.LOGIN_MAX_FAILURES || ipFailures >= env.LOGIN_MAX_FAILURES_PER_IP) {
    return { ok: false, reason: "rate_limited" };
  }

  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  const passwordOk = await verifyPassword(input.password, user?.passwordHash ?? (await decoyHash()));
  // Members and admins sign in on their own site; a superuser signs in on any.
  const siteOk = user && (user.role === "superuser" || user.siteId === input.siteId);
  if (user && passwordOk && siteOk && !user.disabledAt) {
    await reset(accountKey(email));
    return { ok: true, user };
  }
  await Promise.all([hit(accountKey(email), window), hit(ipKey(input.ip), window)]);
  return { ok: false, reason: "invalid" };
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
