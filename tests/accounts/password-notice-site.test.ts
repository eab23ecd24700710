import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { outboundMessages, queue } from "@/db/schema";
import { requestResetAction } from "@/app/[locale]/(public)/forgot-password/actions";
import { updateUserAction } from "@/app/[locale]/manage/users/actions";
import { actAs, afterResponse } from "../helpers/request";
import { expectSuccess, run } from "../helpers/actions";
import { makeSite, makeUser } from "../helpers/factories";

async function mailsTo(address: string) {
  return db
    .select({ kind: outboundMessages.kind, text: outboundMessages.text, siteId: queue.siteId, fromAddress: outboundMessages.fromAddress })
    .from(queue)
    .innerJoin(outboundMessages, eq(outboundMessages.id, queue.messageId))
    .where(eq(queue.recipient, address))
    .orderBy(queue.id);
}

/**
 * A superuser manages every account from any site's Manage screen. When they set the password
 * of a member of site B while working on site A's domain, the "your password was changed"
 * notice must lead the member to where they can act: their own site's "forgot password"
 * (a member asking for a link on site A gets nothing: requestPasswordReset only serves site A's
 * accounts there), from their own site.
 */
describe("the password-changed notice of a password set by a superuser from another site", () => {
  it("comes from the member's own site, with a forgot-password link that works", async () => {
    const siteA = await makeSite({ name: "Alpha" });
    const siteB = await makeSite({ name: "Beta" });
    const boss = await makeUser(siteA.id, "superuser");
    const member = await makeUser(siteB.id, "member", { locale: "en" });

    actAs(boss.id, siteA.domain);
    expectSuccess(
      await run(updateUserAction, { id: member.id, name: member.name, email: member.email, locale: "en", role: "member", password: "set by the boss 123", confirmPassword: "set by the boss 123" }),
    );
    const [notice] = await mailsTo(member.email);
    expect(notice.kind).toBe("password_changed");
    const link = /https?:\/\/[^\s]+\/forgot-password/.exec(notice.text ?? "")![0];

    // The member follows the notice's link and asks for a reset there: a link must come.
    const host = new URL(link).hostname;
    actAs(null, host);
    expectSuccess(await requestResetAction({ email: member.email }));
    await afterResponse();
    expect((await mailsTo(member.email)).map((m) => m.kind)).toEqual(["password_changed", "password_reset"]);
    expect(notice.siteId).toBe(siteB.id);
    expect(notice.text).not.toContain("Alpha");
  });
});
