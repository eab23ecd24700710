import { beforeEach, describe, expect, it } from "vitest";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { messageTemplates, queue, queueEvents, subscriptions, type Site, type User } from "@/db/schema";
import { retryFailuresAction } from "@/app/[locale]/manage/templates/actions";
import { setOverride } from "@/lib/i18n/overrides";
import { eraseSubscriber } from "@/lib/newsletters/erase";
import { retryPlan, retrySendFailures } from "@/lib/newsletters/retry-failures";
import { sendTemplate } from "@/lib/newsletters/send";
import { runQueue } from "@/lib/queue/run";
import { addOptOutByHand, removeOptOut } from "@/lib/sms/opt-out-list";
import { recordOptOuts } from "@/lib/sms/opt-out";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectFailure, expectSuccess, run, type AnyAction } from "../helpers/actions";
import { recordingTransport } from "../helpers/recording-transport";

// "Retry the failures" on a send's report resends only what can go: a failure whose number
// opted out, whose address unsubscribed or was erased, or whose recipient is no number or
// address at all would fail again (two more history entries each) and is left out, and the
// answer says how many, and why.

let site: Site;
let admin: User;
const { transport } = recordingTransport();

beforeEach(async () => {
  site = await makeSite();
  admin = await makeUser(site.id, "admin");
  await setOverride(site.id, "en", "signup_opt1", "News");
});

const none = { optedOut: 0, unsubscribed: 0, invalid: 0 };

/** A send of `channel` to group 1, every row of which then failed for a reason that may pass. */
async function failedSend(channel: "sms" | "email", people: { email: string; phone?: string }[]) {
  await db.insert(subscriptions).values(people.map((p) => ({ siteId: site.id, groupId: 1, email: p.email, phone: p.phone ?? null, status: "confirmed" as const, source: "screen" as const })));
  const [template] = await db
    .insert(messageTemplates)
    .values(
      channel === "sms"
        ? { siteId: site.id, channel, name: "Reminder", subject: "", html: "", text: "Meeting tonight at 8", textEdited: true, groupIds: [1] }
        : { siteId: site.id, name: "Letter", subject: "Hello", html: "<p>Hi <a href='{{unsubscribe_url}}'>leave</a></p>", groupIds: [1] },
    )
    .returning();
  const send = (await sendTemplate(site, template, { actorId: admin.id }))!;
  const error = channel === "sms" ? "SMPP submit_sm: ESME_RSYSERR (0x08)" : "421 4.7.0 Try again later";
  await db.update(queue).set({ status: "error", retryable: false, attempts: 5, lastError: error }).where(eq(queue.messageId, send.messageId!));
  return send;
}

const rowsOf = (messageId: number) =>
  db.select({ id: queue.id, to: queue.recipient, status: queue.status, lastError: queue.lastError }).from(queue).where(eq(queue.messageId, messageId)).orderBy(asc(queue.recipient));
const historyCount = async (ids: number[]) => Number((await db.select({ n: sql<number>`count(*)::int` }).from(queueEvents).where(inArray(queueEvents.queueId, ids)))[0].n);
const idsOf = async (messageId: number, recipients: string[]) => (await rowsOf(messageId)).filter((r) => recipients.includes(r.to)).map((r) => r.id);

