import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { verifyPassword } from "@/lib/auth/password";
import { resetTokenUsable } from "@/lib/auth/password-reset";
import { resetPasswordAction } from "@/app/[locale]/(public)/reset-password/actions";
import { updateUserAction } from "@/app/[locale]/manage/users/actions";
import { actAs } from "../helpers/request";
import { expectFailure, expectSuccess, run } from "../helpers/actions";
import { resetLinkFor } from "../helpers/reset-link";
import { makeSite, makeUser, TEST_PASSWORD } from "../helpers/factories";

/**
 * lib/auth/password-reset.ts promises that a link sent before an account was disabled ("perhaps
 * because it was taken over") does not come back when the account is enabled again. It came
 * back whenever nobody happened to click it while the account was disabled: disabling burnt
 * nothing, and within the hour the link set a password on the re-enabled account.
 */
describe("a reset link sent before the account was disabled", () => {
  it("no longer works once the account is enabled again", async () => {
    const site = await makeSite();
    const admin = await makeUser(site.id, "admin");
    const member = await makeUser(site.id);
    const token = await resetLinkFor(site, member.email, "198.51.100.21");

    const edit = { id: member.id, name: member.name, email: member.email, locale: member.locale, role: "member" };
    actAs(admin.id, site.domain);
    expectSuccess(await run(updateUserAction, { ...edit, disabled: "on" }));
    expectSuccess(await run(updateUserAction, { ...edit, disabled: "off" }));

    expect(await resetTokenUsable(site, token)).toBe(false);
    actAs(null, site.domain);
    expectFailure(await run(resetPasswordAction, { token, password: "taken over 12345", confirmPassword: "taken over 12345" }), "errors.resetLinkInvalid");
    const [after] = await db.select().from(users).where(eq(users.id, member.id));
    expect(await verifyPassword(TEST_PASSWORD, after.passwordHash)).toBe(true);
  });
});
