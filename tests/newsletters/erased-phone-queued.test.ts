import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { messageTemplates, queue, subscriptions, type Site, type User } from "@/db/schema";
import { setOverride } from "@/lib/i18n/overrides";
import { eraseSubscriber } from "@/lib/newsletters/erase";
import { retryPlan } from "@/lib/newsletters/retry-failures";
import { sendTemplate } from "@/lib/newsletters/send";
import { setPending } from "@/lib/queue/manage";
import { ERASED_NOTE } from "@/lib/queue/notes";
import { runQueue } from "@/lib/queue/run";
import { closeSmsTransports } from "@/lib/sms/resolve";
import { startSmsc, type SmscHarness } from "../helpers/smsc";
import { makeSite, makeUser } from "../helpers/factories";

// A group SMS that reached the SMSC but was reported undelivered keeps its number (it was sent:
// a delivery record, lib/newsletters/erase.ts). Once its person is erased, neither "Retry the
// failures" nor setting it back to pending by hand may text that number again, as neither may
// email an erased address (leftTheAudience reads the address's hash; the number's is
// erasedPhoneHash). A number another subscriber of the send's group still gives still goes.

let smsc: SmscHarness;
let site: Site;
let admin: User;
const ANN = "+33612348001"; // Ann's only
const SHARED = "+33612348002"; // Zoe's, and Bob's, who stays

beforeAll(async () => {
  smsc = await startSmsc({ receipts: "none" });
  site = await makeSite({ domain: "erased-phone-queued.example.org", defaultCountry: "FR", smsUrl: smsc.url({ source: "Org" }) });
  admin = await makeUser(site.id, "admin");
  for (const l of ["fr", "en"] as const) await setOverride(site.id, l, "signup_opt1", "News");
  await db.insert(subscriptions).values([
    { siteId: site.id, groupId: 1, email: "ann@example.org", phone: ANN, status: "confirmed", source: "screen" },
    { siteId: site.id, groupId: 1, email: "zoe@example.org", phone: SHARED, status: "confirmed", source: "screen" },
    { siteId: site.id, groupId: 1, email: "bob@example.org", phone: SHARED, status: "confirmed", source: "screen" },
  ]);
});
afterAll(async () => {
  await closeSmsTransports();
  await smsc.close();
});

const rowsOf = (messageId: number) =>
  db.select({ id: queue.id, to: queue.recipient, status: queue.status, lastError: queue.lastError }).from(queue).where(eq(queue.messageId, messageId)).orderBy(asc(queue.recipient));

describe("an erased person's number on a group SMS sent before the erasure", () => {
  it("is left out of 'Retry the failures' and stopped when set back to pending, unlike a number someone else still gives", async () => {
    const [template] = await db
      .insert(messageTemplates)
      .values({ siteId: site.id, name: "SMS", channel: "sms", text: "Market day tomorrow", textEdited: true, groupIds: [1], pastedRecipients: "" })
      .returning();
    const { messageId } = (await sendTemplate(site, template, { actorId: admin.id }))!;
    // Both went out, and the SMSC then reported them undelivered (as recordReceipt writes it).
    await db.update(queue).set({ status: "error", sentAt: sql`now()`, retryable: false, lastError: "UNDELIV err:001" }).where(eq(queue.messageId, messageId!));

    await eraseSubscriber(site.id, "ann@example.org", "user:erase");
    await eraseSubscriber(site.id, "zoe@example.org", "user:erase");
    const [annRow, sharedRow] = await rowsOf(messageId!);
    expect([annRow.to, sharedRow.to]).toEqual([ANN, SHARED]); // sent rows: delivery records

    expect(await retryPlan(site.id, messageId!)).toEqual({ ids: [sharedRow.id], leftOut: { optedOut: 0, unsubscribed: 1, invalid: 0 } });

    // Set back to pending by hand (the queue screen): the runner stops Ann's, texts Bob's.
    expect(await setPending(sql`message_id = ${messageId}`, "user:resend")).toBe(2);
    smsc.submits.length = 0;
    expect(await runQueue({ kind: "send", siteId: site.id, runner: "t" })).toMatchObject({ claimed: 2, sent: 1, failed: 1 });
    expect(smsc.submits.map((s) => `+${s.destination}`)).toEqual([SHARED]);
    expect((await rowsOf(messageId!)).map((r) => [r.to, r.status, r.lastError])).toEqual([
      // Ann was erased on request: she never unsubscribed, and her row says so.
      [ANN, "error", ERASED_NOTE],
      [SHARED, "sent", "UNDELIV err:001"],
    ]);
  });
});
