import { beforeAll, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { messageTemplates, queue, subscriberKeys, subscriptions, type Site, type User } from "@/db/schema";
import { saveTranslation } from "@/lib/i18n/edit";
import { setOverride } from "@/lib/i18n/overrides";
import { eraseSubscriber } from "@/lib/newsletters/erase";
import { groupExists } from "@/lib/newsletters/groups";
import { unsubscribeToken } from "@/lib/newsletters/keys";
import { sendPreviewCount, sendTemplate } from "@/lib/newsletters/send";
import { unsubscribeAll, unsubscribeGroup } from "@/lib/newsletters/unsubscribe";
import { addOptOutByHand } from "@/lib/sms/opt-out-list";
import { makeSite, makeUser } from "../helpers/factories";

// The send dialog announces how many people a send reaches (sendPreviewCount) with queries of
// its own, which never build the send's rows; the send then queues its rows with another. Every
// exclusion present at once, through the paths that make them (leaving a group, unsubscribing
// from everything, STOP list, erasure, a group deleted since), the number announced must be the
// number of rows the real send puts in the queue, for an email and for an SMS.

let site: Site;
let admin: User;
const GROUPS = [31, 32, 33];

const sub = (groupId: number, email: string, phone: string | null, status: "confirmed" | "unconfirmed" = "confirmed") =>
  ({ siteId: site.id, groupId, email, phone, status, source: "screen" as const });

beforeAll(async () => {
  site = await makeSite({ defaultLocale: "fr", defaultCountry: "FR" });
  admin = await makeUser(site.id, "admin");
  for (const id of GROUPS) for (const locale of ["fr", "en"] as const) await setOverride(site.id, locale, `signup_opt${id}`, `Group ${id}`);
  await db.insert(subscriptions).values([
    // In two of the send's groups: reached once.
    sub(31, "ann@example.org", "+33612340001"),
    sub(32, "ann@example.org", "+33612340001"),
    // One number two people share, in two groups: one SMS; two emails.
    sub(32, "bo@example.org", "+33612340002"),
    sub(31, "cy@example.org", "+33612340002"),
    sub(31, "waits@example.org", "+33612340003", "unconfirmed"),
    sub(31, "left@example.org", "+33612340004"),
    // Leaves group 32 only: group 31 still gives it.
    sub(31, "stays@example.org", "+33612340005"),
    sub(32, "stays@example.org", "+33612340005"),
    sub(31, "gone@example.org", "+33612340006"),
    sub(31, "kept@example.org", "+33612340007"),
    sub(31, "stop@example.org", "+33612340008"),
    sub(31, "erased@example.org", "+33612340009"),
    sub(33, "dropped@example.org", "+33612340010"),
    sub(31, "nonum@example.org", null),
    // A number a suppressed address and another person share: the other person still gives it.
    sub(31, "pairgone@example.org", "+33612340012"),
    sub(32, "pair@example.org", "+33612340012"),
    // Given only by a suppressed address, and on the STOP list as well: out once.
    sub(31, "keptstop@example.org", "+33612340013"),
  ]);
  await unsubscribeGroup(await unsubscribeToken(site.id, "left@example.org"), 31);
  await unsubscribeGroup(await unsubscribeToken(site.id, "stays@example.org"), 32);
  await unsubscribeAll(await unsubscribeToken(site.id, "gone@example.org"));
  // Suppressed while a subscription still says confirmed: the suppression wins.
  await db.insert(subscriberKeys).values(
    ["kept", "pairgone", "keptstop"].map((who) => ({ siteId: site.id, email: `${who}@example.org`, token: `t-${who}`, suppressedAt: new Date() })),
  );
  await addOptOutByHand(site.id, "+33612340008");
  await addOptOutByHand(site.id, "+33612340013");
  // On the STOP list, given by no group: only a pasted list could bring it.
  await addOptOutByHand(site.id, "+33612340011");
  await eraseSubscriber(site.id, "erased@example.org", "test");
  // Group 33's only member leaves it, then the group is deleted; the templates still name it.
  await unsubscribeGroup(await unsubscribeToken(site.id, "dropped@example.org"), 33);
  await saveTranslation(site.id, "signup_opt33", { fr: "", en: "" });
});

/** Announces, sends now, and gives the count announced, the send's and the rows queued. */
async function announceAndSend(values: Partial<typeof messageTemplates.$inferInsert>) {
  const [template] = await db.insert(messageTemplates).values({ siteId: site.id, name: "T", groupIds: GROUPS, ...values }).returning();
  const announced = await sendPreviewCount(site, template);
  const send = (await sendTemplate(site, template, { actorId: admin.id }))!;
  const rows = await db.select({ recipient: queue.recipient }).from(queue).where(eq(queue.messageId, send.messageId!)).orderBy(asc(queue.recipient));
  return { announced: announced.count, recorded: send.recipientCount, queued: rows.map((r) => r.recipient) };
}

describe("the send dialog's count is the number of rows the send queues", () => {
  it("the group is really deleted (the case below is not a live group)", async () => {
    expect(await groupExists(site, 33)).toBe(false);
  });

  it("email", async () => {
    const pasted = [
      "new@example.org", "NEW@example.org", "ann@example.org", "waits@example.org",
      "left@example.org", "gone@example.org", "kept@example.org", "erased@example.org", "dropped@example.org", "not-an-address",
    ].join("\n");
    const { announced, recorded, queued } = await announceAndSend({ subject: "News", html: "<p>News</p>", pastedRecipients: pasted });
    expect(queued).toEqual([
      "ann@example.org", "bo@example.org", "cy@example.org", "new@example.org", "nonum@example.org",
      "pair@example.org", "stays@example.org", "stop@example.org", "waits@example.org",
    ]);
    expect(announced).toBe(queued.length);
    expect(recorded).toBe(queued.length);
  });

  // A text with a per-person placeholder is priced from another query than a plain one.
  for (const text of ["News", "News for {{name|you}}"]) {
    it(`SMS: ${text}`, async () => {
      const pasted = [
        "06 12 34 00 99", "+33612340099", "0612340001", "0612340003",
        "0612340004", "0612340006", "0612340007", "0612340008", "0612340009", "0612340010", "0612340011", "not-a-number",
      ].join("\n");
      const { announced, recorded, queued } = await announceAndSend({ channel: "sms", text, textEdited: true, pastedRecipients: pasted });
      expect(queued).toEqual(["+33612340001", "+33612340002", "+33612340003", "+33612340005", "+33612340012", "+33612340099"]);
      expect(announced).toBe(queued.length);
      expect(recorded).toBe(queued.length);
    });
  }
});
