import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { erasedSubscribers, messageTemplates, outboundMessages, queue, queueEvents, smsOptOuts, smsReplies, subscriberKeys, subscriptions, type Site, type User } from "@/db/schema";
import { addSubscriberAction, eraseSubscriberAction, pasteSubscribersAction } from "@/app/[locale]/manage/subscriptions/actions";
import { previewImportAction, runImportAction } from "@/app/[locale]/manage/subscriptions/[group]/import/actions";
import { setOverride } from "@/lib/i18n/overrides";
import { unsubscribeToken } from "@/lib/newsletters/keys";
import { sendTemplate } from "@/lib/newsletters/send";
import { confirmSubscription, signup } from "@/lib/newsletters/signup";
import { ERASED_NOTE } from "@/lib/queue/notes";
import { runQueue } from "@/lib/queue/run";
import { recordOutcomes } from "@/lib/queue/record";
import { recoverExpiredLeases, releaseClaim } from "@/lib/queue/claim";
import { resendErrors } from "@/lib/queue/operate";
import { changeQueueAction, countQueueAction } from "@/app/[locale]/manage/queue/actions";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { recordingTransport } from "../helpers/recording-transport";
import { expectFailure, expectSuccess, run } from "../helpers/actions";

// "Erase this person": the address's subscriptions, key and replies go from one site, only a
// keyed hash stays, lists cannot bring it back, and only the person's own signup can.
let site: Site;
let other: Site;
let admin: User;
const { transport, sent } = recordingTransport();

beforeAll(async () => {
  site = await makeSite({ domain: "erase.example.org" });
  other = await makeSite({ domain: "erase-other.example.org" });
  admin = await makeUser(site.id, "admin");
  for (const s of [site, other]) for (const id of [1, 2]) for (const l of ["fr", "en"] as const) await setOverride(s.id, l, `signup_opt${id}`, `Group ${id}`);
});

const PHONE = "+33612349901";
/** Ann in both groups of `on` (one confirmed, one unsubscribed), with a key, a number and an SMS reply. */
async function ann(on: Site, email = "ann@example.org") {
  await db.insert(subscriptions).values([
    { siteId: on.id, groupId: 1, email, name: "Ann Example", phone: PHONE, status: "confirmed", source: "signup", consentIp: "203.0.113.9", consentUserAgent: "UA", consentText: "I agree" },
    { siteId: on.id, groupId: 2, email, name: "Ann Example", phone: PHONE, status: "unsubscribed", source: "import", unsubscribedAt: new Date() },
  ]);
  await unsubscribeToken(on.id, email);
  await db.insert(smsReplies).values({ siteId: on.id, phone: PHONE, text: "Hello from Ann" });
}

/** Every text column of the newsletter tables that could still hold the address or number. */
async function traces(siteId: number, needle: string) {
  return rows<{ t: string }>(
    await db.execute(sql`
      select 'subscriptions' as t from subscriptions where site_id = ${siteId} and (email = ${needle} or phone = ${needle})
      union all select 'subscriber_keys' from subscriber_keys where site_id = ${siteId} and email = ${needle}
      union all select 'sms_replies' from sms_replies where site_id = ${siteId} and phone = ${needle}
      union all select 'erased_subscribers' from erased_subscribers where site_id = ${siteId} and email_hash like ${`%${needle}%`}`),
  ).map((r) => r.t);
}

const erase = (email: string) => run(eraseSubscriberAction, { email });

