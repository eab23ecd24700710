import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { outboundMessages, passwordResets, queue, translationOverrides, users } from "@/db/schema";
import { verifyPassword } from "@/lib/auth/password";
import { requestPasswordReset, resetPassword } from "@/lib/auth/password-reset";
import { requestResetAction } from "@/app/[locale]/(public)/forgot-password/actions";
import { resetPasswordAction } from "@/app/[locale]/(public)/reset-password/actions";
import { changePasswordAction } from "@/app/[locale]/(public)/profile/actions";
import { actAs } from "./helpers/request";
import { makeSite, makeUser, TEST_PASSWORD } from "./helpers/factories";

async function mailsTo(address: string) {
  return db
    .select({ kind: outboundMessages.kind, subject: outboundMessages.subject, text: outboundMessages.text, status: queue.status, siteId: queue.siteId })
    .from(queue)
    .innerJoin(outboundMessages, eq(outboundMessages.id, queue.messageId))
    .where(eq(queue.recipient, address))
    .orderBy(queue.id);
}

const tokenFrom = (text: string) => /token=([A-Za-z0-9_-]+)/.exec(text)![1];

describe("password reset through the queue", () => {
  it("queues a link in the user's language, which works exactly once", async () => {
    const site = await makeSite({ name: "Maison" });
    const user = await makeUser(site.id, "member", { locale: "en" });
    actAs(null, site.domain);
    const answer = await requestResetAction({ email: user.email.toUpperCase() });
    expect(answer.ok).toBe(true);

    const [mail] = await mailsTo(user.email);
    expect(mail).toMatchObject({ kind: "password_reset", status: "pending", siteId: site.id });
    expect(mail.subject).toBe("Maison: choose a new password");
    expect(mail.text).toContain(`https://${site.domain}/en/reset-password?token=`);

    const token = tokenFrom(mail.text);
    const first = await resetPasswordAction({ token, password: "a brand new secret", confirmPassword: "a brand new secret" });
    expect(first.ok).toBe(true);
    const [after] = await db.select().from(users).where(eq(users.id, user.id));
    expect(await verifyPassword("a brand new secret", after.passwordHash)).toBe(true);

    const second = await resetPasswordAction({ token, password: "another secret 123", confirmPassword: "another secret 123" });
    expect(second).toMatchObject({ ok: false, error: { key: "errors.resetLinkInvalid" } });

    const mails = await mailsTo(user.email);
    expect(mails.map((m) => m.kind)).toEqual(["password_reset", "password_changed"]);
    expect(mails[1].subject).toBe("Maison: your password was changed");
  });

  it("refuses an expired link", async () => {
    const site = await makeSite();
    const user = await makeUser(site.id, "member", { locale: "fr" });
    await requestPasswordReset(site, user.email, "198.51.100.7");
    const [mail] = await mailsTo(user.email);
    expect(mail.subject).toContain("choisissez un nouveau mot de passe");
    await db.update(passwordResets).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(passwordResets.userId, user.id));
    await expect(resetPassword(site, tokenFrom(mail.text), "whatever secret 1")).rejects.toMatchObject({ msg: { key: "errors.resetLinkInvalid" } });
  });

  it("answers the same for an unknown address and queues nothing", async () => {
    const site = await makeSite();
    actAs(null, site.domain);
    const answer = await requestResetAction({ email: "nobody@example.org" });
    expect(answer).toEqual({ ok: true, data: undefined });
    expect(await mailsTo("nobody@example.org")).toEqual([]);
  });

  it("does not send a link to a member of another site", async () => {
    const a = await makeSite();
    const b = await makeSite();
    const user = await makeUser(b.id);
    await requestPasswordReset(a, user.email, "198.51.100.8");
    expect(await mailsTo(user.email)).toEqual([]);
  });

  it("queues a notice when a member changes their password", async () => {
    const site = await makeSite();
    const user = await makeUser(site.id, "member", { locale: "fr" });
    actAs(user.id, site.domain);
    const result = await changePasswordAction({ currentPassword: TEST_PASSWORD, password: "new password 2026", confirmPassword: "new password 2026" });
    expect(result.ok).toBe(true);
    const rows = await db.select().from(queue).where(and(eq(queue.recipient, user.email), eq(queue.siteId, site.id)));
    expect(rows).toHaveLength(1);
    const [mail] = await mailsTo(user.email);
    expect(mail.kind).toBe("password_changed");
    expect(mail.subject).toContain("votre mot de passe a été modifié");
  });
});

describe("the reset link stays out of the subject", () => {
  it("even when a site's override of the subject names {url}", async () => {
    const site = await makeSite({ name: "Maison" });
    const user = await makeUser(site.id, "superuser", { locale: "en" });
    await db.insert(translationOverrides).values({ siteId: site.id, locale: "en", key: "emails.passwordReset.subject", value: "{site}: reset at {url}" });
    await requestPasswordReset(site, user.email, "198.51.100.41");
    const [mail] = await mailsTo(user.email);
    expect(mail.text).toContain("token=");
    expect(mail.subject).toBe("Maison: reset at ");
  });
});
