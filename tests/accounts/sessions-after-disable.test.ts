import { describe, expect, it } from "vitest";
import { currentActor } from "@/lib/auth/actor";
import { SESSION_MAX_AGE_S } from "@/lib/auth/ended-sessions";
import { updateUserAction } from "@/app/[locale]/manage/users/actions";
import { actAs, fakeRequest } from "../helpers/request";
import { expectSuccess, run } from "../helpers/actions";
import { makeSite, makeUser } from "../helpers/factories";

/** Who currentActor sees in a browser whose session of `userId` was opened `ago` ms ago. */
async function actorIn(userId: number, sid: string, ago: number) {
  actAs(userId);
  fakeRequest.sid = sid;
  fakeRequest.expiresAt = new Date(Date.now() - ago + SESSION_MAX_AGE_S * 1000);
  return currentActor();
}

describe("an account disabled, then enabled again", () => {
  it("opens none of the sessions opened before it was disabled (it may have been taken over), and new ones", async () => {
    const site = await makeSite();
    const admin = await makeUser(site.id, "admin");
    const member = await makeUser(site.id);
    expect((await actorIn(member.id, "stolen-cookie", 60_000))?.id).toBe(member.id);

    const edit = { id: member.id, name: member.name, email: member.email, locale: member.locale, role: "member" };
    actAs(admin.id, site.domain);
    expectSuccess(await run(updateUserAction, { ...edit, disabled: "on" }));
    expect(await actorIn(member.id, "stolen-cookie", 60_000)).toBeNull();
    actAs(admin.id, site.domain);
    expectSuccess(await run(updateUserAction, { ...edit, disabled: "off" }));

    expect(await actorIn(member.id, "stolen-cookie", 60_000)).toBeNull();
    // Signed in again after that: opened now, it opens the account.
    await new Promise((r) => setTimeout(r, 20));
    expect((await actorIn(member.id, "new-sign-in", 0))?.id).toBe(member.id);
  });
});
