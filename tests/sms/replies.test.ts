import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { db } from "@/db/client";
import { outboundMessages, queue, smsInboundParts, smsOptOuts, smsReplies, subscriptions, type Site, type User } from "@/db/schema";
import { answerReplyAction } from "@/app/[locale]/manage/sms-replies/actions";
import { GET as exportCsv } from "@/app/api/sms/replies/export/route";
import { GET as followRoute } from "@/app/api/sms/replies/follow/route";
import { handleInboundSms } from "@/lib/sms/opt-out";
import { housekeeping } from "@/lib/queue/housekeeping";
import { MISSING_PART, PART_PATIENCE_MINUTES } from "@/lib/sms/inbound-parts";
import { env } from "@/lib/env";
import { outboxTransport } from "@/lib/mail/transport";
import { runQueue } from "@/lib/queue/run";
import { listReplies, parseReplyFilters, repliesWhere } from "@/lib/sms/replies";
import { purgeOldReplies } from "@/lib/sms/reply-retention";
import { NEWER_CAP } from "@/lib/sms/replies-follow";
import { closeSmsTransports, listenForSmsReplies } from "@/lib/sms/resolve";
import { startSmsc, type SmscHarness } from "../helpers/smsc";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectFailure, expectSuccess, run } from "../helpers/actions";

let smsc: SmscHarness;
let site: Site, other: Site;
let admin: User, member: User, adminOther: User;
const stored = (siteId: number) =>
  db.select({ phone: smsReplies.phone, text: smsReplies.text, action: smsReplies.action }).from(smsReplies).where(eq(smsReplies.siteId, siteId)).orderBy(asc(smsReplies.id));

beforeAll(async () => {
  smsc = await startSmsc();
  site = await makeSite({ domain: "replies.example.org", smsUrl: smsc.url({ source: "Org" }), defaultCountry: "FR" });
  other = await makeSite({ domain: "replies-other.example.org", smsUrl: "smpp://someone:else@127.0.0.1:1" });
  [admin, member, adminOther] = await Promise.all([makeUser(site.id, "admin"), makeUser(site.id, "member"), makeUser(other.id, "admin")]);
  await db.insert(subscriptions).values({ siteId: site.id, groupId: 1, email: "ann@example.org", name: "Ann", phone: "+33612340301", status: "confirmed", source: "screen" });
});
afterAll(async () => {
  await closeSmsTransports();
  await smsc.close();
});

