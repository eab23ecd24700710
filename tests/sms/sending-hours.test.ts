import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { messageTemplates, newsletterSends, outboundMessages, queue, queueEvents, queueRuns, sites, subscriptions, type SendWindow, type Site, type User } from "@/db/schema";
import { saveSiteAction } from "@/app/[locale]/manage/sites/actions";
import { countSendAction, sendTemplateAction, testSmsAction } from "@/app/[locale]/manage/templates/actions";
import { startQueueRunAction } from "@/app/[locale]/manage/queue/actions";
import { createGroup } from "@/lib/newsletters/groups";
import { sendReport } from "@/lib/newsletters/send";
import { runQueue } from "@/lib/queue/run";
import { claim, releaseClaim } from "@/lib/queue/claim";
import { recordOutcomes } from "@/lib/queue/record";
import { deliverClaimed } from "@/lib/queue/deliver";
import type { EmailTransport } from "@/lib/mail/transport";
import { listQueue, queueWhere } from "@/lib/queue/list";
import { DEFERRED_NOTE } from "@/lib/queue/notes";
import { nextOpening, sendWindowOf, windowGate, windowState } from "@/lib/sms/sending-hours";
import { closeSmsTransports } from "@/lib/sms/resolve";
import { retimeWaitingSms, siteHoursGate } from "@/lib/sms/site-hours";
import { describeDays } from "@/lib/sms/sms-hours";
import { instantOf } from "@/lib/time-zone";
import { windowStateWith } from "@/lib/sms/window";
import type { SmsTransport } from "@/lib/sms/transport";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectFailure, expectSuccess, run, type AnyAction } from "../helpers/actions";

const paris: SendWindow = { from: "08:00", to: "20:00", days: [1, 2, 3, 4, 5, 6], skipHolidays: true, timeZone: "Europe/Paris", country: "FR" };
const at = (iso: string) => new Date(iso);

