import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { newsletterSends, subscriptions, type Site, type User } from "@/db/schema";
import { saveTemplateAction, sendTemplateAction } from "@/app/[locale]/manage/templates/actions";
import { setOverride } from "@/lib/i18n/overrides";
import { newSendRequestKey } from "@/lib/newsletters/send-request-key";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectFailure, expectSuccess, run, type AnyAction } from "../helpers/actions";

/**
 * sendTemplateAction takes a client-drawn `requestKey`, unique per site (newsletter_sends_request_key).
 * The same key sent with ANOTHER template of the site hits the unique index, and sendTemplate
 * only recovers when the earlier send is of the same template: otherwise it rethrows the
 * database error, and the person gets "errors.unexpected" (with a stack in the log) for what is
 * a malformed request. Bad input must get a clear, translated error.
 */
let site: Site;
let admin: User;

async function newTemplate(name: string) {
  actAs(admin.id, site.domain);
  const created = await run(saveTemplateAction as AnyAction, { locale: "en", name, subject: "Hello", html: "<p>Hi</p>", groupIds: ["1"] });
  return Number(/templates\/(\d+)/.exec((created as { redirect: string }).redirect)![1]);
}

beforeAll(async () => {
  site = await makeSite({ domain: "request-key-review.example.org", defaultLocale: "en" });
  admin = await makeUser(site.id, "admin");
  await setOverride(site.id, "en", "signup_opt1", "News");
  await db.insert(subscriptions).values({ siteId: site.id, groupId: 1, email: "ann@example.org", status: "confirmed", source: "screen" });
});

describe("a send request key already used by another template of the site", () => {
  it("is refused with a translated error other than 'unexpected', and sends nothing more", async () => {
    const first = await newTemplate("First");
    const second = await newTemplate("Second");
    const key = newSendRequestKey();
    actAs(admin.id, site.domain);
    expectSuccess(await run(sendTemplateAction as AnyAction, { id: String(first), when: "now", requestKey: key }));
    const outcome = await run(sendTemplateAction as AnyAction, { id: String(second), when: "now", requestKey: key });
    const failure = expectFailure(outcome);
    expect(failure.error.key).not.toBe("errors.unexpected");
    expect(await db.select().from(newsletterSends).where(eq(newsletterSends.templateId, second))).toEqual([]);
  });
});
