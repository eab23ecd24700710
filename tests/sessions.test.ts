import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { currentActor } from "@/lib/auth/actor";
import { hashPassword } from "@/lib/auth/password";
import { sessionStamp } from "@/lib/auth/session-stamp";
import { changePasswordAction, updateProfileAction } from "@/app/[locale]/(public)/profile/actions";
import { resetPasswordAction } from "@/app/[locale]/(public)/reset-password/actions";
import { updateUserAction } from "@/app/[locale]/manage/users/actions";
import { actAs, fakeRequest, fakeSessionStamp } from "./helpers/request";
import { resetLinkFor } from "./helpers/reset-link";
import { makeSite, makeUser, TEST_PASSWORD } from "./helpers/factories";
import { expectFailure, expectSuccess, run } from "./helpers/actions";

/**
 * A session cookie carries a stamp of the password it was opened with (lib/auth/session-stamp.ts);
 * once the password changes, by any path, the sessions opened before end. Here a "stolen cookie"
 * is a session whose stamp was taken before the change (fakeRequest.stamp).
 */

/** Who `currentActor` sees for a session opened with `stamp` (undefined: with the current password). */
async function actorWith(userId: number, stamp: string | null | undefined) {
  actAs(userId);
  fakeRequest.stamp = stamp;
  return currentActor();
}

const profileEdit = (name: string) => ({ name, locale: "fr" });

describe("sessions end when the password changes", () => {
  it("the stamp is keyed, stable for one hash and different for another", async () => {
    const one = await hashPassword("first password 1");
    const two = await hashPassword("first password 1"); // same password, new salt: a new hash
    expect(sessionStamp(one)).toBe(sessionStamp(one));
    expect(sessionStamp(one)).not.toBe(sessionStamp(two));
    expect(sessionStamp(one)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(one).not.toContain(sessionStamp(one));
  });

  it("a session opened with the current password is signed in; one without a stamp (issued before stamps) is not", async () => {
    const site = await makeSite();
    const member = await makeUser(site.id);
    const [{ passwordHash }] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, member.id));
    expect((await actorWith(member.id, sessionStamp(passwordHash)))?.id).toBe(member.id);
    expect(await actorWith(member.id, null)).toBeNull();
    expect(await actorWith(member.id, "a".repeat(22))).toBeNull();
  });

  it("changing one's own password ends the other sessions and keeps this browser signed in", async () => {
    const site = await makeSite();
    const member = await makeUser(site.id);
    actAs(member.id, site.domain);
    const stolen = await fakeSessionStamp();
    fakeRequest.opened = [];

    expectSuccess(await run(changePasswordAction, { currentPassword: TEST_PASSWORD, password: "brand new secret 1", confirmPassword: "brand new secret 1" }));
    // This browser was given a session opened with the new password...
    expect(fakeRequest.opened).toEqual([{ email: member.email, password: "brand new secret 1" }]);
    expectSuccess(await run(updateProfileAction, profileEdit("Still me")));

    // ...while a cookie taken before the change no longer signs anyone in.
    fakeRequest.stamp = stolen;
    expectFailure(await run(updateProfileAction, profileEdit("Thief")), "errors.signInRequired");
    const [row] = await db.select({ name: users.name }).from(users).where(eq(users.id, member.id));
    expect(row.name).toBe("Still me");
  });

  it("when this browser cannot be signed in again, the answer says so", async () => {
    const site = await makeSite();
    const member = await makeUser(site.id);
    actAs(member.id, site.domain);
    expect(await run(changePasswordAction, { currentPassword: TEST_PASSWORD, password: "brand new secret 3", confirmPassword: "brand new secret 3" })).toEqual({
      ok: true,
      data: { signInAgain: false },
    });
    fakeRequest.refuseSignIn = true;
    const old = await fakeSessionStamp();
    expect(await run(changePasswordAction, { currentPassword: "brand new secret 3", password: "brand new secret 4", confirmPassword: "brand new secret 4" })).toEqual({
      ok: true,
      data: { signInAgain: true },
    });
    expect(await actorWith(member.id, old)).toBeNull();
  });

  it("a wrong current password changes nothing: the old session goes on", async () => {
    const site = await makeSite();
    const member = await makeUser(site.id);
    actAs(member.id, site.domain);
    const before = await fakeSessionStamp();
    fakeRequest.opened = [];
    expectFailure(await run(changePasswordAction, { currentPassword: "not the password", password: "brand new secret 2", confirmPassword: "brand new secret 2" }));
    expect(fakeRequest.opened).toEqual([]);
    expect((await actorWith(member.id, before))?.id).toBe(member.id);
  });

  it("an administrator setting a member's password ends the member's sessions, not the administrator's", async () => {
    const site = await makeSite();
    const admin = await makeUser(site.id, "admin");
    const member = await makeUser(site.id);
    actAs(member.id, site.domain);
    const membersCookie = await fakeSessionStamp();

    actAs(admin.id, site.domain);
    fakeRequest.opened = [];
    expectSuccess(
      await run(updateUserAction, { id: member.id, name: member.name, email: member.email, locale: member.locale, role: "member", password: "set by the admin 1", confirmPassword: "set by the admin 1" }),
    );
    expect(fakeRequest.opened).toEqual([]); // nobody else's session is opened in this browser
    expect((await actorWith(admin.id, undefined))?.id).toBe(admin.id);
    expect(await actorWith(member.id, membersCookie)).toBeNull();
  });

  it("an administrator setting their own password from the users screen stays signed in", async () => {
    const site = await makeSite();
    const admin = await makeUser(site.id, "admin");
    actAs(admin.id, site.domain);
    const old = await fakeSessionStamp();
    fakeRequest.opened = [];
    expectSuccess(
      await run(updateUserAction, { id: admin.id, name: admin.name, email: admin.email, locale: admin.locale, role: "admin", password: "my own new one 1", confirmPassword: "my own new one 1" }),
    );
    expect(fakeRequest.opened).toEqual([{ email: admin.email, password: "my own new one 1" }]);
    expect(await actorWith(admin.id, old)).toBeNull();
  });

  it("a password reset by link ends every session", async () => {
    const site = await makeSite();
    const member = await makeUser(site.id);
    actAs(member.id, site.domain);
    const cookie = await fakeSessionStamp();
    const token = await resetLinkFor(site, member.email, "198.51.100.77");

    actAs(null, site.domain);
    expectSuccess(await run(resetPasswordAction, { token, password: "reset by link 123", confirmPassword: "reset by link 123" }));
    expect(await actorWith(member.id, cookie)).toBeNull();
  });
});
