import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, or } from "drizzle-orm";
import { db } from "@/db/client";
import { passwordResets, users, type Site } from "@/db/schema";
import { ActionError } from "@/lib/actions/errors";
import { siteBaseUrl } from "@/lib/sites/url";
import { normalizeEmail } from "@/lib/newsletters/addresses";
import { hashPassword } from "./password";
import { hit } from "./rate-limit";
import { sendAccountEmail, sendPasswordChangedNotice } from "./notices";

export const RESET_TTL_MINUTES = 60;
const sha256 = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * Emails a single-use reset link when the address belongs to an account of this site (or a
 * superuser). The caller answers the same whatever happened, so nobody learns who has an
 * account; and it runs this after its response (`after()`), as this takes longer when there
 * is an account. Requests are limited per address and per IP.
 */
export async function requestPasswordReset(site: Site, email: string, ip: string) {
  const address = normalizeEmail(email);
  const [perAddress, perIp] = await Promise.all([hit(`reset:account:${address}`, 3600), hit(`reset:ip:${ip}`, 3600)]);
  if (perAddress > 5 || perIp > 30) return;
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.email, address), isNull(users.disabledAt), or(eq(users.siteId, site.id), eq(users.role, "superuser"))))
    .limit(1);
  if (!user) return;
  const token = randomBytes(32).toString("base64url");
  await db
    .insert(passwordResets)
    .values({ tokenHash: sha256(token), userId: user.id, siteId: site.id, expiresAt: new Date(Date.now() + RESET_TTL_MINUTES * 60_000) });
  const url = `${siteBaseUrl(site)}/${user.locale}/reset-password?token=${token}`;
  // The site's administrators word its emails, and may put the link inside one of theirs. They
  // manage the site's members anyway; anyone else's link (an administrator's, a superuser's,
  // which opens every site) goes out in the application's own words.
  const siteWording = user.role === "member" && user.siteId === site.id;
  await sendAccountEmail("password_reset", site, user, { url, minutes: String(RESET_TTL_MINUTES) }, siteWording);
}

/**
 * Burns every open reset link of an account: its password was set another way (profile, an
 * administrator), or it was disabled. A link mailed before must not set a password over that one,
 * nor come back when the account is enabled again.
 */
export async function burnResetLinks(userId: number): Promise<void> {
  await db.update(passwordResets).set({ usedAt: new Date() }).where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt)));
}

/** A link that can still be used, on the site that mailed it. */
const openLink = (site: Site, token: string) =>
  and(eq(passwordResets.tokenHash, sha256(token)), eq(passwordResets.siteId, site.id), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, new Date()));

/** Whether a token can still be used here (for the page, before the person types a password). */
export async function resetTokenUsable(site: Site, token: string) {
  const [row] = await db
    .select({ userId: passwordResets.userId })
    .from(passwordResets)
    .innerJoin(users, eq(users.id, passwordResets.userId))
    .where(and(openLink(site, token), isNull(users.disabledAt)));
  return !!row;
}

/**
 * Sets the new password and burns the token in one conditional update, so two clicks on the
 * same link cannot both succeed. Every other open link of the account is burnt too.
 * A disabled account keeps its password and gets the answer of a used or expired link: a
 * disabled account gets no reset link either (requestPasswordReset), so its links are as
 * good as gone, and the answer tells nothing about the account. Its links stay burnt, so one
 * sent before the account was disabled (perhaps because it was taken over) does not come back
 * if it is enabled again. A link opened on another site's domain is refused like a used one.
 */
export async function resetPassword(site: Site, token: string, password: string) {
  // A token that opens nothing costs no scrypt hash (anyone may post one, unlimited). Checked
  // again, and burnt, by the update below; a disabled account's link is burnt there too.
  const [open] = await db.select({ userId: passwordResets.userId }).from(passwordResets).where(openLink(site, token)).limit(1);
  if (!open) throw new ActionError({ key: "errors.resetLinkInvalid" });
  const passwordHash = await hashPassword(password);
  const user = await db.transaction(async (tx) => {
    const [used] = await tx
      .update(passwordResets)
      .set({ usedAt: new Date() })
      .where(openLink(site, token))
      .returning({ userId: passwordResets.userId });
    if (!used) return null;
    await tx.update(passwordResets).set({ usedAt: new Date() }).where(and(eq(passwordResets.userId, used.userId), isNull(passwordResets.usedAt)));
    const [u] = await tx
      .update(users)
      .set({ passwordHash, updatedAt: new Date() })
      .where(and(eq(users.id, used.userId), isNull(users.disabledAt)))
      .returning();
    return u ?? null;
  });
  if (!user) throw new ActionError({ key: "errors.resetLinkInvalid" });
  await sendPasswordChangedNotice(site, user);
  return user;
}
