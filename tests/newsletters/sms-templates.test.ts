import { beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { messageTemplates, newsletterSends, outboundMessages, queue, subscriberKeys, subscriptions, type Site, type User } from "@/db/schema";
import { addSubscriberAction } from "@/app/[locale]/manage/subscriptions/actions";
import { countSendAction, saveTemplateAction, sendTemplateAction, testSendAction, testSmsAction } from "@/app/[locale]/manage/templates/actions";
import { composeSms } from "@/lib/mail/compose";
import { createGroup } from "@/lib/newsletters/groups";
import { renderSms } from "@/lib/newsletters/placeholders";
import { sendReport } from "@/lib/newsletters/send";
import { searchPhoneSubscribers } from "@/lib/newsletters/templates";
import { listTemplates } from "@/lib/newsletters/template-list";
import { subscriptionsCsvStream } from "@/lib/newsletters/subscriptions/csv";
import { subscriptionsWhere } from "@/lib/newsletters/subscriptions/filters";
import { smsSender } from "@/lib/sms/send-test";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectFailure, expectSuccess, run, type AnyAction } from "../helpers/actions";
import { SMS_TEXT_MAX } from "@/lib/sms/segments";

let site: Site;
let admin: User;
let news: number, offers: number, other: number;

const sms = (extra: Record<string, unknown> = {}) => ({
  locale: "en",
  name: "Market day",
  channel: "sms",
  text: "Hi {{name}}, market day at {{site_name}}! ({{phone}})",
  textEdited: "on",
  groupIds: [String(news), String(offers)],
  // Ann's number typed nationally (a duplicate of hers), a new one twice, Gus's (unsubscribed elsewhere).
  pastedRecipients: "06 12 34 56 01\n+33 6 12 34 56 08; 0612345608\n06 12 34 56 07",
  ...extra,
});

async function create(extra: Record<string, unknown> = {}) {
  actAs(admin.id, site.domain);
  const outcome = await run(saveTemplateAction as AnyAction, sms(extra));
  expect(outcome, JSON.stringify(outcome)).toHaveProperty("redirect");
  return Number(/\/templates\/(\d+)\?created=1$/.exec((outcome as { redirect: string }).redirect)![1]);
}

const rowsOf = (messageId: number) => db.select().from(queue).where(eq(queue.messageId, messageId)).orderBy(asc(queue.recipient));

beforeAll(async () => {
  site = await makeSite({ domain: "sms-tpl.example.org", name: "Green Market", defaultLocale: "en", defaultCountry: "FR" });
  admin = await makeUser(site.id, "admin");
  news = await createGroup(site, { fr: "Actualités", en: "News" });
  offers = await createGroup(site, { fr: "Offres", en: "Offers" });
  other = await createGroup(site, { fr: "Autre", en: "Other" });
  const sub = (email: string, groupId: number, status: "confirmed" | "unconfirmed" | "unsubscribed", phone: string | null, name = "") =>
    ({ siteId: site.id, email, groupId, status, phone, name, source: "screen" as const });
  await db.insert(subscriptions).values([
    sub("ann@example.org", news, "confirmed", "+33612345601", "Ann"),
    sub("ann@example.org", offers, "confirmed", "+33612345601", "Ann"), // in both groups: one SMS
    sub("bob@example.org", offers, "confirmed", "+33612345602", "Bob"),
    sub("cat@example.org", news, "confirmed", "+33612345602", ""), // shares Bob's number: one SMS
    sub("dan@example.org", news, "confirmed", null, "Dan"), // no number
    sub("eve@example.org", offers, "unconfirmed", "+33612345605", "Eve"),
    sub("fay@example.org", news, "confirmed", "+33612345606", "Fay"), // suppressed below
    sub("gus@example.org", other, "unsubscribed", "+33612345607", "Gus"), // pasted: skipped
  ]);
  await db.insert(subscriberKeys).values({ siteId: site.id, email: "fay@example.org", token: "f".repeat(64), suppressedAt: new Date() });
});

