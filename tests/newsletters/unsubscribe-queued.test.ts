import { beforeEach, describe, expect, it } from "vitest";
import { and, asc, eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { messageTemplates, queue, queueEvents, smsOptOuts, subscriptions, type OutboundMessage, type Site, type User } from "@/db/schema";
import { POST as oneClick } from "@/app/api/unsubscribe/[token]/route";
import { errorText } from "@/components/queue/error-text";
import { messagesFor, translatorFor } from "@/lib/i18n/resolve";
import { setOverride } from "@/lib/i18n/overrides";
import { unsubscribeToken } from "@/lib/newsletters/keys";
import { retrySendFailures } from "@/lib/newsletters/retry-failures";
import { sendTemplate, testSend } from "@/lib/newsletters/send";
import { leaveGroup, undoLeave } from "@/lib/newsletters/undo-leave";
import { findByToken, unsubscribeGroup } from "@/lib/newsletters/unsubscribe";
import { claim } from "@/lib/queue/claim";
import { deliverClaimed, loadMessages, stoppedRows } from "@/lib/queue/deliver";
import { enqueue } from "@/lib/queue/enqueue";
import { NUMBER_UNSUBSCRIBED_NOTE, OPTED_OUT_BY_REPLY_NOTE, UNSUBSCRIBED_NOTE } from "@/lib/queue/notes";
import { runQueue } from "@/lib/queue/run";
import { makeSite, makeUser } from "../helpers/factories";
import { recordingTransport } from "../helpers/recording-transport";

// An unsubscription stops the newsletters already queued for the address, as a STOP does for
// group SMS (tests/sms/opt-out-queued.test.ts): one click ends them all, leaving a group ends
// those of sends to that group. Every other email to the address still goes.
let site: Site;
let admin: User;
const { transport, sent } = recordingTransport();

// A site per test: each one's sends reach only its own subscribers.
beforeEach(async () => {
  site = await makeSite();
  admin = await makeUser(site.id, "admin");
  for (const [id, fr, en] of [[1, "Actualités", "News"], [2, "Offres", "Offers"]] as const) {
    await setOverride(site.id, "fr", `signup_opt${id}`, fr);
    await setOverride(site.id, "en", `signup_opt${id}`, en);
  }
});

/** Confirmed subscribers of the given groups; returns the token their emails carry. */
async function subscriber(email: string, groupIds: number[]) {
  await db.insert(subscriptions).values(groupIds.map((groupId) => ({ siteId: site.id, groupId, email, status: "confirmed" as const, source: "screen" as const })));
  return unsubscribeToken(site.id, email);
}
/** Sends a template to `groupIds` (and pasted addresses) now: its rows wait in the queue. */
async function send(groupIds: number[], pasted = "") {
  const [template] = await db
    .insert(messageTemplates)
    .values({ siteId: site.id, name: `To ${groupIds.join("+") || "a list"}`, subject: "Hello", html: "<p>Hi <a href='{{unsubscribe_url}}'>leave</a></p>", groupIds, pastedRecipients: pasted })
    .returning();
  return (await sendTemplate(site, template, { actorId: admin.id }))!;
}
const rowsOf = (messageId: number) =>
  db
    .select({ id: queue.id, to: queue.recipient, status: queue.status, retryable: queue.retryable, lastError: queue.lastError })
    .from(queue)
    .where(eq(queue.messageId, messageId))
    .orderBy(asc(queue.recipient));
const drain = (kind: "send" | "retry" = "send") => runQueue({ kind, siteId: site.id, runner: "t", transport });
const clickOneClick = (token: string) =>
  oneClick(new Request(`http://localhost/api/unsubscribe/${token}`, { method: "POST", headers: { host: site.domain }, body: "List-Unsubscribe=One-Click" }), {
    params: Promise.resolve({ token }),
  });

describe("an unsubscription after a newsletter was queued", () => {
  it("one click stops that address's queued newsletter: its row ends in error, final, and the others go", async () => {
    const ann = await subscriber("ann@example.org", [1]);
    await subscriber("bob@example.org", [1]);
    const letter = await send([1]);
    expect((await clickOneClick(ann)).status).toBe(200);
    sent.length = 0;

    expect(await drain()).toMatchObject({ claimed: 2, sent: 1, failed: 1 });
    expect(sent).toEqual(["bob@example.org"]);
    const [annRow, bobRow] = await rowsOf(letter.messageId!);
    expect(annRow).toMatchObject({ to: "ann@example.org", status: "error", retryable: false, lastError: UNSUBSCRIBED_NOTE });
    expect(bobRow).toMatchObject({ status: "sent", lastError: null });
    const history = await db.select({ to: queueEvents.toStatus, error: queueEvents.error }).from(queueEvents).where(eq(queueEvents.queueId, annRow.id)).orderBy(asc(queueEvents.id));
    expect(history.at(-1)).toEqual({ to: "error", error: UNSUBSCRIBED_NOTE });
    // The queue screen and the send's report give the reason in the reader's language.
    const fr = translatorFor("fr", await messagesFor("fr", site));
    expect(errorText((key, values) => fr(`queue.failure.${key}`, values), UNSUBSCRIBED_NOTE).reason).toBe(
      "Non envoyé\u202f: cette adresse s’est désabonnée des lettres d’information du site après la mise en file du message.",
    );

    // "Retry the failures" of the send leaves it out: it would only fail again.
    expect(await retrySendFailures(site.id, letter.id, "user:1")).toEqual({ resent: 0, leftOut: { optedOut: 0, unsubscribed: 1, invalid: 0 } });
    expect(await drain()).toMatchObject({ claimed: 0 });
    // Set back to pending by hand (that always resends), it still does not go.
    await db.update(queue).set({ status: "pending", nextAttemptAt: sql`now()` }).where(eq(queue.id, annRow.id));
    expect(await drain()).toMatchObject({ claimed: 1, sent: 0, failed: 1 });
    expect(sent).toEqual(["bob@example.org"]);

    // Other emails to the address go as queued: an account email, a template's test send.
    await enqueue({ siteId: site.id, message: { kind: "password_reset", subject: "Reset", text: "Link", fromName: "", fromAddress: "" }, recipients: [{ address: "ann@example.org" }] });
    const [template] = await db.select().from(messageTemplates).where(eq(messageTemplates.siteId, site.id));
    await testSend(site, template, "ann@example.org", admin.id);
    expect(await drain()).toMatchObject({ claimed: 2, sent: 2, failed: 0 });
    expect(sent).toEqual(["bob@example.org", "ann@example.org", "ann@example.org"]);
  });

  it("leaving a group stops the queued sends to that group only, and a failed row the retry runner would take again", async () => {
    const cleo = await subscriber("cleo@example.org", [1, 2]);
    const toNews = await send([1]);
    const toOffers = await send([2]);
    const toBoth = await send([1, 2]);
    // A failure waiting for its retry when she leaves.
    await db.update(queue).set({ status: "error", retryable: true, attempts: 1, nextAttemptAt: sql`now()` }).where(eq(queue.messageId, toNews.messageId!));
    await unsubscribeGroup(cleo, 1);
    sent.length = 0;

    expect(await drain("retry")).toMatchObject({ claimed: 1, sent: 0, failed: 1 });
    expect(await drain()).toMatchObject({ sent: 2, failed: 0 });
    // Still in "Offers": the sends to it reach her, the one to both groups once.
    expect(sent).toEqual(["cleo@example.org", "cleo@example.org"]);
    expect(await rowsOf(toNews.messageId!)).toMatchObject([{ status: "error", retryable: false, lastError: UNSUBSCRIBED_NOTE }]);
    expect(await rowsOf(toOffers.messageId!)).toMatchObject([{ status: "sent" }]);
    expect(await rowsOf(toBoth.messageId!)).toMatchObject([{ status: "sent" }]);
  });

  it("a pasted address that leaves a group is stopped too, as a new send would leave it out", async () => {
    const dora = await subscriber("dora@example.org", [2]);
    const pasted = await send([], "dora@example.org\nevan@example.org");
    await unsubscribeGroup(dora, 2);
    sent.length = 0;
    expect(await drain()).toMatchObject({ claimed: 2, sent: 1, failed: 1 });
    expect(sent).toEqual(["evan@example.org"]);
    expect((await rowsOf(pasted.messageId!)).map((r) => [r.to, r.status, r.lastError])).toEqual([
      ["dora@example.org", "error", UNSUBSCRIBED_NOTE],
      ["evan@example.org", "sent", null],
    ]);
  });

  it("holds for Inngest's steps too (deliverClaimed)", async () => {
    const fay = await subscriber("fay@example.org", [1]);
    await subscriber("gus@example.org", [1]);
    const letter = await send([1]);
    expect((await clickOneClick(fay)).status).toBe(200);
    sent.length = 0;
    const claimed = await claim({ kind: "send", siteId: site.id, limit: 10, actor: "inngest-send:t" });
    expect(await deliverClaimed({ ids: claimed.ids, token: claimed.token, actor: "inngest-send:t", transport })).toEqual({ sent: 1, failed: 1, skipped: 0, deferred: 0 });
    expect(sent).toEqual(["gus@example.org"]);
    expect((await rowsOf(letter.messageId!)).map((r) => [r.to, r.status, r.lastError])).toEqual([
      ["fay@example.org", "error", UNSUBSCRIBED_NOTE],
      ["gus@example.org", "sent", null],
    ]);
    expect(await db.select({ status: subscriptions.status }).from(subscriptions).where(and(eq(subscriptions.siteId, site.id), eq(subscriptions.email, "fay@example.org")))).toEqual([{ status: "unsubscribed" }]);
  });

  it("an undo of a leave lets the letters not reached yet go, and leaves those already stopped stopped", async () => {
    const hana = await subscriber("hana@example.org", [1]);
    const undone = async (before: () => Promise<unknown>) => {
      const ticket = await leaveGroup((await findByToken(hana))!, hana, 1);
      await before();
      expect(await undoLeave((await findByToken(hana))!, hana, 1, ticket!)).toBe(true);
    };
    const early = await send([1]);
    // Left, the queue stopped the letter, then she took it back: that row stays an error.
    await undone(drain);
    expect(await rowsOf(early.messageId!)).toMatchObject([{ status: "error", retryable: false, lastError: UNSUBSCRIBED_NOTE }]);
    // Left and took it back before the queue reached the letter: it goes.
    const late = await send([1]);
    await undone(async () => {});
    sent.length = 0;
    expect(await drain()).toMatchObject({ claimed: 1, sent: 1, failed: 0 });
    expect(sent).toEqual(["hana@example.org"]);
    expect(await rowsOf(early.messageId!)).toMatchObject([{ status: "error", lastError: UNSUBSCRIBED_NOTE }]);
    expect(await rowsOf(late.messageId!)).toMatchObject([{ status: "sent" }]);
  });
});

describe("unsubscribing from everything by email after a group SMS was queued", () => {
  /** Confirmed subscribers of group 1 with a number; returns their unsubscribe tokens by address. */
  async function withNumbers(people: [email: string, phone: string][]) {
    await db.insert(subscriptions).values(people.map(([email, phone]) => ({ siteId: site.id, groupId: 1, email, phone, status: "confirmed" as const, source: "screen" as const })));
    return Object.fromEntries(await Promise.all(people.map(async ([email]) => [email, await unsubscribeToken(site.id, email)] as const)));
  }
  /** An SMS template sent to `groupIds` (and pasted numbers) now: its rows wait in the queue. */
  async function sendSms(groupIds: number[], pasted = "") {
    const [template] = await db
      .insert(messageTemplates)
      .values({ siteId: site.id, name: "SMS", channel: "sms", text: "Market day tomorrow", textEdited: true, groupIds, pastedRecipients: pasted })
      .returning();
    return (await sendTemplate(site, template, { actorId: admin.id }))!;
  }
  /** What the runner would decide for the send's rows, by number: the error each would end at. */
  async function stopped(messageId: number) {
    const leased = await db
      .select({ id: queue.id, siteId: queue.siteId, messageId: queue.messageId, channel: queue.channel, recipient: queue.recipient, recipientName: queue.recipientName, variables: queue.variables })
      .from(queue)
      .where(eq(queue.messageId, messageId));
    const messages = new Map<number, OutboundMessage>();
    await loadMessages(leased, messages);
    const notes = await stoppedRows(leased, messages);
    return Object.fromEntries(leased.map((r) => [r.recipient, notes.get(r.id) ?? "goes"]));
  }

  it("stops the SMS to the numbers of that address's subscriptions, pasted ones too; a STOP keeps its own reason", async () => {
    const tokens = await withNumbers([
      ["ivy@example.org", "+33612340001"],
      ["jon@example.org", "+33612340002"],
      ["kim@example.org", "+33612340003"],
    ]);
    const toGroup = await sendSms([1]);
    const pasted = await sendSms([], "+33612340001\n+33612340009");
    expect(await stopped(toGroup.messageId!)).toEqual({ "+33612340001": "goes", "+33612340002": "goes", "+33612340003": "goes" });

    expect((await clickOneClick(tokens["ivy@example.org"])).status).toBe(200);
    await db.insert(smsOptOuts).values({ siteId: site.id, phone: "+33612340003", keyword: "STOP", source: "reply" });
    expect(await stopped(toGroup.messageId!)).toEqual({ "+33612340001": NUMBER_UNSUBSCRIBED_NOTE, "+33612340002": "goes", "+33612340003": OPTED_OUT_BY_REPLY_NOTE });
    expect(await stopped(pasted.messageId!)).toEqual({ "+33612340001": NUMBER_UNSUBSCRIBED_NOTE, "+33612340009": "goes" });
    // As a send made now would decide: the number is out of its audience.
    const again = await sendSms([1], "+33612340001");
    expect(Object.keys(await stopped(again.messageId!))).toEqual(["+33612340002"]);
  });

  it("a number someone else still gives in the send's group still goes", async () => {
    const tokens = await withNumbers([
      ["lea@example.org", "+33612340011"],
      ["max@example.org", "+33612340011"],
    ]);
    const toGroup = await sendSms([1]);
    expect((await clickOneClick(tokens["lea@example.org"])).status).toBe(200);
    expect(await stopped(toGroup.messageId!)).toEqual({ "+33612340011": "goes" });
    expect((await clickOneClick(tokens["max@example.org"])).status).toBe(200);
    expect(await stopped(toGroup.messageId!)).toEqual({ "+33612340011": NUMBER_UNSUBSCRIBED_NOTE });
  });
});