describe("retryPlan and retrySendFailures", () => {
  it("an SMS send: numbers on the opt-out list, however they got there, are left out; the others go back and leave", async () => {
    const send = await failedSend("sms", [
      { email: "a@example.org", phone: "+33612348001" },
      { email: "b@example.org", phone: "+33612348002" },
      { email: "c@example.org", phone: "+33612348003" },
      { email: "d@example.org", phone: "+33612348004" },
    ]);
    const messageId = send.messageId!;
    await addOptOutByHand(site.id, "+33612348002");
    await recordOptOuts([{ siteId: site.id, phone: "+33612348003" }], "STOP", "reply");
    const stopped = await idsOf(messageId, ["+33612348002", "+33612348003"]);
    const historyBefore = await historyCount(stopped);

    const plan = await retryPlan(site.id, messageId);
    expect(plan.leftOut).toEqual({ ...none, optedOut: 2 });
    expect(plan.ids.sort()).toEqual((await idsOf(messageId, ["+33612348001", "+33612348004"])).sort());

    expect(await retrySendFailures(site.id, send.id, "user:1")).toEqual({ resent: 2, leftOut: { ...none, optedOut: 2 } });
    expect((await rowsOf(messageId)).map((r) => [r.to, r.status])).toEqual([
      ["+33612348001", "pending"],
      ["+33612348002", "error"],
      ["+33612348003", "error"],
      ["+33612348004", "pending"],
    ]);
    // The left-out rows were not touched: no pending → sending → error round trip in their history.
    expect(await historyCount(stopped)).toBe(historyBefore);
    expect(await runQueue({ kind: "send", siteId: site.id, runner: "t" })).toMatchObject({ claimed: 2, sent: 2, failed: 0 });

    // Again: nothing left that can go, and nothing changes.
    expect(await retrySendFailures(site.id, send.id, "user:1")).toEqual({ resent: 0, leftOut: { ...none, optedOut: 2 } });
    expect(await historyCount(stopped)).toBe(historyBefore);

    // The decision is made now, not read from the stored error: an opt-out taken back makes its row retriable.
    await removeOptOut(site.id, "+33612348002");
    expect(await retrySendFailures(site.id, send.id, "user:1")).toEqual({ resent: 1, leftOut: { ...none, optedOut: 1 } });
  });

  it("a recipient that is no number at all is left out as invalid", async () => {
    const send = await failedSend("sms", [{ email: "a@example.org", phone: "+33612348011" }, { email: "b@example.org", phone: "+33612348012" }]);
    await db.update(queue).set({ recipient: "0612" }).where(and(eq(queue.messageId, send.messageId!), eq(queue.recipient, "+33612348012")));
    expect(await retrySendFailures(site.id, send.id, "user:1")).toEqual({ resent: 1, leftOut: { ...none, invalid: 1 } });
  });

  it("a newsletter: an address that unsubscribed or was erased is left out", async () => {
    const send = await failedSend("email", [{ email: "ann@example.org" }, { email: "bob@example.org" }, { email: "cleo@example.org" }]);
    await db.update(subscriptions).set({ status: "unsubscribed" }).where(and(eq(subscriptions.siteId, site.id), eq(subscriptions.email, "ann@example.org")));
    await eraseSubscriber(site.id, "cleo@example.org", "user:1");
    expect(await retrySendFailures(site.id, send.id, "user:1")).toEqual({ resent: 1, leftOut: { ...none, unsubscribed: 2 } });
    expect(await runQueue({ kind: "send", siteId: site.id, runner: "t", transport })).toMatchObject({ claimed: 1, sent: 1 });
    expect((await rowsOf(send.messageId!)).filter((r) => r.status === "sent").map((r) => r.to)).toEqual(["bob@example.org"]);
  });
});

describe("retryFailuresAction", () => {
  it("answers what happened: how many went back, how many were left out and why", async () => {
    const send = await failedSend("sms", [{ email: "a@example.org", phone: "+33612348021" }, { email: "b@example.org", phone: "+33612348022" }, { email: "c@example.org", phone: "+33612348023" }]);
    await recordOptOuts([{ siteId: site.id, phone: "+33612348023" }], "", "provider");
    actAs(admin.id, site.domain);
    expect(expectSuccess(await run(retryFailuresAction as AnyAction, { id: send.id }))).toEqual({ ok: true, data: { resent: 2, leftOut: { ...none, optedOut: 1 } } });
  });

  it("checks the role itself: a member is refused and nothing is resent", async () => {
    const send = await failedSend("sms", [{ email: "a@example.org", phone: "+33612348031" }]);
    actAs((await makeUser(site.id, "member")).id, site.domain);
    expectFailure(await run(retryFailuresAction as AnyAction, { id: send.id }), "errors.forbidden");
    expect((await rowsOf(send.messageId!)).map((r) => r.status)).toEqual(["error"]);
  });
});

describe("a send with more failures than one page of the plan", () => {
  it("counts every one of them, across pages", async () => {
    const [template] = await db.insert(messageTemplates).values({ siteId: site.id, name: "Big", subject: "Hi", html: "<p>Hi</p>", pastedRecipients: "seed@example.org" }).returning();
    const send = (await sendTemplate(site, template, { actorId: admin.id }))!;
    // 5,003 rows in error beyond the first page: 5,001 addresses that may pass, 2 that never will.
    await db.execute(sql`
      insert into queue (site_id, message_id, channel, recipient, status, retryable, last_error)
      select ${site.id}, ${send.messageId}, 'email', case when i <= 5001 then 'big' || i || '@example.org' else 'not an address ' || i end, 'error', false, '550 refused'
        from generate_series(1, 5003) as i`);
    await db.update(queue).set({ status: "error", lastError: "550 refused" }).where(and(eq(queue.messageId, send.messageId!), eq(queue.recipient, "seed@example.org")));
    const plan = await retryPlan(site.id, send.messageId!);
    expect(plan.ids).toHaveLength(5002);
    expect(new Set(plan.ids).size).toBe(5002);
    expect(plan.leftOut).toEqual({ ...none, invalid: 2 });
  });
});