describe("SMS templates", () => {
  it("saves an SMS template with its text only; an invalid pasted number is refused, naming it", async () => {
    const id = await create();
    const [row] = await db.select().from(messageTemplates).where(eq(messageTemplates.id, id));
    expect(row).toMatchObject({ channel: "sms", subject: "", html: "", text: sms().text, textEdited: true, groupIds: [news, offers].sort((a, b) => a - b) });
    expect((await listTemplates(site.id)).rows.find((t) => t.id === id)).toMatchObject({ channel: "sms", excerpt: sms().text });

    const before = (await db.select().from(messageTemplates)).length;
    const refused = expectFailure(await run(saveTemplateAction as AnyAction, sms({ pastedRecipients: "06 12 34 56 08\nnot a number\n12345" })), "errors.invalidPhones");
    // National numbers are read as French (the site's country), said as for a single number.
    expect(refused.fieldErrors?.pastedRecipients?.values).toEqual({ count: 2, list: "not a number, 12345", read: "national", country: "France", other: "+32" });
    expect(refused.values).toMatchObject({ pastedRecipients: "06 12 34 56 08\nnot a number\n12345" });
    // Longer than any SMS form takes (10+ segments): refused on the text, kept as typed.
    const long = "x".repeat(SMS_TEXT_MAX + 1);
    const tooLong = expectFailure(await run(saveTemplateAction as AnyAction, sms({ text: long })), "errors.tooLong");
    expect(tooLong.fieldErrors?.text).toEqual({ key: "errors.tooLong", values: { max: SMS_TEXT_MAX } });
    expect(tooLong.values).toMatchObject({ text: long });
    expect((await db.select().from(messageTemplates)).length).toBe(before);
    // An email template's text part has no such limit.
    await create({ channel: "email", subject: "Long", html: "<p>x</p>", text: long, fromAddress: "news@example.org", pastedRecipients: "" });
  });

  it("counts and queues one SMS per distinct confirmed number, with the text personalised when composed", async () => {
    const id = await create();
    expect(expectSuccess(await run(countSendAction as AnyAction, { id }))).toMatchObject({ data: { count: 3, segments: 3 } });
    const sent = expectSuccess(await run(sendTemplateAction as AnyAction, { id, when: "now" })) as { data: { sendId: number; recipientCount: number } };
    expect(sent.data.recipientCount).toBe(3);

    const [send] = await db.select().from(newsletterSends).where(eq(newsletterSends.id, sent.data.sendId));
    expect(send.subject).toBe("Hi {{name}}, market day at Green Market! ({{phone}})"); // its report's title
    const [message] = await db.select().from(outboundMessages).where(eq(outboundMessages.id, send.messageId!));
    expect(message).toMatchObject({ subject: "", html: null, fromAddress: smsSender(site), text: "Hi {{name}}, market day at Green Market! ({{phone}})" });

    const rows = await rowsOf(send.messageId!);
    // Not Dan (no number), Eve (unconfirmed), Fay (suppressed) nor Gus's pasted number (unsubscribed).
    expect(rows.map((r) => [r.channel, r.recipient, r.recipientName])).toEqual([
      ["sms", "+33612345601", "Ann"],
      ["sms", "+33612345602", "Bob"],
      ["sms", "+33612345608", ""],
    ]);
    expect(composeSms(message, rows[0]).text).toBe("Hi Ann, market day at Green Market! (+33612345601)");
    expect(composeSms(message, rows[2]).text).toBe("Hi , market day at Green Market! (+33612345608)");

    const report = await sendReport(site.id, send.id);
    expect(report?.counts).toMatchObject({ pending: 3, sent: 0, error: 0 });
    expect(report?.retrying).toBe(0);
    // A failure the retry runner will take again keeps the send going; a final one does not.
    await db.update(queue).set({ status: "error", retryable: true }).where(eq(queue.id, rows[0].id));
    await db.update(queue).set({ status: "error", retryable: false }).where(eq(queue.id, rows[1].id));
    expect(await sendReport(site.id, send.id)).toMatchObject({ counts: { pending: 1, error: 2 }, retrying: 1 });
  });

  it("a template whose text grew past the limit outside the editor is not sent", async () => {
    const id = await create();
    await db.update(messageTemplates).set({ text: "y".repeat(SMS_TEXT_MAX + 1) }).where(eq(messageTemplates.id, id));
    const refused = expectFailure(await run(sendTemplateAction as AnyAction, { id, when: "now" }), "errors.tooLong");
    expect(refused.error.values).toEqual({ max: String(SMS_TEXT_MAX) });
  });

  it("a sent template keeps its channel", async () => {
    const id = await create();
    expectSuccess(await run(sendTemplateAction as AnyAction, { id, when: "now" }));
    const locked = expectFailure(await run(saveTemplateAction as AnyAction, sms({ id, channel: "email", subject: "Hello", html: "<p>Hi</p>", pastedRecipients: "" })), "errors.channelLocked");
    expect(locked.fieldErrors?.channel?.key).toBe("errors.channelLocked");
    expect((await db.select().from(messageTemplates).where(eq(messageTemplates.id, id)))[0].channel).toBe("sms");
    // Before any send, the channel may change, and the email fields come back as they were.
    const fresh = await create();
    expectSuccess(await run(saveTemplateAction as AnyAction, sms({ id: fresh, channel: "email", subject: "Hello", html: "<p>Hi</p>", textEdited: "off", pastedRecipients: "" })));
    expectSuccess(await run(saveTemplateAction as AnyAction, sms({ id: fresh, pastedRecipients: "" })));
    expect((await db.select().from(messageTemplates).where(eq(messageTemplates.id, fresh)))[0]).toMatchObject({ channel: "sms", subject: "Hello", html: "<p>Hi</p>", text: sms().text });
  });

  it("the send confirmation prices the SMS as each person's text will be: a name can add a segment", async () => {
    // 161 characters for Ann and Bob (two segments each), 158 for the pasted number without a name.
    const long = await create({ text: `Hi {{name}}! ${"y".repeat(153)}` });
    expect(expectSuccess(await run(countSendAction as AnyAction, { id: long }))).toMatchObject({ data: { count: 3, segments: 2 + 2 + 1 } });
    // No per-person placeholder: every SMS is the same (here: UCS-2 for the emoji, 70 per segment).
    const same = await create({ text: `Market day 🍎 ${"z".repeat(60)}` });
    expect(expectSuccess(await run(countSendAction as AnyAction, { id: same }))).toMatchObject({ data: { count: 3, segments: 3 * 2 } });
  });

  it("placeholders: {{phone}} is allowed, an email-only or unknown one blocks the send", async () => {
    const id = await create({ text: "Hi {{name}}, leave here: {{unsubscribe_url}} {{oops}}" });
    const blocked = expectFailure(await run(countSendAction as AnyAction, { id }), "errors.unknownPlaceholders");
    expect(blocked.error.values).toEqual({ names: "{{unsubscribe_url}}, {{oops}}" });
    expectFailure(await run(sendTemplateAction as AnyAction, { id, when: "now" }), "errors.unknownPlaceholders");
    expectFailure(await run(testSmsAction as AnyAction, { id, to: "06 12 34 56 99" }), "errors.unknownPlaceholders");
    const empty = await create({ text: "  " });
    expectFailure(await run(countSendAction as AnyAction, { id: empty }), "errors.bodyRequired");
    expect(renderSms("{{name}} {{phone}} {{site_name}}", { site_name: "S", site_url: "u" }, { name: "Ann", phone: "+336" })).toBe("Ann +336 S");
  });

  it("{{name|friend}}: the fallback for recipients without a name, the name for the others; not an unknown placeholder", async () => {
    const text = "Hi {{name|neighbour}}, market day at {{ site_name | our market }}!";
    const site = { site_name: "Green Market", site_url: "u" };
    expect(renderSms(text, site, { name: "Ann", phone: "+336" })).toBe("Hi Ann, market day at Green Market!");
    expect(renderSms(text, site, { name: "", phone: "+336" })).toBe("Hi neighbour, market day at Green Market!");
    expect(renderSms(text, site, { name: "  ", phone: "+336" })).toBe("Hi neighbour, market day at Green Market!");
    const id = await create({ text });
    // Priced as each person gets it: one segment each, not the template with its braces.
    expect(expectSuccess(await run(countSendAction as AnyAction, { id }))).toMatchObject({ data: { count: 3, segments: 3 } });
    const long = await create({ text: `Hi {{name|${"n".repeat(150)}}}, market day!` });
    // Ann and Bob fit in one segment; the one without a name gets the 150-letter fallback: two.
    expect(expectSuccess(await run(countSendAction as AnyAction, { id: long }))).toMatchObject({ data: { count: 3, segments: 4 } });
    const sent = expectSuccess(await run(sendTemplateAction as AnyAction, { id, when: "now" })) as { data: { sendId: number } };
    const [send] = await db.select().from(newsletterSends).where(eq(newsletterSends.id, sent.data.sendId));
    const [message] = await db.select().from(outboundMessages).where(eq(outboundMessages.id, send.messageId!));
    const texts = (await rowsOf(send.messageId!)).map((r) => composeSms(message, r).text);
    expect(texts).toEqual(["Hi Ann, market day at Green Market!", "Hi Bob, market day at Green Market!", "Hi neighbour, market day at Green Market!"]);
    // The name before the bar is what must be known.
    const unknown = await create({ text: "Hi {{nom|voisin}}" });
    expect(expectFailure(await run(countSendAction as AnyAction, { id: unknown }), "errors.unknownPlaceholders").error.values).toEqual({ names: "{{nom}}" });
  });

  it("the test send goes to one number through the queue; an invalid one is refused on the field, as typed", async () => {
    const id = await create();
    expectSuccess(await run(testSmsAction as AnyAction, { id, to: " 06 12 34 56 99 " }));
    const tests = await db
      .select({ to: queue.recipient, channel: queue.channel, text: outboundMessages.text })
      .from(queue)
      .innerJoin(outboundMessages, eq(outboundMessages.id, queue.messageId))
      .where(and(eq(queue.siteId, site.id), eq(outboundMessages.kind, "newsletter_test")));
    expect(tests).toEqual([{ to: "+33612345699", channel: "sms", text: "Hi {{name}}, market day at Green Market! ({{phone}})" }]);

    const refused = expectFailure(await run(testSmsAction as AnyAction, { id, to: "12345" }), "errors.invalidPhone");
    expect(refused.error.values).toEqual({ number: "12345", read: "national", country: "France", other: "+32" });
    expect(refused.fieldErrors?.to).toEqual({ key: "errors.invalidPhone", values: { number: "12345", read: "national", country: "France", other: "+32" } });
    expect(refused.values).toMatchObject({ to: "12345" });
    // The email test does not send an SMS template (and the other way round).
    expectFailure(await run(testSendAction as AnyAction, { id, address: "me@example.org" }), "errors.wrongChannel");
  });

  it("'preview as' finds confirmed subscribers of the groups who gave a number", async () => {
    expect((await searchPhoneSubscribers(site.id, [news, offers], "5602")).map((s) => [s.phone, s.label])).toEqual([["+33612345602", "+33 6 12 34 56 02"]]);
    expect((await searchPhoneSubscribers(site.id, [news], "an")).map((s) => s.phone)).toEqual(["+33612345601"]);
    expect((await searchPhoneSubscribers(site.id, [news], "a\u0000n\u0007")).map((s) => s.phone)).toEqual(["+33612345601"]);
    expect(await searchPhoneSubscribers(site.id, [news], "dan")).toEqual([]); // no number
    // The start of a number as people write it, in the site's country (France here).
    expect((await searchPhoneSubscribers(site.id, [news, offers], "06 12 34 56 02", 10, "FR")).map((s) => s.phone)).toEqual(["+33612345602"]);
    expect(await searchPhoneSubscribers(site.id, [news, offers], "06 12 34 56 02", 10, "BE")).toEqual([]);
  });
});