describe("sending hours: when a window is open and when it opens next", () => {
  it("is open from its start until (not including) its end, in the site's time zone", () => {
    // Tuesday 1 December 2026, Paris is UTC+1.
    expect(windowState(paris, at("2026-12-01T09:00:00Z"))).toEqual({ open: true, closesAt: at("2026-12-01T19:00:00Z") });
    expect(windowState(paris, at("2026-12-01T07:00:00Z"))).toEqual({ open: true, closesAt: at("2026-12-01T19:00:00Z") });
    expect(windowState(paris, at("2026-12-01T06:59:59Z"))).toEqual({ open: false, opensAt: at("2026-12-01T07:00:00Z") });
    expect(windowState(paris, at("2026-12-01T19:00:00Z"))).toEqual({ open: false, opensAt: at("2026-12-02T07:00:00Z") });
    expect(nextOpening(paris, at("2026-12-01T12:34:00Z"))).toEqual(at("2026-12-01T12:34:00Z"));
  });

  it("an end of 00:00 is midnight at the end of the day", () => {
    const evenings: SendWindow = { ...paris, from: "18:00", to: "00:00" };
    // Tuesday 1 December, 23:30 in Paris: open until Wednesday 00:00 (23:00 UTC).
    expect(windowState(evenings, at("2026-12-01T22:30:00Z"))).toEqual({ open: true, closesAt: at("2026-12-01T23:00:00Z") });
    expect(windowState(evenings, at("2026-12-01T23:00:00Z"))).toEqual({ open: false, opensAt: at("2026-12-02T17:00:00Z") });
  });

  it("skips the days not ticked (Sunday) and the country's public holidays", () => {
    // Saturday 5 December, 21:00 in Paris: Sunday is closed, Monday 08:00 opens.
    expect(nextOpening(paris, at("2026-12-05T20:00:00Z"))).toEqual(at("2026-12-07T07:00:00Z"));
    // Thursday 24 December after 20:00: Christmas (Friday) is a holiday, Saturday 26 opens.
    expect(nextOpening(paris, at("2026-12-24T19:30:00Z"))).toEqual(at("2026-12-26T07:00:00Z"));
    // The same without the holiday rule: Friday.
    expect(nextOpening({ ...paris, skipHolidays: false }, at("2026-12-24T19:30:00Z"))).toEqual(at("2026-12-25T07:00:00Z"));
    // 14 July 2027 is a Wednesday and a holiday; Easter Monday 2027 is 29 March (computed, not listed).
    expect(nextOpening(paris, at("2027-07-13T19:30:00Z"))).toEqual(at("2027-07-15T06:00:00Z"));
    expect(nextOpening(paris, at("2027-03-27T19:30:00Z"))).toEqual(at("2027-03-30T06:00:00Z"));
  });

  it("follows the changes of offset: 08:00 is 07:00 UTC in winter and 06:00 UTC in summer", () => {
    // Saturday 28 March 2026 evening (UTC+1); Sunday 29 the clocks go forward; Monday 08:00 is UTC+2.
    expect(nextOpening(paris, at("2026-03-28T19:30:00Z"))).toEqual(at("2026-03-30T06:00:00Z"));
    // Saturday 24 October 2026 evening (UTC+2); Sunday 25 they go back; Monday 08:00 is UTC+1.
    expect(nextOpening(paris, at("2026-10-24T18:30:00Z"))).toEqual(at("2026-10-26T07:00:00Z"));
  });

  it("a time the clocks skip or show twice is read as Temporal's \"compatible\" rule reads it", () => {
    // Paris, 29 March 2026: 02:00–03:00 does not exist; 02:30 is read as 03:30 (UTC+2).
    expect(instantOf(2026, 3, 29, 150, "Europe/Paris")).toEqual(at("2026-03-29T01:30:00Z"));
    // Paris, 25 October 2026: 02:30 happens twice; the first one counts.
    expect(instantOf(2026, 10, 25, 150, "Europe/Paris")).toEqual(at("2026-10-25T00:30:00Z"));
    // Santiago goes from Saturday 23:59 to Sunday 01:00 on 6 September 2026: a Sunday-only window
    // from midnight is not open on Saturday evening, and opens at the first minute of Sunday.
    const santiago: SendWindow = { from: "00:00", to: "06:00", days: [7], skipHolidays: false, timeZone: "America/Santiago", country: "CL" };
    expect(windowState(santiago, at("2026-09-06T03:30:00Z"))).toEqual({ open: false, opensAt: at("2026-09-06T04:00:00Z") });
    expect(windowState(santiago, at("2026-09-06T04:00:00Z"))).toEqual({ open: true, closesAt: at("2026-09-06T09:00:00Z") });
    // A zone with a half-hour offset.
    expect(instantOf(2026, 7, 1, 480, "Asia/Kolkata")).toEqual(at("2026-07-01T02:30:00Z"));
  });

  it("hours that start in a skipped hour open at its end; hours skipped whole leave the day closed; an hour shown twice is read on the clock", () => {
    const everyDay = (timeZone: string, from: string, to: string): SendWindow => ({ from, to, days: [1, 2, 3, 4, 5, 6, 7], skipHolidays: false, timeZone, country: "FR" });
    // Paris, Sunday 30 March 2025: 02:00–03:00 is skipped. 02:30–03:30 opens at 03:00 (01:00 UTC)
    // and closes at 03:30, as the clock shows it; the announced opening is open.
    const paris = everyDay("Europe/Paris", "02:30", "03:30");
    expect(windowState(paris, at("2025-03-29T12:00:00Z"))).toEqual({ open: false, opensAt: at("2025-03-30T01:00:00Z") });
    expect(windowState(paris, at("2025-03-30T00:45:00Z"))).toEqual({ open: false, opensAt: at("2025-03-30T01:00:00Z") });
    expect(windowState(paris, at("2025-03-30T01:00:00Z"))).toEqual({ open: true, closesAt: at("2025-03-30T01:30:00Z") });
    // 02:00–02:45 does not exist that day: closed until Monday 02:00.
    expect(windowState(everyDay("Europe/Paris", "02:00", "02:45"), at("2025-03-29T12:00:00Z"))).toEqual({ open: false, opensAt: at("2025-03-31T00:00:00Z") });
    // Santiago, Sunday 7 September 2025: the clocks go from 23:59 to 01:00, so 00:00–01:00 never shows.
    const santiago = everyDay("America/Santiago", "00:00", "01:00");
    expect(windowState(santiago, at("2025-09-06T12:00:00Z"))).toEqual({ open: false, opensAt: at("2025-09-08T03:00:00Z") });
    expect(windowState(santiago, at("2025-09-08T03:00:00Z"))).toEqual({ open: true, closesAt: at("2025-09-08T04:00:00Z") });
    // Paris, Sunday 26 October 2025: 02:00–03:00 is shown twice. 02:30–03:30 is open from the first
    // 02:30 to the first 03:00, closed while the clock shows 02:00–02:30 again, then open to 03:30.
    const autumn = everyDay("Europe/Paris", "02:30", "03:30");
    expect(windowState(autumn, at("2025-10-26T00:40:00Z"))).toEqual({ open: true, closesAt: at("2025-10-26T01:00:00Z") });
    expect(windowState(autumn, at("2025-10-26T01:10:00Z"))).toEqual({ open: false, opensAt: at("2025-10-26T01:30:00Z") });
    expect(windowState(autumn, at("2025-10-26T01:30:00Z"))).toEqual({ open: true, closesAt: at("2025-10-26T02:30:00Z") });
    // Hours around a skipped hour stay one span: 01:00–04:00 that Sunday closes once, at 04:00.
    expect(windowState(everyDay("Europe/Paris", "01:00", "04:00"), at("2025-03-30T00:30:00Z"))).toEqual({ open: true, closesAt: at("2025-03-30T02:00:00Z") });
  });

  it("the browser's copy works from the holiday dates it is given", () => {
    const given = new Set(["2026-12-02"]);
    // Tuesday 1 December after closing: Wednesday 2 is a holiday in the given list, Thursday opens.
    expect(windowStateWith(paris, at("2026-12-01T19:30:00Z"), (_c, day) => given.has(day))).toEqual({ open: false, opensAt: at("2026-12-03T07:00:00Z") });
    expect(windowStateWith(paris, at("2026-12-01T19:30:00Z"), () => false)).toEqual({ open: false, opensAt: at("2026-12-02T07:00:00Z") });
  });

  it("reads another zone and another country's holidays", () => {
    const newYork: SendWindow = { from: "09:00", to: "17:00", days: [1, 2, 3, 4, 5], skipHolidays: true, timeZone: "America/New_York", country: "US" };
    // Wednesday 25 November 2026, 18:00 in New York (UTC-5): Thursday is Thanksgiving, Friday opens.
    expect(nextOpening(newYork, at("2026-11-25T23:00:00Z"))).toEqual(at("2026-11-27T14:00:00Z"));
  });

  it("a runner's gate reads a site again after a failed read, and holds the site's SMS once when closed", async () => {
    let reads = 0;
    const retimed: number[] = [];
    const gate = siteHoursGate({
      load: async () => {
        if (++reads === 1) throw new Error("database away");
        return paris;
      },
      retime: async (siteId) => void retimed.push(siteId),
    });
    const sunday = at("2026-12-06T12:00:00Z");
    await expect(gate.closedUntil(7, sunday)).rejects.toThrow("database away");
    expect(await gate.closedUntil(7, sunday)).toEqual(at("2026-12-07T07:00:00Z"));
    expect(await gate.closedUntil(7, sunday)).toEqual(at("2026-12-07T07:00:00Z"));
    // Closed: the site's SMS were retimed once for the run, and once more when it settles.
    expect(retimed).toEqual([7]);
    await gate.settle();
    expect(retimed).toEqual([7, 7]);
    expect(await gate.closedUntil(7, at("2026-12-07T09:00:00Z"))).toBeNull();
  });

  it("a zone this runtime does not know (written to the database by hand) reads as UTC rather than failing", () => {
    expect(sendWindowOf({ smsHours: { on: true, from: "08:00", to: "20:00", days: [1], skipHolidays: false }, timeZone: "Mars/Olympus", defaultCountry: "FR" })?.timeZone).toBe("UTC");
  });

  it("names the days as people say them, in the reader's language", () => {
    expect(describeDays([1, 2, 3, 4, 5, 6], "en")).toBe("Monday–Saturday");
    expect(describeDays([5, 1, 3], "en")).toBe("Monday, Wednesday, and Friday");
    expect(describeDays([1, 2, 3, 4, 5, 7], "fr")).toBe("lundi–vendredi et dimanche");
    expect(describeDays([6, 7], "fr")).toBe("samedi et dimanche");
  });

  it("a window's state is worked out again when it closes or opens", () => {
    const gate = windowGate();
    expect(gate(null)).toBeNull();
    expect(gate(paris, at("2026-12-01T09:00:00Z"))).toBeNull();
    // Same window object, past its closing time: no stale "open".
    expect(gate(paris, at("2026-12-01T19:30:00Z"))).toEqual(at("2026-12-02T07:00:00Z"));
    expect(gate(paris, at("2026-12-01T23:00:00Z"))).toEqual(at("2026-12-02T07:00:00Z"));
    expect(gate(paris, at("2026-12-02T07:00:00Z"))).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------

let site: Site;
let admin: User, superuser: User;
let group: number;
const sent: string[] = [];
const recording: SmsTransport = {
  kind: "outbox",
  async send(sms) {
    sent.push(sms.to);
    return { providerMessageId: `rec-${sent.length}` };
  },
  async close() {},
};
const noEmail = { send: async () => Promise.reject(new Error("no email in this test")), close() {} } as unknown as EmailTransport;
const runOnce = (kind: "send" | "retry" = "send") => runQueue({ kind, siteId: site.id, runner: `test-hours-${kind}`, sms: async () => recording });

/** A window closed now for certain: open on one day only, two days from today in the site's zone. */
function closedNow(): SendWindow {
  const weekday = new Date(Date.now() + 2 * 86_400_000).getUTCDay() || 7;
  return { from: "08:00", to: "20:00", days: [weekday], skipHolidays: false, timeZone: "UTC", country: "FR" };
}
/** A window open now for certain: 08:00–20:00 every day, in a zone where it is noon now. */
function openNow(): SendWindow {
  const offset = 12 - new Date().getUTCHours(); // -11 … +12
  const zone = offset === 0 ? "Etc/GMT" : `Etc/GMT${offset > 0 ? "-" : "+"}${Math.abs(offset)}`;
  return { from: "08:00", to: "20:00", days: [1, 2, 3, 4, 5, 6, 7], skipHolidays: false, timeZone: zone, country: "FR" };
}
const hoursOf = (w: SendWindow) => ({ smsHours: { on: true, from: w.from, to: w.to, days: w.days, skipHolidays: w.skipHolidays }, timeZone: w.timeZone });

beforeAll(async () => {
  site = await makeSite({ domain: "sms-hours.example.org", defaultLocale: "en", defaultCountry: "FR" });
  [admin, superuser] = await Promise.all([makeUser(site.id, "admin"), makeUser(site.id, "superuser")]);
  group = await createGroup(site, { fr: "Voisins", en: "Neighbours" });
  await db.insert(subscriptions).values(
    ["+33612340001", "+33612340002", "+33612340003"].map((phone, i) => ({ siteId: site.id, email: `n${i}@example.org`, groupId: group, status: "confirmed" as const, phone, source: "screen" as const })),
  );
});
afterAll(() => closeSmsTransports());

async function smsTemplate() {
  const [t] = await db
    .insert(messageTemplates)
    .values({ siteId: site.id, name: "Street party", channel: "sms", subject: "", html: "", text: "Street party on Saturday!", groupIds: [group] })
    .returning();
  return t.id;
}

async function sendNow(templateId: number) {
  actAs(admin.id, site.domain);
  const ok = expectSuccess(await run(sendTemplateAction as AnyAction, { id: templateId, when: "now" })) as { data: { sendId: number } };
  const [send] = await db.select().from(newsletterSends).where(eq(newsletterSends.id, ok.data.sendId));
  return send;
}
const rowsOf = (messageId: number) => db.select().from(queue).where(eq(queue.messageId, messageId)).orderBy(asc(queue.id));

describe("sending hours: a group SMS waits for them", () => {
  it("queued outside the hours, its rows are due when they open; the dialog and the report say so", async () => {
    const window = closedNow();
    await db.update(sites).set(hoursOf(window)).where(eq(sites.id, site.id));
    const id = await smsTemplate();
    actAs(admin.id, site.domain);
    const opens = nextOpening(window)!;
    expect(opens.getTime()).toBeGreaterThan(Date.now() + 86_400_000 - 60_000);
    const preview = expectSuccess(await run(countSendAction as AnyAction, { id })) as { data: { count: number; opensAt: string | null; hours: unknown } };
    expect(preview.data).toMatchObject({ count: 3, opensAt: opens.toISOString(), hours: { from: "08:00", to: "20:00", timeZone: "UTC" } });

    const send = await sendNow(id);
    const [message] = await db.select().from(outboundMessages).where(eq(outboundMessages.id, send.messageId!));
    expect(message.keepsSmsHours).toBe(true);
    const rows = await rowsOf(send.messageId!);
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r).toMatchObject({ status: "pending", nextAttemptAt: opens, attempts: 0 });
    expect((await sendReport(site.id, send.id))?.waitsUntil).toEqual(opens);
    // The queue list marks them held, until that moment.
    const listed = await listQueue(await queueWhere({}, site.id));
    expect(listed.rows.filter((r) => r.heldUntil?.getTime() === opens.getTime()).map((r) => r.id).sort()).toEqual(rows.map((r) => r.id).sort());

    // A pass now finds nothing due and sends nothing; the screen's button says why.
    sent.length = 0;
    const summary = await runOnce();
    expect(summary).toMatchObject({ claimed: 0, sent: 0, deferred: 0 });
    expect(sent).toEqual([]);
    const button = expectSuccess(await run(startQueueRunAction as AnyAction, { kind: "send", filter: "" })) as { data: { waitsUntil: string | null } };
    expect(button.data.waitsUntil).toBe(opens.toISOString());
  });

  it("a send scheduled at a closed time says when it will really leave", async () => {
    await db.update(sites).set(hoursOf(paris)).where(eq(sites.id, site.id));
    const id = await smsTemplate();
    actAs(admin.id, site.domain);
    // Next week, 22:30 UTC (23:30 or 00:30 in Paris): closed; and 11:00 UTC, open unless a Sunday or a holiday.
    const day = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const night = at(`${day}T22:30:00Z`);
    const ok = expectSuccess(await run(sendTemplateAction as AnyAction, { id, when: "later", scheduledAt: night.toISOString() })) as { data: { sendId: number } };
    const leaves = nextOpening(paris, night)!;
    expect(leaves.getTime()).toBeGreaterThan(night.getTime());
    expect((await sendReport(site.id, ok.data.sendId))?.waitsUntil).toEqual(leaves);
    const noon = at(`${day}T11:00:00Z`);
    const fine = expectSuccess(await run(sendTemplateAction as AnyAction, { id, when: "later", scheduledAt: noon.toISOString() })) as { data: { sendId: number } };
    expect((await sendReport(site.id, fine.data.sendId))?.waitsUntil).toEqual(windowState(paris, noon).open ? null : nextOpening(paris, noon));
    // Overdue (its scheduler was down): it is queued when found, so it leaves from now.
    await db.update(newsletterSends).set({ scheduledAt: at("2020-01-04T22:00:00Z") }).where(eq(newsletterSends.id, ok.data.sendId));
    const overdue = (await sendReport(site.id, ok.data.sendId))?.waitsUntil ?? null;
    const now = new Date();
    if (windowState(paris, now).open) expect(overdue).toBeNull();
    else expect(overdue!.getTime()).toBeGreaterThan(now.getTime());
  });

  it("rows made due by hand or by a retry while the hours are closed are given back, not sent, with no attempt spent", async () => {
    const window = closedNow();
    await db.update(sites).set(hoursOf(window)).where(eq(sites.id, site.id));
    const send = await sendNow(await smsTemplate());
    const [first, second, third] = await rowsOf(send.messageId!);
    // One set back to pending by a person (due now), one a retryable failure whose backoff passed.
    await db.update(queue).set({ nextAttemptAt: new Date(Date.now() - 1000) }).where(eq(queue.id, first.id));
    await db.update(queue).set({ status: "error", retryable: true, attempts: 1, lastError: "throttled", nextAttemptAt: new Date(Date.now() - 1000) }).where(eq(queue.id, second.id));

    sent.length = 0;
    const pass = await runOnce("send");
    expect(pass).toMatchObject({ claimed: 1, sent: 0, failed: 0, deferred: 1 });
    const retry = await runOnce("retry");
    expect(retry).toMatchObject({ claimed: 1, sent: 0, failed: 0, deferred: 1 });
    expect(sent).toEqual([]);
    const [run1] = await db.select().from(queueRuns).where(eq(queueRuns.id, pass.runId));
    expect(run1).toMatchObject({ claimed: 1, sent: 0, failed: 0, deferred: 1 });

    const opens = nextOpening(window)!;
    const after = await rowsOf(send.messageId!);
    expect(after[0]).toMatchObject({ status: "pending", nextAttemptAt: opens, attempts: 0, leaseExpiresAt: null });
    // The retry keeps its count of attempts and its last error; it now waits as pending.
    expect(after[1]).toMatchObject({ status: "pending", nextAttemptAt: opens, attempts: 1, lastError: "throttled", retryable: false });
    expect(after[2]).toMatchObject({ status: "pending", nextAttemptAt: third.nextAttemptAt, attempts: 0 });
    const history = await db.select().from(queueEvents).where(eq(queueEvents.queueId, first.id)).orderBy(asc(queueEvents.id));
    expect(history.map((e) => [e.fromStatus, e.toStatus, e.error])).toEqual([
      ["pending", "sending", null],
      ["sending", "pending", DEFERRED_NOTE],
    ]);
  });

  it("the Inngest send step holds them the same way", async () => {
    const window = closedNow();
    await db.update(sites).set(hoursOf(window)).where(eq(sites.id, site.id));
    const send = await sendNow(await smsTemplate());
    await db.update(queue).set({ nextAttemptAt: new Date(Date.now() - 1000) }).where(eq(queue.messageId, send.messageId!));
    const claimed = await claim({ kind: "send", siteId: site.id, limit: 10, actor: "inngest-test" });
    expect(claimed.ids).toHaveLength(3);
    sent.length = 0;
    const delivery = await deliverClaimed({ ids: claimed.ids, token: claimed.token, actor: "inngest-test", transport: noEmail, sms: async () => recording });
    expect(delivery).toEqual({ sent: 0, failed: 0, skipped: 0, deferred: 3 });
    expect(sent).toEqual([]);
    for (const r of await rowsOf(send.messageId!)) expect(r).toMatchObject({ status: "pending", nextAttemptAt: nextOpening(window), attempts: 0 });
  });

  it("a long send that runs past closing time is held in one statement, not row by row", async () => {
    await db.update(queue).set({ status: "error", lastError: "cancelled" }).where(and(eq(queue.siteId, site.id), eq(queue.status, "pending")));
    const window = closedNow();
    await db.update(sites).set(hoursOf(window)).where(eq(sites.id, site.id));
    const send = await sendNow(await smsTemplate());
    // 30 recipients in all, as if queued while open: every row is due.
    await db.insert(queue).values(Array.from({ length: 27 }, (_, i) => ({ siteId: site.id, messageId: send.messageId!, channel: "sms" as const, recipient: `+336123411${String(i).padStart(2, "0")}` })));
    await db.update(queue).set({ nextAttemptAt: new Date(Date.now() - 1000) }).where(eq(queue.messageId, send.messageId!));
    sent.length = 0;
    const pass = await runQueue({ kind: "send", siteId: site.id, runner: "test-hours-long", sms: async () => recording, batchSize: 2 });
    // Only the first batch, claimed before the hours were known to be closed, is given back row by row.
    expect(pass).toMatchObject({ claimed: 2, deferred: 2, sent: 0 });
    expect(sent).toEqual([]);
    for (const r of await rowsOf(send.messageId!)) expect(r).toMatchObject({ status: "pending", nextAttemptAt: nextOpening(window), attempts: 0 });
  });

  it("one outcome write records sent, failed and held rows together, each as it should", async () => {
    const window = closedNow();
    const send = await sendNow(await smsTemplate());
    await db.update(queue).set({ nextAttemptAt: new Date(Date.now() - 1000) }).where(eq(queue.messageId, send.messageId!));
    const c = await claim({ kind: "send", siteId: site.id, limit: 10, actor: "mixed" });
    const [a, b, d] = (await rowsOf(send.messageId!)).map((r) => r.id);
    expect(c.ids).toEqual(expect.arrayContaining([a, b, d]));
    const opens = nextOpening(window)!;
    const recorded = await recordOutcomes(c.token, "mixed", [
      { id: a, ok: true, providerMessageId: "p-1", channel: "sms" },
      { id: b, ok: false, transient: true, error: "throttled" },
      { id: d, ok: false, deferredUntil: opens },
    ]);
    expect(recorded.sort()).toEqual([a, b, d].sort());
    await releaseClaim(c.token);
    const byId = new Map((await rowsOf(send.messageId!)).map((r) => [r.id, r]));
    expect(byId.get(a)).toMatchObject({ status: "sent", providerMessageId: "p-1", attempts: 1 });
    expect(byId.get(b)).toMatchObject({ status: "error", retryable: true, lastError: "throttled", attempts: 1 });
    expect(byId.get(d)).toMatchObject({ status: "pending", nextAttemptAt: opens, attempts: 0, lastError: null, leaseExpiresAt: null });
    const events = await db.select().from(queueEvents).where(and(eq(queueEvents.actor, "mixed"), eq(queueEvents.fromStatus, "sending")));
    expect(events.map((e) => [e.queueId, e.toStatus, e.error]).sort()).toEqual(
      [
        [a, "sent", null],
        [b, "error", "throttled"],
        [d, "pending", DEFERRED_NOTE],
      ].sort(),
    );
  });

  it("retiming touches only the site's waiting group SMS: not another site's, not a test SMS, not a row being sent", async () => {
    await db.update(queue).set({ status: "error", lastError: "cancelled" }).where(and(eq(queue.siteId, site.id), eq(queue.status, "pending")));
    const closed = closedNow();
    await db.update(sites).set(hoursOf(closed)).where(eq(sites.id, site.id));
    const other = await makeSite({ domain: "sms-hours-other.example.org", defaultCountry: "FR" });
    await db.update(sites).set(hoursOf(closed)).where(eq(sites.id, other.id));
    const later = new Date(Date.now() + 3 * 86_400_000);
    const [otherMessage] = await db.insert(outboundMessages).values({ siteId: other.id, kind: "newsletter", text: "x", keepsSmsHours: true }).returning();
    const [otherRow] = await db.insert(queue).values({ siteId: other.id, messageId: otherMessage.id, channel: "sms", recipient: "+33612340077", nextAttemptAt: later }).returning();
    const [testMessage] = await db.insert(outboundMessages).values({ siteId: site.id, kind: "newsletter_test", text: "x" }).returning();
    const [testRow] = await db.insert(queue).values({ siteId: site.id, messageId: testMessage.id, channel: "sms", recipient: "+33612340078", nextAttemptAt: later }).returning();
    const send = await sendNow(await smsTemplate());
    const [sending] = await rowsOf(send.messageId!);
    await db.update(queue).set({ status: "sending" }).where(eq(queue.id, sending.id));

    await db.update(sites).set(hoursOf(openNow())).where(eq(sites.id, site.id));
    expect(await retimeWaitingSms(site.id)).toEqual({ retimed: 2, dueNow: 2 });
    const byId = async (id: number) => (await db.select().from(queue).where(eq(queue.id, id)))[0];
    expect((await byId(otherRow.id)).nextAttemptAt).toEqual(later);
    expect((await byId(testRow.id)).nextAttemptAt).toEqual(later);
    expect((await byId(sending.id)).nextAttemptAt).toEqual(nextOpening(closed));
    await db.update(queue).set({ status: "error" }).where(eq(queue.id, sending.id));
  });

  it("when the site's hours change, the waiting rows follow them; once open, they go out", async () => {
    // The earlier sends' rows are out of the way: only this send's rows wait.
    await db.update(queue).set({ status: "error", lastError: "cancelled" }).where(and(eq(queue.siteId, site.id), eq(queue.status, "pending")));
    await db.update(sites).set(hoursOf(closedNow())).where(eq(sites.id, site.id));
    const send = await sendNow(await smsTemplate());
    const waiting = () => rowsOf(send.messageId!);

    // Other hours, still closed now: the rows wait for the new opening instead of the old one.
    const later: SendWindow = { ...closedNow(), days: [closedNow().days[0] === 7 ? 1 : closedNow().days[0] + 1] };
    await db.update(sites).set(hoursOf(later)).where(eq(sites.id, site.id));
    expect(await retimeWaitingSms(site.id)).toMatchObject({ dueNow: 0 });
    for (const r of await waiting()) expect(r.nextAttemptAt).toEqual(nextOpening(later));

    // Hours that are open now: due at once, and the runner, reading the site's hours, sends them.
    await db.update(sites).set(hoursOf(openNow())).where(eq(sites.id, site.id));
    expect(await retimeWaitingSms(site.id)).toMatchObject({ dueNow: 3 });
    sent.length = 0;
    expect(await runOnce()).toMatchObject({ sent: 3, deferred: 0 });
    expect(sent.sort()).toEqual(["+33612340001", "+33612340002", "+33612340003"]);
    expect((await waiting()).map((r) => r.status)).toEqual(["sent", "sent", "sent"]);
  });

  it("saving the site without hours lets waiting group SMS go at once", async () => {
    await db.update(sites).set(hoursOf(closedNow())).where(eq(sites.id, site.id));
    const send = await sendNow(await smsTemplate());
    actAs(superuser.id, site.domain);
    const form = { domain: site.domain, name: site.name, defaultLocale: "en", defaultCountry: "FR", timeZone: "UTC", back: "/en/manage/sites", id: String(site.id), smsHoursOn: "off" };
    expect(await run(saveSiteAction as AnyAction, form)).toMatchObject({ ok: true });
    for (const r of await rowsOf(send.messageId!)) expect(r.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("sent while the hours are open, a group SMS leaves at once; test SMS never wait", async () => {
    await db.update(sites).set(hoursOf(openNow())).where(eq(sites.id, site.id));
    const id = await smsTemplate();
    actAs(admin.id, site.domain);
    expect(expectSuccess(await run(countSendAction as AnyAction, { id }))).toMatchObject({ data: { opensAt: null } });
    const send = await sendNow(id);
    for (const r of await rowsOf(send.messageId!)) expect(r.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());

    await db.update(sites).set(hoursOf(closedNow())).where(eq(sites.id, site.id));
    expectSuccess(await run(testSmsAction as AnyAction, { id, to: "06 12 34 00 09" }));
    const [test] = await db.select().from(queue).where(and(eq(queue.siteId, site.id), eq(queue.recipient, "+33612340009")));
    const [testMessage] = await db.select().from(outboundMessages).where(eq(outboundMessages.id, test.messageId));
    expect(testMessage.keepsSmsHours).toBe(false);
    sent.length = 0;
    await runOnce();
    expect(sent).toContain("+33612340009");
  });
});

describe("sending hours: the site form", () => {
  const base = { domain: "sms-hours.example.org", name: "Hours", defaultLocale: "en", defaultCountry: "FR", back: "/en/manage/sites" };
  it("saves the hours, their days in order, and the time zone; unticked, they are kept but not applied", async () => {
    actAs(superuser.id, site.domain);
    const on = { ...base, id: String(site.id), timeZone: "Europe/Brussels", smsHoursOn: ["off", "on"], smsHoursFrom: "09:30", smsHoursTo: "19:00", smsDays: ["6", "1", "3"], smsSkipHolidays: "on" };
    expect(await run(saveSiteAction as AnyAction, on)).toMatchObject({ ok: true });
    let [s] = await db.select().from(sites).where(eq(sites.id, site.id));
    expect(s).toMatchObject({ timeZone: "Europe/Brussels", smsHours: { on: true, from: "09:30", to: "19:00", days: [1, 3, 6], skipHolidays: true } });
    expect(sendWindowOf(s)).toEqual({ from: "09:30", to: "19:00", days: [1, 3, 6], skipHolidays: true, timeZone: "Europe/Brussels", country: "FR" });

    expect(await run(saveSiteAction as AnyAction, { ...on, smsHoursOn: "off" })).toMatchObject({ ok: true });
    [s] = await db.select().from(sites).where(eq(sites.id, site.id));
    expect(s.smsHours).toEqual({ on: false, from: "09:30", to: "19:00", days: [1, 3, 6], skipHolidays: true });
    expect(sendWindowOf(s)).toBeNull();
    // Off, kept hours must still make sense (else they would be lost without a word); the
    // holidays of the country are only checked when on. Without any hours, the site has none.
    const off = expectFailure(await run(saveSiteAction as AnyAction, { ...on, smsHoursOn: "off", smsHoursFrom: "rubbish", defaultCountry: "AF" }));
    expect(off.fieldErrors).toEqual({ smsHoursFrom: { key: "errors.time" } });
    expect(await run(saveSiteAction as AnyAction, { ...on, smsHoursOn: "off", defaultCountry: "AF" })).toMatchObject({ ok: true });
    expect(await run(saveSiteAction as AnyAction, { ...base, id: String(site.id) })).toMatchObject({ ok: true });
    [s] = await db.select().from(sites).where(eq(sites.id, site.id));
    expect(s.smsHours).toBeNull();
  });

  it("refuses hours that end before they start, no day, an unknown zone and holidays it cannot know, keeping what was typed", async () => {
    actAs(superuser.id, site.domain);
    const [before] = await db.select().from(sites).where(eq(sites.id, site.id));
    const bad = { ...base, id: String(site.id), timeZone: "Mars/Olympus", smsHoursOn: "on", smsHoursFrom: "20:00", smsHoursTo: "08:00", smsDays: "", smsSkipHolidays: "on", defaultCountry: "AF" };
    const failure = expectFailure(await run(saveSiteAction as AnyAction, bad));
    expect(failure.fieldErrors).toMatchObject({
      smsHoursTo: { key: "errors.smsHoursOrder" },
      smsDays: { key: "errors.smsDays" },
      timeZone: { key: "errors.timeZone" },
      smsSkipHolidays: { key: "errors.holidaysUnknown" },
    });
    expect(failure.values).toMatchObject({ timeZone: "Mars/Olympus", smsHoursFrom: "20:00", smsHoursTo: "08:00" });
    const garbled = expectFailure(await run(saveSiteAction as AnyAction, { ...bad, timeZone: "UTC", defaultCountry: "FR", smsHoursFrom: "8h", smsHoursTo: "25:00", smsDays: ["1", "9"] }));
    expect(garbled.fieldErrors).toMatchObject({ smsHoursFrom: { key: "errors.time" }, smsHoursTo: { key: "errors.time" }, smsDays: expect.anything() });
    expect((await db.select().from(sites).where(eq(sites.id, site.id)))[0]).toEqual(before);
  });
});