describe("erasing a person", () => {
  it("deletes every row, key and reply of the address on that site only, and keeps only a keyed hash", async () => {
    await ann(site);
    await ann(other);
    await db.insert(smsOptOuts).values({ siteId: site.id, phone: PHONE, keyword: "STOP" });
    actAs(admin.id, site.domain);
    const result = expectSuccess(await erase(" Ann@Example.org "));
    expect(result).toMatchObject({ ok: true, data: { email: "ann@example.org", subscriptions: 2, replies: 1 } });

    expect(await traces(site.id, "ann@example.org")).toEqual([]);
    expect(await traces(site.id, PHONE)).toEqual([]);
    // The address's keyed hash and its number's (lib/newsletters/erase.ts, erasedPhoneHash).
    const entries = await db.select().from(erasedSubscribers).where(eq(erasedSubscribers.siteId, site.id));
    expect(entries).toHaveLength(2);
    for (const entry of entries) {
      expect(entry.emailHash).not.toContain("ann");
      expect(entry.emailHash).not.toContain(PHONE.slice(1));
      expect(entry.emailHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
    // A STOP is the number's own objection to SMS: it stays.
    expect(await db.select({ phone: smsOptOuts.phone }).from(smsOptOuts).where(eq(smsOptOuts.siteId, site.id))).toEqual([{ phone: PHONE }]);
    // The other site keeps everything.
    expect((await traces(other.id, "ann@example.org")).sort()).toEqual(["subscriber_keys", "subscriptions", "subscriptions"]);
    expect(await traces(other.id, PHONE)).toEqual(["subscriptions", "subscriptions", "sms_replies"]);
    expect(await db.select().from(erasedSubscribers).where(eq(erasedSubscribers.siteId, other.id))).toEqual([]);
  });

  it("an administrator's add, paste and import of the address are refused with the reason", async () => {
    await ann(site, "bea@example.org");
    actAs(admin.id, site.domain);
    expectSuccess(await erase("bea@example.org"));

    const added = expectFailure(await run(addSubscriberAction, { group: "1", email: "bea@example.org", name: "Bea", phone: "" }), "errors.erasedAddress");
    expect(added.fieldErrors?.email?.key).toBe("errors.erasedAddress");
    const pasted = expectSuccess(await run(pasteSubscribersAction, { group: "1", addresses: "bea@example.org\nnew-one@example.org" }));
    expect(pasted).toMatchObject({ data: { added: 1, refused: ["bea@example.org"] } });

    const input = { group: "2", csv: "email,name\nBEA@example.org,Bea\nnew-two@example.org,New", delimiter: "auto", status: "confirmed", fileName: "old.csv", locale: "en" };
    const preview = expectSuccess(await run(previewImportAction, input)) as { data: { counts: Record<string, number>; rows: { email: string; outcome: string; refused: boolean }[] } };
    expect(preview.data.counts).toMatchObject({ added: 1, erased: 1 });
    expect(preview.data.rows.find((r) => r.email === "bea@example.org")).toMatchObject({ outcome: "erased", refused: true });
    const report = expectSuccess(await run(runImportAction, input)) as { data: { added: number; refused: { email: string; reason: string }[] } };
    expect(report.data).toMatchObject({ added: 1, refused: [{ email: "bea@example.org", reason: "erased" }] });
    expect(await traces(site.id, "bea@example.org")).toEqual([]);
  });

  it("the person's own signup and confirmation work and lift the entry", async () => {
    actAs(admin.id, site.domain);
    expectSuccess(await erase("cleo@example.org"));
    await signup(site, { email: "cleo@example.org", groupIds: [1], locale: "en", ip: "203.0.113.7", userAgent: "UA", consentText: "Yes" });
    // Typed into the form by anyone: not yet the person's word, an administrator still cannot confirm it.
    expectFailure(await run(addSubscriberAction, { group: "1", email: "cleo@example.org", name: "", phone: "" }), "errors.erasedAddress");
    const [mail] = await db.select({ text: outboundMessages.text }).from(outboundMessages).innerJoin(queue, eq(queue.messageId, outboundMessages.id)).where(and(eq(queue.siteId, site.id), eq(queue.recipient, "cleo@example.org")));
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail.text!)![1];
    expect(await confirmSubscription(token, site.id)).toMatchObject({ email: "cleo@example.org", groupIds: [1] });
    expect(await db.select().from(erasedSubscribers).where(eq(erasedSubscribers.siteId, site.id))).toHaveLength(3); // ann (address and number) and bea, not cleo
    expect(await run(addSubscriberAction, { group: "2", email: "cleo@example.org", name: "", phone: "" })).toMatchObject({ ok: true, data: { outcome: "added" } });
  });

  it("newsletters already queued to the address do not go out, and a pasted list does not reach it", async () => {
    await db.insert(subscriptions).values([
      { siteId: site.id, groupId: 1, email: "dan@example.org", status: "confirmed", source: "screen" },
      { siteId: site.id, groupId: 1, email: "eve@example.org", status: "confirmed", source: "screen" },
    ]);
    const [template] = await db.insert(messageTemplates).values({ siteId: site.id, name: "News", subject: "Hi", html: "<p>Hi</p>", groupIds: [1] }).returning();
    const letter = (await sendTemplate(site, template, { actorId: admin.id }))!;
    actAs(admin.id, site.domain);
    expectSuccess(await erase("dan@example.org"));
    sent.length = 0;
    await runQueue({ kind: "send", siteId: site.id, runner: "t", transport });
    expect(sent).not.toContain("dan@example.org");
    expect(sent).toContain("eve@example.org");
    // Cancelled at the erasure, and the row no longer holds the address: it reached no one.
    const left = await db.select({ to: queue.recipient, name: queue.recipientName, variables: queue.variables, status: queue.status, lastError: queue.lastError }).from(queue).where(eq(queue.messageId, letter.messageId!)).orderBy(asc(queue.id));
    expect(left.map((r) => r.to)).not.toContain("dan@example.org");
    expect(left.find((r) => r.to.startsWith("erased-"))).toEqual({ to: expect.stringMatching(/^erased-\d+$/), name: "", variables: {}, status: "error", lastError: ERASED_NOTE });
    expect(await traces(site.id, "dan@example.org")).toEqual([]);

    // It has no one to go to: setting it back to pending, alone, with its send or with every
    // error of the site, leaves it as it is (and the confirmation counts it out).
    const erasedRow = (await db.select({ id: queue.id, to: queue.recipient }).from(queue).where(eq(queue.messageId, letter.messageId!))).find((r) => r.to.startsWith("erased-"))!;
    const bulk = (target: "ids" | "filter", filter: string) => ({ op: "pending", target, ids: target === "ids" ? [erasedRow.id] : [], filter });
    expect(expectSuccess(await run(countQueueAction, bulk("ids", "")))).toMatchObject({ data: { count: 0 } });
    expect(expectSuccess(await run(changeQueueAction, bulk("ids", "")))).toMatchObject({ data: { count: 0 } });
    expect(expectSuccess(await run(changeQueueAction, bulk("filter", "status=error")))).toMatchObject({ data: { count: 0 } });
    await resendErrors(site.id, "t");
    const [still] = await db.select({ status: queue.status, lastError: queue.lastError }).from(queue).where(eq(queue.id, erasedRow.id));
    expect(still).toEqual({ status: "error", lastError: ERASED_NOTE });

    const [list] = await db.insert(messageTemplates).values({ siteId: site.id, name: "List", subject: "Hi", html: "<p>Hi</p>", pastedRecipients: "dan@example.org\nzed@example.org" }).returning();
    const toList = (await sendTemplate(site, list, { actorId: admin.id }))!;
    expect(await db.select({ to: queue.recipient }).from(queue).where(eq(queue.messageId, toList.messageId!)).orderBy(asc(queue.recipient))).toEqual([{ to: "zed@example.org" }]);
    // No unsubscribe key was made for it either.
    expect(await db.select().from(subscriberKeys).where(and(eq(subscriberKeys.siteId, site.id), eq(subscriberKeys.email, "dan@example.org")))).toEqual([]);
  });

  it("group SMS still waiting for the person's number are cancelled, but not a number someone else still has", async () => {
    const [own, shared] = ["+33612349911", "+33612349922"];
    await db.insert(subscriptions).values([
      { siteId: site.id, groupId: 2, email: "fay@example.org", phone: own, status: "confirmed", source: "screen" },
      { siteId: site.id, groupId: 2, email: "gus@example.org", phone: shared, status: "confirmed", source: "screen" },
      { siteId: site.id, groupId: 2, email: "hal@example.org", phone: shared, status: "confirmed", source: "screen" },
    ]);
    const [template] = await db.insert(messageTemplates).values({ siteId: site.id, name: "Texts", channel: "sms", subject: "", html: "", text: "See you Saturday", groupIds: [2] }).returning();
    const texts = (await sendTemplate(site, template, { actorId: admin.id }))!;
    const byNumber = async () =>
      Object.fromEntries(
        (await db.select({ to: queue.recipient, status: queue.status, lastError: queue.lastError }).from(queue).where(eq(queue.messageId, texts.messageId!))).map((r) => [r.to, [r.status, r.lastError]]),
      );
    expect(await byNumber()).toEqual({ [own]: ["pending", null], [shared]: ["pending", null] });
    actAs(admin.id, site.domain);
    expectSuccess(await erase("fay@example.org"));
    expectSuccess(await erase("gus@example.org"));
    // Fay's number is no one's now: her cancelled SMS forgets it. Gus's is still Hal's: untouched.
    const after = await byNumber();
    expect(Object.keys(after)).not.toContain(own);
    expect(Object.entries(after).find(([to]) => to.startsWith("erased-"))?.[1]).toEqual(["error", ERASED_NOTE]);
    expect(after[shared]).toEqual(["pending", null]);
  });

  it("a newsletter the address already received stays as the delivery record; one that failed forgets it", async () => {
    await db.insert(subscriptions).values([{ siteId: site.id, groupId: 1, email: "ivy@example.org", status: "confirmed", source: "screen" }]);
    const [template] = await db.insert(messageTemplates).values({ siteId: site.id, name: "Twice", subject: "Hi", html: "<p>Hi</p>", groupIds: [1] }).returning();
    const first = (await sendTemplate(site, template, { actorId: admin.id }))!;
    const second = (await sendTemplate(site, template, { actorId: admin.id }))!;
    await db.update(queue).set({ status: "sent", sentAt: new Date() }).where(and(eq(queue.messageId, first.messageId!), eq(queue.recipient, "ivy@example.org")));
    // The provider's answer quotes the address, in the row and in its history.
    const refusal = "550 5.1.1 <ivy@example.org>: mailbox unavailable";
    const [failedRow] = await db.update(queue).set({ status: "error", retryable: false, lastError: refusal }).where(and(eq(queue.messageId, second.messageId!), eq(queue.recipient, "ivy@example.org"))).returning();
    await db.insert(queueEvents).values({ queueId: failedRow.id, fromStatus: "sending", toStatus: "error", actor: "t", error: refusal });
    // A resend of the first that failed: it was sent once, and stays the delivery record.
    await db.update(queue).set({ status: "error", lastError: refusal }).where(and(eq(queue.messageId, first.messageId!), eq(queue.recipient, "ivy@example.org")));
    actAs(admin.id, site.domain);
    expectSuccess(await erase("ivy@example.org"));
    const rowsOf = (messageId: number) => db.select({ id: queue.id, to: queue.recipient, status: queue.status, lastError: queue.lastError }).from(queue).where(eq(queue.messageId, messageId));
    expect(await rowsOf(first.messageId!)).toContainEqual(expect.objectContaining({ to: "ivy@example.org", status: "error", lastError: refusal }));
    const failed = (await rowsOf(second.messageId!)).filter((r) => r.id === failedRow.id);
    expect(failed).toEqual([{ id: failedRow.id, to: `erased-${failedRow.id}`, status: "error", lastError: "550 5.1.1 <[erased]>: mailbox unavailable" }]);
    const history = await db.select({ error: queueEvents.error }).from(queueEvents).where(eq(queueEvents.queueId, failedRow.id));
    expect(history.map((h) => h.error).filter(Boolean)).toEqual(["550 5.1.1 <[erased]>: mailbox unavailable"]);
  });

  it("a message being sent as the person is erased: its failure or deferral afterwards ends it, without their address", async () => {
    actAs(admin.id, site.domain);
    // Two confirmation mails to the address, each taken by a runner (sending, under its lease).
    for (const ip of ["203.0.113.21", "203.0.113.22"]) await signup(site, { email: "dora@example.org", groupIds: [1], locale: "en", ip, userAgent: "UA", consentText: "Yes" });
    const mails = await db.select({ id: queue.id }).from(queue).where(and(eq(queue.siteId, site.id), eq(queue.recipient, "dora@example.org"))).orderBy(asc(queue.id));
    expect(mails).toHaveLength(2);
    const token = randomUUID();
    await db.update(queue).set({ status: "sending", leaseToken: token, leaseExpiresAt: sql`now() + interval '5 minutes'` }).where(inArray(queue.id, mails.map((m) => m.id)));
    expectSuccess(await erase("dora@example.org"));
    // The runner's answers come after the erasure: a temporary refusal quoting the address, and a deferral.
    await recordOutcomes(token, "runner", [
      { id: mails[0].id, ok: false, transient: true, error: "451 4.7.1 <dora@example.org>: try again later" },
      { id: mails[1].id, ok: false, deferredUntil: new Date(Date.now() + 3_600_000) },
    ]);
    const after = await db.select().from(queue).where(inArray(queue.id, mails.map((m) => m.id))).orderBy(asc(queue.id));
    expect(after.map((r) => ({ status: r.status, retryable: r.retryable, recipient: r.recipient, lastError: r.lastError }))).toEqual(
      mails.map((m) => ({ status: "error", retryable: false, recipient: `erased-${m.id}`, lastError: ERASED_NOTE })),
    );
    const history = await db.select({ error: queueEvents.error }).from(queueEvents).where(inArray(queueEvents.queueId, mails.map((m) => m.id)));
    expect(history.map((h) => h.error ?? "").join(" ")).not.toContain("dora");
  });

  it("a message being sent as the person is erased, given back by its runner or its expired lease: it ends cancelled, never tried to 'erased-<id>'", async () => {
    actAs(admin.id, site.domain);
    for (const ip of ["203.0.113.31", "203.0.113.32"]) await signup(site, { email: "edna@example.org", groupIds: [1], locale: "en", ip, userAgent: "UA", consentText: "Yes" });
    const mails = await db.select({ id: queue.id }).from(queue).where(and(eq(queue.siteId, site.id), eq(queue.recipient, "edna@example.org"))).orderBy(asc(queue.id));
    expect(mails).toHaveLength(2);
    const [released, expired] = [randomUUID(), randomUUID()];
    await db.update(queue).set({ status: "sending", leaseToken: released, leaseExpiresAt: sql`now() + interval '5 minutes'` }).where(eq(queue.id, mails[0].id));
    await db.update(queue).set({ status: "sending", leaseToken: expired, leaseExpiresAt: sql`now() + interval '5 minutes'` }).where(eq(queue.id, mails[1].id));
    expectSuccess(await erase("edna@example.org"));
    // One runner stops before sending (its claim given back), the other dies (its lease runs out).
    await releaseClaim(released);
    await db.update(queue).set({ leaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(queue.id, mails[1].id));
    await recoverExpiredLeases(site.id);
    const after = await db.select().from(queue).where(inArray(queue.id, mails.map((m) => m.id))).orderBy(asc(queue.id));
    // Back to pending, they were sent to "erased-<id>" and failed as a malformed address.
    expect(after.map((r) => ({ status: r.status, retryable: r.retryable, lastError: r.lastError }))).toEqual(
      mails.map(() => ({ status: "error", retryable: false, lastError: ERASED_NOTE })),
    );
    const history = await db.select({ to: queueEvents.toStatus, error: queueEvents.error }).from(queueEvents).where(inArray(queueEvents.queueId, mails.map((m) => m.id))).orderBy(asc(queueEvents.id));
    expect(history.slice(-2)).toEqual([{ to: "error", error: ERASED_NOTE }, { to: "error", error: ERASED_NOTE }]);
  });

  it("a confirmation mail sent before the erasure and set back to pending does not reach the person; one for a signup they make afterwards does", async () => {
    actAs(admin.id, site.domain);
    const email = "finn@example.org";
    await signup(site, { email, groupIds: [1], locale: "en", ip: "203.0.113.31", userAgent: "UA", consentText: "Yes" });
    await runQueue({ kind: "send", siteId: site.id, runner: "t", transport });
    const [before] = await db.select({ id: queue.id, status: queue.status }).from(queue).where(and(eq(queue.siteId, site.id), eq(queue.recipient, email)));
    expect(before.status).toBe("sent"); // a delivery record: the erasure keeps its recipient
    expectSuccess(await erase(email));
    // An administrator sends it again by hand (the row still names the address).
    expect(expectSuccess(await run(changeQueueAction, { op: "pending", target: "ids", ids: [before.id], filter: "" }))).toMatchObject({ data: { count: 1 } });
    sent.length = 0;
    await runQueue({ kind: "send", siteId: site.id, runner: "t", transport });
    expect(sent).not.toContain(email);
    // It says why: no one cancelled it by hand, the person was erased on request.
    const [after] = await db.select({ status: queue.status, lastError: queue.lastError }).from(queue).where(eq(queue.id, before.id));
    expect(after).toEqual({ status: "error", lastError: ERASED_NOTE });
    // The person comes back by themselves: their new confirmation mail goes.
    await new Promise((resolve) => setTimeout(resolve, 5)); // queued after the erasure, by the clock too
    await signup(site, { email, groupIds: [1], locale: "en", ip: "203.0.113.32", userAgent: "UA", consentText: "Yes" });
    await runQueue({ kind: "send", siteId: site.id, runner: "t", transport });
    expect(sent).toEqual([email]);
  });

  it("a member, another site's admin and a guest cannot erase", async () => {
    await ann(site, "fay@example.org");
    const member = await makeUser(site.id, "member");
    const otherAdmin = await makeUser(other.id, "admin");
    for (const [who, key] of [[member.id, "errors.forbidden"], [otherAdmin.id, "errors.forbidden"], [null, "errors.signInRequired"]] as const) {
      actAs(who, site.domain);
      expectFailure(await erase("fay@example.org"), key);
    }
    expect(await traces(site.id, "fay@example.org")).toHaveLength(3);
    // A superuser of the site can.
    actAs((await makeUser(site.id, "superuser")).id, site.domain);
    expect(expectSuccess(await erase("fay@example.org"))).toMatchObject({ data: { subscriptions: 2 } });
  });
});