describe("subscribers with a phone", () => {
  it("adding one stores a national number in E.164; an invalid one is refused, keeping what was typed", async () => {
    actAs(admin.id, site.domain);
    expectSuccess(await run(addSubscriberAction as AnyAction, { group: news, email: "hal@example.org", name: "Hal", phone: "06 12 34 56 10" }));
    expectSuccess(await run(addSubscriberAction as AnyAction, { group: news, email: "ian@example.org", name: "", phone: "" }));
    const stored = async (email: string) => (await db.select().from(subscriptions).where(and(eq(subscriptions.siteId, site.id), eq(subscriptions.email, email))))[0];
    expect(await stored("hal@example.org")).toMatchObject({ phone: "+33612345610", status: "confirmed" });
    expect((await stored("ian@example.org")).phone).toBeNull();

    // Checked with the other fields (every error in one answer): the form's alert asks to correct them, the field says which number.
    const refused = expectFailure(await run(addSubscriberAction as AnyAction, { group: news, email: "joe@example.org", name: "Joe", phone: "06 12" }), "errors.checkFields");
    expect(refused.fieldErrors?.phone).toEqual({ key: "errors.invalidPhone", values: { number: "06 12", read: "national", country: "France", other: "+32" } });
    expect(refused.values).toMatchObject({ email: "joe@example.org", name: "Joe", phone: "06 12" });
    expect(await stored("joe@example.org")).toBeUndefined();
  });

  it("the group's filter finds a number as people write it, in the site's country", async () => {
    const emails = async (q: string, country: string) =>
      (await db.select({ email: subscriptions.email }).from(subscriptions).where(subscriptionsWhere(site.id, news, { q }, country)).orderBy(subscriptions.email)).map((r) => r.email);
    expect(await emails("06 12 34 56 10", "FR")).toEqual(["hal@example.org"]);
    expect(await emails("+33 6 12 34 56 0", "FR")).toEqual(["ann@example.org", "cat@example.org", "fay@example.org"]);
    expect(await emails("06 12 34 56 10", "BE")).toEqual([]);
    expect(await emails("hal", "FR")).toEqual(["hal@example.org"]); // an address still
  });

  it("the CSV export has the phone, after the earlier columns (the language follows it)", async () => {
    const reader = subscriptionsCsvStream(subscriptionsWhere(site.id, news, { q: "hal@" })).getReader();
    let text = "";
    for (let r = await reader.read(); !r.done; r = await reader.read()) text += new TextDecoder().decode(r.value);
    const [header, hal] = text.replace(/^\uFEFF/, "").split("\r\n");
    expect(header.split(",").slice(-2)).toEqual(["phone", "language"]);
    // A leading "+" is defused like any formula-looking cell.
    expect(hal.split(",").at(-2)).toBe("'+33612345610");
  });
});
