import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { verifyPassword } from "@/lib/auth/password";
import { resetPasswordAction } from "@/app/[locale]/(public)/reset-password/actions";
import { updateUserAction } from "@/app/[locale]/manage/users/actions";
import { actAs } from "../helpers/request";
import { expectFailure, expectSuccess, run } from "../helpers/actions";
import { resetLinkFor } from "../helpers/reset-link";
import { makeSite, makeUser, TEST_PASSWORD } from "../helpers/factories";

/**
 * A reset link is mailed to the account's address. When an administrator moves the account to
 * another address (the old mailbox lost, or taken over), a link mailed to the old one must stop
 * opening the account: whoever reads that mailbox is no longer the account's holder.
 */
describe("a reset link mailed to an address the account no longer has", () => {
  it("no longer works once an administrator changed the address", async () => {
    const site = await makeSite();
    const admin = await makeUser(site.id, "admin");
    const member = await makeUser(site.id);
    const token = await resetLinkFor(site, member.email, "198.51.100.41");

    actAs(admin.id, site.domain);
    expectSuccess(await run(updateUserAction, { id: member.id, name: member.name, email: `new-${member.email}`, locale: member.locale, role: "member" }));

    actAs(null, site.domain);
    expectFailure(await run(resetPasswordAction, { token, password: "old mailbox 12345", confirmPassword: "old mailbox 12345" }), "errors.resetLinkInvalid");
    const [after] = await db.select().from(users).where(eq(users.id, member.id));
    expect(await verifyPassword(TEST_PASSWORD, after.passwordHash)).toBe(true);
  });
});
