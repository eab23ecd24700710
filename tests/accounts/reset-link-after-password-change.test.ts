import { beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { verifyPassword } from "@/lib/auth/password";
import { requestPasswordReset } from "@/lib/auth/password-reset";
import { changePasswordAction } from "@/app/[locale]/(public)/profile/actions";
import { resetPasswordAction } from "@/app/[locale]/(public)/reset-password/actions";
import { updateUserAction } from "@/app/[locale]/manage/users/actions";
import { actAs } from "../helpers/request";
import { expectFailure, expectSuccess, run } from "../helpers/actions";
import { makeSite, makeUser, TEST_PASSWORD } from "../helpers/factories";
import { linkMailedTo } from "../helpers/reset-link";


async function passwordIs(userId: number, password: string) {
  const [row] = await db.select().from(users).where(eq(users.id, userId));
  return verifyPassword(password, row.passwordHash);
}

/**
 * A reset link opens the account until it is used or an hour has passed. When the password is
 * then changed by other means (its owner on their profile, or an administrator, typically because
 * the account or its mailbox was taken over), the link mailed before must stop working: else
 * whoever holds it sets a password of their own over the new one, within the hour.
 */
describe("a reset link mailed before the password was changed another way", () => {
  let site: Awaited<ReturnType<typeof makeSite>>;
  beforeEach(async () => {
    site = await makeSite();
  });

  it("no longer works after an administrator set a new password", async () => {
    const admin = await makeUser(site.id, "admin");
    const member = await makeUser(site.id);
    await requestPasswordReset(site, member.email, "198.51.100.31");
    const token = await linkMailedTo(member.email);

    actAs(admin.id, site.domain);
    expectSuccess(
      await run(updateUserAction, { id: member.id, name: member.name, email: member.email, locale: member.locale, role: "member", password: "chosen by admin 1", confirmPassword: "chosen by admin 1" }),
    );

    actAs(null, site.domain);
    expectFailure(await run(resetPasswordAction, { token, password: "the intruder's 123", confirmPassword: "the intruder's 123" }), "errors.resetLinkInvalid");
    expect(await passwordIs(member.id, "chosen by admin 1")).toBe(true);
  });

  it("no longer works after its owner changed the password on their profile", async () => {
    const member = await makeUser(site.id);
    await requestPasswordReset(site, member.email, "198.51.100.32");
    const token = await linkMailedTo(member.email);

    actAs(member.id, site.domain);
    expectSuccess(await run(changePasswordAction, { currentPassword: TEST_PASSWORD, password: "my own new one 12", confirmPassword: "my own new one 12" }));

    actAs(null, site.domain);
    expectFailure(await run(resetPasswordAction, { token, password: "the intruder's 123", confirmPassword: "the intruder's 123" }), "errors.resetLinkInvalid");
    expect(await passwordIs(member.id, "my own new one 12")).toBe(true);
  });
});