describe("SMS replies", () => {
  it("keeps every SMS the site's SMPP account receives, with what it did", async () => {
    await listenForSmsReplies([site.id]);
    await smsc.sendInbound("+33612340301", "See you at 6! Can I bring my son?");
    await smsc.sendInbound("+33612340302", "Stop");
    await smsc.sendInbound("+33612340302", "START");
    await smsc.sendInbound("ORANGEINFO", "STOP", { ton: 5 }); // an alphanumeric sender cannot opt out
    await vi.waitFor(async () => expect(await stored(site.id)).toHaveLength(4));
    expect(await stored(site.id)).toEqual([
      { phone: "+33612340301", text: "See you at 6! Can I bring my son?", action: null },
      { phone: "+33612340302", text: "Stop", action: "opt_out" },
      { phone: "+33612340302", text: "START", action: "opt_in" },
      { phone: "ORANGEINFO", text: "STOP", action: null },
    ]);
    expect(await stored(other.id)).toEqual([]); // another account's site hears nothing of it
  });

  it("lists them newest first with who wrote, filtered by number and kind, page after page", async () => {
    const all = await listReplies(repliesWhere(site.id), { siteId: site.id, limit: 2 });
    expect(all.rows.map((r) => r.phone)).toEqual(["ORANGEINFO", "+33612340302"]);
    const rest = await listReplies(repliesWhere(site.id), { siteId: site.id, limit: 2, after: all.next! });
    expect(rest.rows.map((r) => [r.phone, r.action])).toEqual([["+33612340302", "opt_out"], ["+33612340301", null]]);
    expect(rest.rows[1].subscriber).toEqual({ email: "ann@example.org", name: "Ann" });
    expect(rest.next).toBeNull();

    const { filters, invalid } = parseReplyFilters({ q: "06 12 34 03 01", kind: "message" }, "FR");
    expect(invalid).toEqual([]);
    expect((await listReplies(repliesWhere(site.id, filters), { siteId: site.id })).rows.map((r) => r.text)).toEqual(["See you at 6! Can I bring my son?"]);
    expect((await listReplies(repliesWhere(site.id, { kind: "opt_out" }), { siteId: site.id })).rows.map((r) => r.text)).toEqual(["Stop"]);
    expect(parseReplyFilters({ q: "abc", kind: "spam", after: "x" }, "FR").invalid).toEqual(["q", "kind", "after"]);
  });

  it("sites on one login read only the replies written to their own number; a STOP counts for all of them", async () => {
    const own = await startSmsc();
    try {
      const a = await makeSite({ domain: "shared-a.example.org", smsUrl: own.url({ source: "33700000011" }) });
      const b = await makeSite({ domain: "shared-b.example.org", smsUrl: own.url(), smsSender: "+33 7 00 00 00 12" });
      await listenForSmsReplies([a.id, b.id]);
      await own.sendInbound("+33612340401", "Private: my answer to A", { to: "33700000011" });
      await own.sendInbound("+33612340402", "STOP", { to: "33700000012" });
      await own.sendInbound("+33612340403", "To a number neither sends from", { to: "36000" });
      await vi.waitFor(async () => expect((await stored(a.id)).length + (await stored(b.id)).length).toBe(4));
      expect((await stored(a.id)).map((r) => r.text)).toEqual(["Private: my answer to A", "To a number neither sends from"]);
      expect((await stored(b.id)).map((r) => r.text)).toEqual(["STOP", "To a number neither sends from"]);
      const optedOut = await db.select({ siteId: smsOptOuts.siteId }).from(smsOptOuts).where(eq(smsOptOuts.phone, "+33612340402"));
      expect(optedOut.map((o) => o.siteId).sort()).toEqual([a.id, b.id].sort());
    } finally {
      await own.close();
    }
  });

  it("keeps a reply's text without NUL characters and without cutting an emoji in two", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      await handleInboundSms(smsc.url({ source: "Org" }), { from: "+33612340501", text: "a\u0000b" });
      await handleInboundSms(smsc.url({ source: "Org" }), { from: "+33612340502", text: `${"x".repeat(1999)}🙂tail` });
    } finally {
      warn.mockRestore();
    }
    const [nul, long] = (await stored(site.id)).filter((r) => r.phone === "+33612340501" || r.phone === "+33612340502");
    expect(nul.text).toBe("ab");
    expect(long.text).toBe(`${"x".repeat(1999)}🙂`);
  });

  it("the retry pass deletes replies past SMS_REPLY_RETENTION_DAYS, oldest first; 0 keeps them", async () => {
    const keep = await makeSite({ domain: "retention.example.org" });
    const at = (days: number) => new Date(Date.now() - days * 86_400_000);
    await db.insert(smsReplies).values([
      { siteId: keep.id, phone: "+33612340601", text: "old", receivedAt: at(env.SMS_REPLY_RETENTION_DAYS + 2) },
      { siteId: keep.id, phone: "+33612340602", text: "older", receivedAt: at(env.SMS_REPLY_RETENTION_DAYS + 5) },
      { siteId: keep.id, phone: "+33612340603", text: "recent", receivedAt: at(env.SMS_REPLY_RETENTION_DAYS - 1) },
    ]);
    const texts = async () => (await stored(keep.id)).map((r) => r.text);
    expect(await purgeOldReplies(1)).toBe(1);
    expect(await texts()).toEqual(["old", "recent"]); // the oldest went first
    const saved = env.SMS_REPLY_RETENTION_DAYS;
    env.SMS_REPLY_RETENTION_DAYS = 0;
    try {
      expect(await purgeOldReplies()).toBe(0);
    } finally {
      env.SMS_REPLY_RETENTION_DAYS = saved;
    }
    await runQueue({ kind: "retry", siteId: keep.id, runner: "retry", transport: outboxTransport() });
    expect(await texts()).toEqual(["recent"]);
  });

  it("a reply to an account no site uses is dropped with a warning", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      expect(await handleInboundSms("smpp://nobody:x@127.0.0.1:9", { from: "+33612340399", text: "hello?" })).toEqual([]);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/no site sends through this account/));
    } finally {
      warn.mockRestore();
    }
  });

  it("an admin answers a reply: one SMS back to that number through the queue; never to a STOP or a name", async () => {
    const replies = await db.select().from(smsReplies).where(eq(smsReplies.siteId, site.id)).orderBy(asc(smsReplies.id));
    const [question, stop, , orange] = replies;
    actAs(admin.id, site.domain);
    const sent = expectSuccess(await run(answerReplyAction, { id: String(question.id), text: "Yes, bring him along!" }));
    expect(sent).toMatchObject({ data: { phone: "+33 6 12 34 03 01" } });
    const [row] = await db
      .select({ to: queue.recipient, channel: queue.channel, text: outboundMessages.text, kind: outboundMessages.kind, from: outboundMessages.fromAddress })
      .from(queue)
      .innerJoin(outboundMessages, eq(outboundMessages.id, queue.messageId))
      .where(and(eq(queue.siteId, site.id), eq(outboundMessages.kind, "sms_reply")));
    expect(row).toEqual({ to: "+33612340301", channel: "sms", text: "Yes, bring him along!", kind: "sms_reply", from: "" });
    // The list says it was answered, and how the answer goes.
    const answeredRow = async () => (await listReplies(repliesWhere(site.id), { siteId: site.id, limit: 50 })).rows.find((r) => r.id === question.id)!;
    const messageOf = (outcome: unknown) => (outcome as { data: { messageId: number } }).data.messageId;
    const queueRowOf = async (messageId: number) => (await db.select({ id: queue.id }).from(queue).where(eq(queue.messageId, messageId)))[0].id;
    const firstRow = await queueRowOf(messageOf(sent));
    expect(await answeredRow()).toMatchObject({ answers: 1, answer: { queueId: firstRow, status: "pending" } });
    await db.update(queue).set({ status: "delivered" }).where(eq(queue.id, firstRow));
    expect((await answeredRow()).answer).toMatchObject({ queueId: firstRow, status: "delivered" });
    // A second answer: counted, and it is the one shown.
    const again = expectSuccess(await run(answerReplyAction, { id: String(question.id), text: "Parking is free, too." }));
    expect(await answeredRow()).toMatchObject({ answers: 2, answer: { queueId: await queueRowOf(messageOf(again)), status: "pending" } });
    // The "Answered" filter: the answered one alone, or every other one.
    const answered = (value: string) => {
      const { filters, invalid } = parseReplyFilters(new URLSearchParams({ answered: value }), "FR");
      return invalid.length ? invalid : listReplies(repliesWhere(site.id, filters), { siteId: site.id, limit: 50 }).then((p) => p.rows.map((r) => r.id));
    };
    expect(await answered("yes")).toEqual([question.id]);
    const unanswered = (await answered("no")) as number[];
    expect(unanswered).toContain(orange.id);
    expect(unanswered).not.toContain(question.id);
    expect(await answered("maybe")).toEqual(["answered"]);
    expect((await listReplies(repliesWhere(site.id), { siteId: site.id, limit: 50 })).rows.find((r) => r.id === orange.id)).toMatchObject({ answers: 0, answer: null });

    // The number that said STOP (and is opted out now), a sender that is no number, another site's reply.
    await db.insert(smsOptOuts).values({ siteId: site.id, phone: stop.phone, keyword: "STOP" });
    const refused = expectFailure(await run(answerReplyAction, { id: String(stop.id), text: "Sorry to see you go" }), "errors.optedOutNumber");
    expect(refused.values).toMatchObject({ text: "Sorry to see you go" });
    expectFailure(await run(answerReplyAction, { id: String(orange.id), text: "Hi" }), "errors.cannotAnswer");
    // A reply from a landline is kept, but cannot be answered by SMS: said so, with the text kept.
    const [landline] = await db.insert(smsReplies).values({ siteId: site.id, phone: "+33140000000", text: "Rappelez-moi" }).returning();
    const line = expectFailure(await run(answerReplyAction, { id: String(landline.id), text: "We will call" }), "errors.cannotAnswerLine");
    expect(line.values).toMatchObject({ text: "We will call" });
    actAs(adminOther.id, other.domain);
    expectFailure(await run(answerReplyAction, { id: String(question.id), text: "Hi" }), "errors.notFound");
    actAs(member.id, site.domain);
    expectFailure(await run(answerReplyAction, { id: String(question.id), text: "Hi" }), "errors.forbidden");
    actAs(admin.id, site.domain);
    const malformed = expectFailure(await run(answerReplyAction, { id: "abc", text: "" }), "errors.checkFields");
    expect(Object.keys(malformed.fieldErrors ?? {}).sort()).toEqual(["id", "text"]);
    expect(await db.select().from(outboundMessages).where(eq(outboundMessages.kind, "sms_reply"))).toHaveLength(2);
  });

  it("exports them as CSV for admins of the site only", async () => {
    const get = (path: string) => exportCsv(new NextRequest(`http://localhost${path}`));
    actAs(admin.id, site.domain);
    const res = await get("/api/sms/replies/export?kind=message");
    expect(res.headers.get("content-disposition")).toMatch(/sms-replies-\d{4}-\d{2}-\d{2}\.csv/);
    const lines = (await res.text()).split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("received_at,phone,text,action,subscriber_email,subscriber_name,answers,last_answer_status");
    // (Earlier tests added other messages; these two come from the first.)
    expect(lines.slice(1).filter((l) => /ORANGEINFO|'\+33612340301/.test(l))).toEqual([
      expect.stringMatching(/^\d{4}-.*Z,ORANGEINFO,STOP,,,,0,$/),
      expect.stringMatching(/^\d{4}-.*Z,'\+33612340301,See you at 6! Can I bring my son\?,,ann@example\.org,Ann,2,pending$/),
    ]);
    actAs(member.id, site.domain);
    expect((await get("/api/sms/replies/export")).status).toBe(403);
    actAs(null, site.domain);
    expect((await get("/api/sms/replies/export")).status).toBe(401);
  });

  it("the screen follows new replies and its answers' badges through one route, for its admins only", async () => {
    const follow = async (query: string) => {
      const res = await followRoute(new NextRequest(`http://localhost/api/sms/replies/follow?${query}`));
      return res.status === 200 ? ((await res.json()) as { newer: number; answers: { id: number; status: string }[] }) : res.status;
    };
    actAs(admin.id, site.domain);
    const [newest] = await db.select({ id: smsReplies.id }).from(smsReplies).where(eq(smsReplies.siteId, site.id)).orderBy(desc(smsReplies.id)).limit(1);
    const since = Number(newest.id);
    expect(await follow(`since=${since}`)).toEqual({ newer: 0, more: false, answers: [] });
    // Another site's reply, newer, is not this site's news.
    const [elsewhere] = await db.insert(smsReplies).values({ siteId: other.id, phone: "+33612349999", text: "Ailleurs" }).returning();
    expect(await follow(`since=${since}`)).toEqual({ newer: 0, more: false, answers: [] });
    // This site's is, when the screen's filters keep it.
    const [arrived] = await db.insert(smsReplies).values({ siteId: site.id, phone: "+33612349998", text: "Nouvelle" }).returning();
    expect(await follow(`since=${since}`)).toMatchObject({ newer: 1 });
    expect(await follow(`since=${since}&kind=message&q=${encodeURIComponent("+3361234999")}`)).toMatchObject({ newer: 1 });
    expect(await follow(`since=${since}&kind=opt_out`)).toMatchObject({ newer: 0 });
    expect(await follow(`since=${since}&q=0612340301`)).toMatchObject({ newer: 0 });
    expect(await follow(`since=${since}&answered=yes`)).toMatchObject({ newer: 0 });
    expect(await follow(`since=${arrived.id}`)).toMatchObject({ newer: 0 });

    // The shown answers' statuses, this site's rows only (another site's id says nothing).
    const [question] = await db.select({ messageId: smsReplies.answerMessageId }).from(smsReplies).where(and(eq(smsReplies.siteId, site.id), sql`${smsReplies.answers} > 0`));
    const [mine] = await db.select({ id: queue.id, status: queue.status }).from(queue).where(eq(queue.messageId, question.messageId!));
    const [theirs] = await db.insert(outboundMessages).values({ siteId: other.id, kind: "sms_reply", subject: "", text: "x", fromName: "", fromAddress: "" }).returning();
    const [theirRow] = await db.insert(queue).values({ siteId: other.id, messageId: theirs.id, recipient: "+33612349999", channel: "sms" }).returning();
    expect(await follow(`since=${since}&answers=${mine.id},${theirRow.id}`)).toEqual({ newer: 1, more: false, answers: [{ id: mine.id, status: mine.status }] });
    await db.update(queue).set({ status: "sending" }).where(eq(queue.id, mine.id));
    expect(await follow(`since=${since}&answers=${mine.id}`)).toEqual({ newer: 1, more: false, answers: [{ id: mine.id, status: "sending" }] });

    // A query the screen never writes is refused (400), never a failed query (500).
    const tooMany = Array.from({ length: 51 }, (_, i) => i + 1).join(",");
    for (const bad of ["since=abc", "since=-1", "since=1e3", "since=99999999999999999", "kind=spam", "q=abc", "answered=maybe", "after=x", "answers=1,x", "answers=,", "answers=0", `answers=${tooMany}`]) {
      expect([bad, await follow(bad)]).toEqual([bad, 400]);
    }
    actAs(adminOther.id, other.domain);
    expect(await follow(`since=${since}`)).toMatchObject({ newer: 1 }); // its own "Ailleurs"
    actAs(member.id, site.domain);
    expect(await follow(`since=${since}`)).toBe(403);
    actAs(null, site.domain);
    expect(await follow(`since=${since}`)).toBe(401);
    await db.delete(queue).where(eq(queue.id, theirRow.id));
    await db.delete(outboundMessages).where(eq(outboundMessages.id, theirs.id));
    await db.update(queue).set({ status: mine.status }).where(eq(queue.id, mine.id));
    await db.delete(smsReplies).where(inArray(smsReplies.id, [elsewhere.id, arrived.id]));
  });

  it(`counts at most ${NEWER_CAP} new replies: then "more": the count stays one short read`, async () => {
    const busy = await makeSite({ domain: "replies-busy.example.org", defaultCountry: "FR" });
    const busyAdmin = await makeUser(busy.id, "admin");
    await db.insert(smsReplies).values(Array.from({ length: NEWER_CAP + 1 }, (_, i) => ({ siteId: busy.id, phone: "+33612340900", text: `n${i}` })));
    actAs(busyAdmin.id, busy.domain);
    const res = await followRoute(new NextRequest("http://localhost/api/sms/replies/follow"));
    expect(await res.json()).toEqual({ newer: NEWER_CAP, more: true, answers: [] });
  });

  it("an answer that cannot be counted on its reply is not queued either", async () => {
    const [question] = await db.select().from(smsReplies).where(eq(smsReplies.siteId, site.id)).orderBy(asc(smsReplies.id));
    const sentBefore = await db.select({ id: outboundMessages.id }).from(outboundMessages).where(eq(outboundMessages.kind, "sms_reply")).orderBy(asc(outboundMessages.id));
    // Counting fails after the answer was queued in the same transaction.
    await db.execute(sql`create function refuse_answer_count() returns trigger language plpgsql as $$ begin raise exception 'count refused'; end $$`);
    await db.execute(sql`create trigger refuse_answer_count before update of answers on sms_replies for each row execute function refuse_answer_count()`);
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      actAs(admin.id, site.domain);
      const failed = expectFailure(await run(answerReplyAction, { id: String(question.id), text: "Lost?" }), "errors.unexpected");
      expect(failed.values).toMatchObject({ text: "Lost?" });
    } finally {
      error.mockRestore();
      await db.execute(sql`drop trigger refuse_answer_count on sms_replies`);
      await db.execute(sql`drop function refuse_answer_count()`);
    }
    expect(await db.select({ id: outboundMessages.id }).from(outboundMessages).where(eq(outboundMessages.kind, "sms_reply")).orderBy(asc(outboundMessages.id))).toEqual(sentBefore);
    expect(await db.select().from(queue).innerJoin(outboundMessages, eq(outboundMessages.id, queue.messageId)).where(eq(outboundMessages.text, "Lost?"))).toEqual([]);
    expect((await db.select({ answers: smsReplies.answers }).from(smsReplies).where(eq(smsReplies.id, question.id)))[0].answers).toBe(2);
  });
  it("a long SMS that arrives in parts, out of order and one part twice, is kept as one reply", async () => {
    const url = smsc.url({ source: "Long" });
    const longSite = await makeSite({ domain: "long-replies.example.org", smsUrl: url, defaultCountry: "FR" });
    const part = (seq: number, text: string) => handleInboundSms(url, { from: "+33612340801", to: "Long", text, part: { ref: 42, total: 3, seq } });
    expect(await part(3, "at six.")).toEqual([]);
    expect(await part(1, "We will come to the meeting, ")).toEqual([]);
    expect(await part(1, "We will come to the meeting, ")).toEqual([]); // delivered twice by the SMSC
    // Another message from the same person with another reference waits apart.
    expect(await handleInboundSms(url, { from: "+33612340801", to: "Long", text: "Other ", part: { ref: 43, total: 2, seq: 1 } })).toEqual([]);
    expect(await part(2, "all four of us, ")).toContain(longSite.id);
    expect((await stored(longSite.id)).filter((r) => r.phone === "+33612340801")).toEqual([
      { phone: "+33612340801", text: "We will come to the meeting, all four of us, at six.", action: null },
    ]);
    const waiting = await db.select({ ref: smsInboundParts.ref, seq: smsInboundParts.seq }).from(smsInboundParts).where(and(eq(smsInboundParts.sender, "+33612340801"), isNull(smsInboundParts.joinedAt)));
    expect(waiting).toEqual([{ ref: 43, seq: 1 }]);
  });

  it("the last two parts arriving at once join exactly once", async () => {
    const url = smsc.url({ source: "Race" });
    const both = await makeSite({ domain: "long-race.example.org", smsUrl: url, defaultCountry: "FR" });
    const part = (seq: number, text: string) => handleInboundSms(url, { from: "+33612340802", to: "Race", text, part: { ref: 5, total: 2, seq } });
    await Promise.all([part(1, "one "), part(2, "two")]);
    expect(await stored(both.id)).toEqual([{ phone: "+33612340802", text: "one two", action: null }]);
  });

  it(`parts whose rest never comes are kept, the gap marked, by the retry pass after ${PART_PATIENCE_MINUTES} minutes`, async () => {
    const url = smsc.url({ source: "Gap" });
    const gap = await makeSite({ domain: "long-gap.example.org", smsUrl: url, defaultCountry: "FR" });
    const part = (seq: number, text: string) => handleInboundSms(url, { from: "+33612340803", to: "Gap", text, part: { ref: 9, total: 4, seq } });
    await part(1, "Please call me back ");
    await part(4, " thanks"); // parts 2 and 3 never come: one mark for both
    await housekeeping();
    expect(await stored(gap.id)).toEqual([]); // still waiting: the last part came just now
    await db.update(smsInboundParts).set({ receivedAt: new Date(Date.now() - (PART_PATIENCE_MINUTES + 1) * 60_000) }).where(eq(smsInboundParts.sender, "+33612340803"));
    await housekeeping();
    expect(await stored(gap.id)).toEqual([{ phone: "+33612340803", text: `Please call me back ${MISSING_PART} thanks`, action: null }]);
    expect(await db.select().from(smsInboundParts).where(and(eq(smsInboundParts.sender, "+33612340803"), isNull(smsInboundParts.joinedAt)))).toEqual([]);
    // A part that comes after its message was kept is known, and not kept again.
    expect(await part(4, " thanks")).toEqual([]);
    await db.update(smsInboundParts).set({ receivedAt: new Date(Date.now() - (PART_PATIENCE_MINUTES + 1) * 60_000) }).where(eq(smsInboundParts.sender, "+33612340803"));
    await housekeeping();
    expect(await stored(gap.id)).toHaveLength(1);
  });

  it("a new message that reuses a waiting message's reference ends the wait: the first is kept as it is", async () => {
    const url = smsc.url({ source: "Reuse" });
    const reuse = await makeSite({ domain: "long-reuse.example.org", smsUrl: url, defaultCountry: "FR" });
    const part = (seq: number, text: string) => handleInboundSms(url, { from: "+33612340805", to: "Reuse", text, part: { ref: 0, total: 2, seq } });
    await part(1, "Is the hall ");
    // Part 2 was lost; the next long SMS comes with the same reference (an SMSC that gives none).
    await part(1, "Sorry, I meant ");
    expect(await stored(reuse.id)).toEqual([{ phone: "+33612340805", text: `Is the hall ${MISSING_PART}`, action: null }]);
    await part(2, "the big room.");
    expect((await stored(reuse.id)).map((r) => r.text)).toEqual([`Is the hall ${MISSING_PART}`, "Sorry, I meant the big room."]);
    // The same message delivered again after it was joined: nothing more.
    expect(await part(1, "Sorry, I meant ")).toEqual([]);
    expect(await part(2, "the big room.")).toEqual([]);
    expect(await stored(reuse.id)).toHaveLength(2);
  });

  it("a last part whose message could not be kept is refused for now; delivered again by the SMSC, the message is kept once", async () => {
    const url = smsc.url({ source: "Again" });
    const again = await makeSite({ domain: "long-again.example.org", smsUrl: url, defaultCountry: "FR" });
    await listenForSmsReplies([again.id]);
    const part = (seq: number, text: string) => smsc.sendInbound("+33612340807", text, { udh: { ref: 12, total: 2, seq }, to: "Again" });
    // Keeping the joined message fails (as with the database briefly gone) after its parts were joined.
    await db.execute(sql`create function refuse_reply() returns trigger language plpgsql as $$ begin raise exception 'reply refused'; end $$`);
    await db.execute(sql`create trigger refuse_reply before insert on sms_replies for each row when (new.phone = '+33612340807') execute function refuse_reply()`);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      expect(await part(1, "Can we move the meeting ")).toBe(0);
      expect(await part(2, "to Thursday?")).toBe(0x64); // ESME_RX_T_APPN: not stored, deliver it again later
    } finally {
      warn.mockRestore();
      await db.execute(sql`drop trigger refuse_reply on sms_replies`);
      await db.execute(sql`drop function refuse_reply()`);
    }
    expect(await stored(again.id)).toEqual([]);
    expect(await part(2, "to Thursday?")).toBe(0);
    expect(await stored(again.id)).toEqual([{ phone: "+33612340807", text: "Can we move the meeting to Thursday?", action: null }]);
    // Once more (an SMSC that missed our answer): nothing more.
    expect(await part(2, "to Thursday?")).toBe(0);
    expect(await stored(again.id)).toHaveLength(1);
  });

  it("an emoji cut in two between two UCS-2 parts is whole again once joined", async () => {
    const url = smsc.url({ source: "Emoji" });
    const emoji = await makeSite({ domain: "long-emoji.example.org", smsUrl: url, defaultCountry: "FR" });
    const text = "Merci beaucoup 🎉 à demain";
    const cut = text.indexOf("🎉") + 1; // between the two UTF-16 halves of 🎉
    await listenForSmsReplies([emoji.id]);
    await smsc.sendInbound("+33612340806", text.slice(0, cut), { coding: "ucs2", udh: { ref: 3, total: 2, seq: 1 }, to: "Emoji" });
    await smsc.sendInbound("+33612340806", text.slice(cut), { coding: "ucs2", udh: { ref: 3, total: 2, seq: 2 }, to: "Emoji" });
    await vi.waitFor(async () => expect(await stored(emoji.id)).toEqual([{ phone: "+33612340806", text, action: null }]));
  });

  it("the parts of a long SMS sent over SMPP become one reply on the screen", async () => {
    await listenForSmsReplies([site.id]);
    const before = (await stored(site.id)).length;
    await smsc.sendInbound("+33612340804", "Bonjour, je voudrais savoir ", { udh: { ref: 77, total: 2, seq: 1 }, to: "Org" });
    await smsc.sendInbound("+33612340804", "si la réunion est maintenue.", { udh: { ref: 77, total: 2, seq: 2 }, to: "Org" });
    await vi.waitFor(async () => expect((await stored(site.id)).length).toBe(before + 1));
    expect((await stored(site.id)).at(-1)).toEqual({ phone: "+33612340804", text: "Bonjour, je voudrais savoir si la réunion est maintenue.", action: null });
  });
});
