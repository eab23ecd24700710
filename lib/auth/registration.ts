import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, lt } from "drizzle-orm";
import { db } from "@/db/client";
import { pendingRegistrations, sites, users, type Site, type User } from "@/db/schema";
import { ActionError } from "@/lib/actions/errors";
import type { Locale } from "@/lib/i18n/config";
import { siteBaseUrl } from "@/lib/sites/url";
import { normalizeEmail } from "@/lib/newsletters/addresses";
import { queueAccountEmail } from "./notices";
import { hashPassword, verifyPassword } from "./password";
import { hit } from "./rate-limit";

export const REGISTRATION_TTL_HOURS = 24;
/** Wrong passwords typed on one link before it stops working. */
const CONFIRM_MAX_FAILURES = 5;
const sha256 = (token: string) => createHash("sha256").update(token).digest("hex");

export type RegistrationInput = { name: string; email: string; locale: Locale; password: string };

/**
 * Self-registration, first step. Emails are unique across the installation, so telling the
 * visitor "this address is taken" would tell one organisation who has an account with another
 * one: the caller answers the same whatever happens here. A free address gets a link that
 * creates the account; an address with an account gets a notice pointing to its sign-in and
 * password reset, and no account changes. Emails to one address are capped (3 per 10 minutes).
 *
 * Both emails have the same kind, subject, language and recipient name, and their bodies are
 * hidden in the queue screen: this site's administrators, who see its queue, must not learn
 * from it either whether an address has an account elsewhere.
 */
export async function requestRegistration(site: Site, input: RegistrationInput, ip: string): Promise<void> {
  const email = normalizeEmail(input.email);
  // Past a limit nothing is done, and nothing is hashed either: that costs an anonymous request
  // one scrypt, and the answer does not depend on whether the address has an account.
  const [perAddress, perIp] = await Promise.all([hit(`register:mail:${email}`, 600), hit(`register:ip:${ip}`, 3600)]);
  if (perAddress > 3 || perIp > 30) return;
  // Hashed whatever happens next, so the answer takes as long for a taken address as for a free one.
  const passwordHash = await hashPassword(input.password);

  const [existing] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  if (existing) return notifyExistingAccount(site, existing, input.locale);

  await purgeExpiredRegistrations();
  const token = randomBytes(32).toString("base64url");
  await db.insert(pendingRegistrations).values({
    tokenHash: sha256(token),
    siteId: site.id,
    email,
    name: input.name,
    locale: input.locale,
    passwordHash,
    expiresAt: new Date(Date.now() + REGISTRATION_TTL_HOURS * 3_600_000),
  });
  await queueAccountEmail({
    kind: "registration",
    site,
    to: { address: email, name: "", locale: input.locale },
    subject: "emails.registration.subject",
    text: "emails.registration.confirmText",
    values: { site: site.name, name: input.name, url: `${siteBaseUrl(site)}/${input.locale}/register/confirm?token=${token}`, hours: REGISTRATION_TTL_HOURS },
  });
}

/**
 * Tells the holder of an existing account that someone tried to register their address on
 * this site. Its links lead to the site the account belongs to, where it can sign in; written
 * in the language of the form, like the confirmation it stands in for.
 */
async function notifyExistingAccount(site: Site, user: User, locale: Locale) {
  const [home] = user.siteId === site.id ? [site] : await db.select().from(sites).where(eq(sites.id, user.siteId)).limit(1);
  const base = `${siteBaseUrl(home ?? site)}/${locale}`;
  await queueAccountEmail({
    kind: "registration",
    site,
    to: { address: user.email, name: "", locale },
    subject: "emails.registration.subject",
    text: "emails.registration.existsText",
    values: { site: site.name, name: user.name || user.email, signInUrl: `${base}/sign-in`, resetUrl: `${base}/forgot-password` },
  });
}

/** What the confirmation page shows before anything changes (a GET never creates the account). */
export async function pendingRegistration(site: Site, token: string): Promise<{ email: string; taken: boolean } | null> {
  const [row] = await db
    .select({ email: pendingRegistrations.email })
    .from(pendingRegistrations)
    .where(and(eq(pendingRegistrations.tokenHash, sha256(token)), eq(pendingRegistrations.siteId, site.id), gt(pendingRegistrations.expiresAt, new Date())));
  if (!row) return null;
  const [taken] = await db.select({ id: users.id }).from(users).where(eq(users.email, row.email)).limit(1);
  return { email: row.email, taken: !!taken };
}

/**
 * Second step: the link came back with the password chosen at registration (typed again, so
 * the browser can be signed in with it and a forwarded link alone opens nothing). Creates the
 * member account and burns the link in one transaction; when another link for the same address
 * was used first, the address already has an account and this one says so.
 */
export async function confirmRegistration(site: Site, token: string, password: string): Promise<User> {
  const tokenHash = sha256(token);
  const live = and(eq(pendingRegistrations.tokenHash, tokenHash), eq(pendingRegistrations.siteId, site.id), gt(pendingRegistrations.expiresAt, new Date()));
  const [pending] = await db.select().from(pendingRegistrations).where(live);
  if (!pending) throw new ActionError({ key: "errors.registrationLinkInvalid" });
  if (!(await verifyPassword(password, pending.passwordHash))) {
    // The link is a secret already; this keeps whoever holds a leaked one from guessing on.
    if ((await hit(`register:confirm:${tokenHash}`, 86_400)) >= CONFIRM_MAX_FAILURES) {
      await db.delete(pendingRegistrations).where(eq(pendingRegistrations.tokenHash, tokenHash));
      throw new ActionError({ key: "errors.registrationLinkInvalid" });
    }
    throw new ActionError({ key: "errors.registrationPasswordWrong" }, "password");
  }
  const user = await db.transaction(async (tx): Promise<User | "invalid" | "taken"> => {
    // Deleting first makes two clicks on one link take turns: only one finds the row.
    const [claimed] = await tx.delete(pendingRegistrations).where(live).returning();
    if (!claimed) return "invalid" as const;
    const [created] = await tx
      .insert(users)
      .values({ siteId: site.id, email: claimed.email, name: claimed.name, passwordHash: claimed.passwordHash, role: "member", locale: claimed.locale })
      .onConflictDoNothing({ target: users.email })
      .returning();
    return created ?? ("taken" as const);
  });
  if (user === "invalid") throw new ActionError({ key: "errors.registrationLinkInvalid" });
  if (user === "taken") throw new ActionError({ key: "errors.registrationAccountExists" });
  return user;
}

/** Housekeeping: registrations whose link expired can never be confirmed. */
export async function purgeExpiredRegistrations(): Promise<void> {
  await db.delete(pendingRegistrations).where(lt(pendingRegistrations.expiresAt, new Date()));
}
