import { beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { db } from "@/db/client";
import { messageTemplates, newsletterSends, outboundMessages, queue, sites, subscriptions, type Site, type User } from "@/db/schema";
import { setOverride } from "@/lib/i18n/overrides";
import { stripTags, textFromHtml } from "@/lib/newsletters/render";
import { queueDueSends } from "@/lib/newsletters/send";
import { failedRecipients, searchSubscribers } from "@/lib/newsletters/templates";
import { listTemplates } from "@/lib/newsletters/template-list";
import {
  cancelSendAction,
  cloneTemplateAction,
  countSendAction,
  deleteTemplateAction,
  retryFailuresAction,
  saveTemplateAction,
  sendTemplateAction,
  testSendAction,
} from "@/app/[locale]/manage/templates/actions";
import { POST as previewRoute } from "@/app/api/templates/preview/route";
import { GET as subscribersRoute } from "@/app/api/templates/subscribers/route";
import { GET as statsRoute } from "@/app/api/templates/sends/[id]/stats/route";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectFailure, expectSuccess, run, type AnyAction } from "../helpers/actions";

let siteA: Site, siteB: Site;
let adminA: User, memberA: User, adminB: User;

const valid = (extra: Record<string, unknown> = {}) => ({
  locale: "en",
  name: "Spring letter",
  subject: "Hello {{name}}",
  html: "<h1>Spring</h1><p>Dear {{name}}, news from {{site_name}}.</p><p><a href='{{unsubscribe_url}}'>Unsubscribe</a></p>",
  text: "",
  textEdited: "off",
  fromName: "",
  fromAddress: "",
  replyTo: "",
  groupIds: ["2", "1"],
  pastedRecipients: "",
  ...extra,
});

/** Creates a template through the action (as adminA) and returns its id. */
async function create(extra: Record<string, unknown> = {}) {
  actAs(adminA.id, siteA.domain);
  const outcome = await run(saveTemplateAction as AnyAction, valid(extra));
  expect(outcome, JSON.stringify(outcome)).toHaveProperty("redirect");
  const m = /\/en\/manage\/templates\/(\d+)\?created=1$/.exec((outcome as { redirect: string }).redirect);
  expect(m).not.toBeNull();
  return Number(m![1]);
}

const templateRow = async (id: number) => (await db.select().from(messageTemplates).where(eq(messageTemplates.id, id)))[0];
const sendsOf = (templateId: number) => db.select().from(newsletterSends).where(eq(newsletterSends.templateId, templateId)).orderBy(asc(newsletterSends.id));
const queueCount = async () => Number((await db.select({ n: sql<number>`count(*)::int` }).from(queue))[0].n);
const messageCount = async () => Number((await db.select({ n: sql<number>`count(*)::int` }).from(outboundMessages))[0].n);
const recipientsOf = async (messageId: number) => (await db.select({ r: queue.recipient }).from(queue).where(eq(queue.messageId, messageId))).map((x) => x.r).sort();

beforeAll(async () => {
  siteA = await makeSite({ domain: "tpl-a.example.org", defaultLocale: "en" });
  siteB = await makeSite({ domain: "tpl-b.example.org" });
  [adminA, memberA, adminB] = await Promise.all([makeUser(siteA.id, "admin"), makeUser(siteA.id, "member"), makeUser(siteB.id, "admin")]);
  await setOverride(siteA.id, "en", "signup_opt1", "News");
  await setOverride(siteA.id, "en", "signup_opt2", "Offers");
  const sub = (email: string, groupId: number, status: "confirmed" | "unconfirmed" | "unsubscribed", name = "") =>
    ({ siteId: siteA.id, email, groupId, status, name, source: "screen" as const });
  await db.insert(subscriptions).values([
    sub("ann@example.org", 1, "confirmed", "Ann"),
    sub("bob@example.org", 1, "confirmed", "Bob"),
    sub("bob@example.org", 2, "confirmed", "Bob"),
    sub("carl@example.org", 2, "unconfirmed"),
    sub("dan@example.org", 1, "unsubscribed"),
    { ...sub("eve@example.org", 1, "confirmed"), siteId: siteB.id },
  ]);
});

describe("templates: create, edit, clone, delete", () => {
  it("creates through the action, with the text part generated from the HTML", async () => {
    const id = await create();
    const row = await templateRow(id);
    expect(row).toMatchObject({ siteId: siteA.id, name: "Spring letter", textEdited: false, groupIds: [1, 2], replyTo: null, createdBy: adminA.id });
    expect(row.text).not.toMatch(/SPRING/); // a heading keeps its case
    expect(row.text).toContain("Dear {{name}}, news from {{site_name}}.");
    const { rows: templates } = await listTemplates(siteA.id);
    expect(templates.map((t) => t.id)).toContain(id);
    expect(templates.find((t) => t.id === id)?.lastSend).toBeNull();
  });

  it("refuses malformed input field by field, echoes what was typed and stores nothing", async () => {
    actAs(adminA.id, siteA.domain);
    const before = (await db.select().from(messageTemplates)).length;
    const bad = expectFailure(await run(saveTemplateAction as AnyAction, valid({ name: "  ", fromAddress: "not an address", replyTo: "x@", subject: "two\nlines" })), "errors.checkFields");
    expect(bad.fieldErrors).toMatchObject({ name: { key: "errors.required" }, fromAddress: { key: "errors.email" }, replyTo: { key: "errors.email" }, subject: { key: "errors.singleLine" } });
    expect(bad.values).toMatchObject({ fromAddress: "not an address", html: valid().html, groupIds: "2\n1" });
    const pasted = expectFailure(await run(saveTemplateAction as AnyAction, valid({ pastedRecipients: "ok@example.org\nnope, also-bad" })), "errors.invalidAddresses");
    expect(pasted.fieldErrors?.pastedRecipients?.values).toMatchObject({ count: 2, list: "nope, also-bad" });
    expectFailure(await run(saveTemplateAction as AnyAction, valid({ groupIds: ["1", "99"] })), "errors.unknownGroup");
    expectFailure(await run(saveTemplateAction as AnyAction, valid({ groupIds: ["abc"] })), "errors.checkFields");
    expectFailure(await run(saveTemplateAction as AnyAction, valid({ html: "x".repeat(300_001) })), "errors.checkFields");
    expectFailure(await run(saveTemplateAction as AnyAction, valid({ id: "2147483648" })), "errors.checkFields");
    expect((await db.select().from(messageTemplates)).length).toBe(before);
  });

  it("refuses a name over 200 characters with the translated length error, keeping it; 200 is accepted", async () => {
    // One long word, as a paste gives it: the editor's maxLength stops typing, not a crafted post.
    actAs(adminA.id, siteA.domain);
    const before = (await db.select().from(messageTemplates)).length;
    const long = "N".repeat(201);
    const refused = expectFailure(await run(saveTemplateAction as AnyAction, valid({ name: long })), "errors.checkFields");
    expect(refused.fieldErrors?.name).toEqual({ key: "errors.tooLong", values: { max: 200 } });
    expect(refused.values).toMatchObject({ name: long });
    expect((await db.select().from(messageTemplates)).length).toBe(before);
    const id = await create({ name: "N".repeat(200) });
    expect((await templateRow(id)).name).toBe("N".repeat(200));
  });

  it("saves edits: a hand-edited text part is kept, and regenerated once released", async () => {
    const id = await create();
    const edited = expectSuccess(await run(saveTemplateAction as AnyAction, valid({ id, name: "Renamed", text: "My own text", textEdited: "on", replyTo: "Replies@Example.org", groupIds: "1" })));
    expect(edited).toMatchObject({ ok: true, data: { id, text: "My own text", unknown: [] } });
    expect(await templateRow(id)).toMatchObject({ name: "Renamed", text: "My own text", textEdited: true, replyTo: "replies@example.org", groupIds: [1] });
    expectSuccess(await run(saveTemplateAction as AnyAction, valid({ id, html: "<p>New body</p>", text: "My own text", textEdited: "off" })));
    expect(await templateRow(id)).toMatchObject({ text: "New body", textEdited: false });
  });

  it("a generated text part keeps headings as written, so their placeholders stay fillable", async () => {
    const id = await create({ html: "<h1>News from {{site_name}}</h1><p>{{name}}</p>" });
    const { text } = await templateRow(id);
    expect(text).toContain("News from {{site_name}}");
    for (const level of [1, 2, 3, 4, 5, 6]) expect(textFromHtml(`<h${level}>Bonjour {{name}}</h${level}><p>Texte</p>`)).toBe("Bonjour {{name}}\n\nTexte");
    // As written, like the HTML part: a placeholder is filled as typed in either part, or in neither.
    expect(textFromHtml("<h2>{{ Name }}</h2>")).toBe("{{ Name }}");
    // A fallback with spaces is never split across lines by the wrapping; a skipped image leaves one blank line.
    const long = `<p>${"x".repeat(60)} {{name|dear friends of the association}}</p><p><img src="a.png"></p><p>End</p>`;
    expect(textFromHtml(long)).toBe(`${"x".repeat(60)}\n{{name|dear friends of the association}}\n\nEnd`);
  });

  it("HTML nested too deep for html-to-text still previews and saves, with a plainer text part", async () => {
    const deep = `<style>p{color:red}</style><p>Caf&eacute; &amp; {{Name}}</p>${"<b>".repeat(5000)}Bold &lt;end&gt;<!-- note -->`;
    expect(textFromHtml(deep)).toBe("Café & {{Name}}\n\nBold <end>");
    expect(stripTags("a < b<br>c<script>x<y</script>d<!-- open")).toBe("a < b\ncd");
    actAs(adminA.id, siteA.domain);
    const preview = await previewRoute(
      new NextRequest("http://x/api/templates/preview", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ locale: "en", html: "<b>".repeat(5000) + "Hi" }) }),
    );
    expect(preview.status).toBe(200);
    expect((await preview.json()).generatedText).toBe("Hi");
    const id = await create({ html: deep });
    expect((await templateRow(id)).text).toBe("Café & {{Name}}\n\nBold <end>");
  });

  it("saves a template with an unknown placeholder but names it", async () => {
    const id = await create();
    const outcome = expectSuccess(await run(saveTemplateAction as AnyAction, valid({ id, subject: "Hi {{firstname}}", html: "<p>{{ nom }}</p>" })));
    expect(outcome).toMatchObject({ ok: true, data: { unknown: ["{{firstname}}", "{{nom}}"] } });
    expect((await templateRow(id)).subject).toBe("Hi {{firstname}}");
  });

  it("clones under a translated name, with the same content and recipients", async () => {
    const id = await create({ pastedRecipients: "zed@example.org" });
    const outcome = await run(cloneTemplateAction as AnyAction, { id, locale: "en" });
    const m = /\/en\/manage\/templates\/(\d+)\?cloned=1$/.exec((outcome as { redirect: string }).redirect);
    expect(m).not.toBeNull();
    const [original, copy] = [await templateRow(id), await templateRow(Number(m![1]))];
    expect(copy.id).not.toBe(original.id);
    expect(copy).toMatchObject({ name: "Copy of Spring letter", subject: original.subject, html: original.html, text: original.text, groupIds: original.groupIds, pastedRecipients: "zed@example.org", siteId: siteA.id });
    const fr = await run(cloneTemplateAction as AnyAction, { id, locale: "fr" });
    expect(await templateRow(Number(/(\d+)\?cloned/.exec((fr as { redirect: string }).redirect)![1]))).toMatchObject({ name: "Copie de Spring letter" });
    expectFailure(await run(cloneTemplateAction as AnyAction, { id: 999_999, locale: "en" }), "errors.notFound");
  });

  it("deletes, keeping past sends' reports", async () => {
    const id = await create();
    const sent = expectSuccess(await run(sendTemplateAction as AnyAction, { id, when: "now" })) as { data: { sendId: number } };
    expectSuccess(await run(deleteTemplateAction as AnyAction, { id }));
    expect(await templateRow(id)).toBeUndefined();
    const [send] = await db.select().from(newsletterSends).where(eq(newsletterSends.id, sent.data.sendId));
    expect(send).toMatchObject({ templateId: null, status: "queued" });
    expectFailure(await run(deleteTemplateAction as AnyAction, { id }), "errors.notFound");
  });
});

describe("sending", () => {
  it("an unknown placeholder blocks the count, the send and the test: nothing is queued", async () => {
    const id = await create({ html: "<p>Hi {{firstname}}</p>" });
    const [q, m] = [await queueCount(), await messageCount()];
    expectFailure(await run(countSendAction as AnyAction, { id }), "errors.unknownPlaceholders");
    const refused = expectFailure(await run(sendTemplateAction as AnyAction, { id, when: "now" }), "errors.unknownPlaceholders");
    expect(refused.error.values).toEqual({ names: "{{firstname}}" });
    expectFailure(await run(testSendAction as AnyAction, { id, address: "me@example.org" }), "errors.unknownPlaceholders");
    expect([await queueCount(), await messageCount()]).toEqual([q, m]);
    expect(await sendsOf(id)).toEqual([]);
  });

  it("the confirmation counts distinct confirmed recipients without queueing anything", async () => {
    const id = await create({ pastedRecipients: "bob@example.org\nerin@example.org; dan@example.org" });
    const [q, m] = [await queueCount(), await messageCount()];
    // ann, bob (two groups and pasted), erin; never carl (unconfirmed) nor dan (unsubscribed), nor site B's eve
    expect(expectSuccess(await run(countSendAction as AnyAction, { id }))).toMatchObject({ ok: true, data: { count: 3 } });
    expect([await queueCount(), await messageCount()]).toEqual([q, m]);
    expect(await sendsOf(id)).toEqual([]);
  });

  it("a send queues one row per distinct confirmed recipient; sending again is a new message", async () => {
    const id = await create({ pastedRecipients: "bob@example.org\nerin@example.org" });
    const first = expectSuccess(await run(sendTemplateAction as AnyAction, { id, when: "now" })) as { data: { sendId: number; status: string; recipientCount: number } };
    expect(first.data).toMatchObject({ status: "queued", recipientCount: 3 });
    const second = expectSuccess(await run(sendTemplateAction as AnyAction, { id, when: "now" })) as { data: { sendId: number } };
    const sends = await sendsOf(id);
    expect(sends.map((s) => s.id)).toEqual([first.data.sendId, second.data.sendId]);
    expect(sends[0].messageId).not.toBe(sends[1].messageId);
    for (const s of sends) expect(await recipientsOf(s.messageId!)).toEqual(["ann@example.org", "bob@example.org", "erin@example.org"]);
    const [row] = await db.select().from(queue).where(and(eq(queue.messageId, sends[0].messageId!), eq(queue.recipient, "ann@example.org")));
    expect(row.variables.unsubscribe_url).toMatch(/\/api\/unsubscribe\/[0-9a-f]{64}$/);
    expect((await listTemplates(siteA.id)).rows.find((t) => t.id === id)?.lastSend).toMatchObject({ id: second.data.sendId, status: "queued", recipientCount: 3 });
  });

  it("refuses to send now to nobody", async () => {
    const id = await create({ groupIds: [] });
    expect(expectSuccess(await run(countSendAction as AnyAction, { id }))).toMatchObject({ data: { count: 0 } });
    expectFailure(await run(sendTemplateAction as AnyAction, { id, when: "now" }), "errors.noRecipients");
    expect(await sendsOf(id)).toEqual([]);
  });

  it("a test send goes through the queue to that address only", async () => {
    const id = await create();
    expectSuccess(await run(testSendAction as AnyAction, { id, address: " Me@Example.org " }));
    const rows = await db
      .select({ to: queue.recipient, kind: outboundMessages.kind, vars: queue.variables })
      .from(queue)
      .innerJoin(outboundMessages, eq(outboundMessages.id, queue.messageId))
      .where(and(eq(queue.siteId, siteA.id), eq(outboundMessages.kind, "newsletter_test")));
    expect(rows.map((r) => r.to)).toEqual(["me@example.org"]);
    expect(rows[0].vars.unsubscribe_url).toMatch(/\/api\/unsubscribe\//);
    const bad = expectFailure(await run(testSendAction as AnyAction, { id, address: "nope" }), "errors.checkFields");
    expect(bad.fieldErrors?.address?.key).toBe("errors.email");
  });

  it("a scheduled send is not queued until due, then queueDueSends queues it", async () => {
    const id = await create();
    const at = new Date(Date.now() + 2 * 3600_000);
    const outcome = expectSuccess(await run(sendTemplateAction as AnyAction, { id, when: "later", scheduledAt: at.toISOString() })) as { data: { sendId: number; status: string } };
    expect(outcome.data.status).toBe("scheduled");
    let [send] = await db.select().from(newsletterSends).where(eq(newsletterSends.id, outcome.data.sendId));
    expect(send.scheduledAt?.toISOString()).toBe(at.toISOString());
    expect(await recipientsOf(send.messageId!)).toEqual([]);
    await queueDueSends();
    expect(await recipientsOf(send.messageId!)).toEqual([]);
    await db.update(newsletterSends).set({ scheduledAt: new Date(Date.now() - 1000) }).where(eq(newsletterSends.id, send.id));
    expect(await queueDueSends()).toBeGreaterThanOrEqual(1);
    [send] = await db.select().from(newsletterSends).where(eq(newsletterSends.id, send.id));
    expect(send).toMatchObject({ status: "queued", recipientCount: 2 });
    expect(await recipientsOf(send.messageId!)).toEqual(["ann@example.org", "bob@example.org"]);
  });

  it("refuses a schedule in the past, too far ahead, or not a date, as a field error", async () => {
    const id = await create();
    const cases: [unknown, string][] = [
      [new Date(Date.now() - 60_000).toISOString(), "errors.scheduleInPast"],
      [new Date(Date.now() + 400 * 86_400_000).toISOString(), "errors.scheduleTooFar"],
      ["tomorrow", "errors.dateTime"],
      ["", "errors.required"],
    ];
    for (const [scheduledAt, key] of cases) {
      const r = expectFailure(await run(sendTemplateAction as AnyAction, { id, when: "later", scheduledAt }), "errors.checkFields");
      expect(r.fieldErrors?.scheduledAt?.key).toBe(key);
    }
    expect(await sendsOf(id)).toEqual([]);
  });

  it("cancels a scheduled send, which then never goes out; a template with one cannot be deleted", async () => {
    const id = await create();
    const outcome = expectSuccess(await run(sendTemplateAction as AnyAction, { id, when: "later", scheduledAt: new Date(Date.now() + 3600_000).toISOString() })) as { data: { sendId: number } };
    expectFailure(await run(deleteTemplateAction as AnyAction, { id }), "errors.templateScheduled");
    expectSuccess(await run(cancelSendAction as AnyAction, { id: outcome.data.sendId }));
    await db.update(newsletterSends).set({ scheduledAt: new Date(Date.now() - 1000) }).where(eq(newsletterSends.id, outcome.data.sendId));
    await queueDueSends();
    const [send] = await db.select().from(newsletterSends).where(eq(newsletterSends.id, outcome.data.sendId));
    expect(send.status).toBe("cancelled");
    expect(await recipientsOf(send.messageId!)).toEqual([]);
    expectFailure(await run(cancelSendAction as AnyAction, { id: outcome.data.sendId }), "errors.notFound");
    expectSuccess(await run(deleteTemplateAction as AnyAction, { id }));
  });

  it("retries the failures of a send, and lists them in the meantime", async () => {
    const id = await create();
    const outcome = expectSuccess(await run(sendTemplateAction as AnyAction, { id, when: "now" })) as { data: { sendId: number } };
    const [send] = await db.select().from(newsletterSends).where(eq(newsletterSends.id, outcome.data.sendId));
    await db.update(queue).set({ status: "error", lastError: "550 mailbox unavailable" }).where(and(eq(queue.messageId, send.messageId!), eq(queue.recipient, "bob@example.org")));
    const failed = await failedRecipients(siteA.id, send.messageId!);
    expect(failed.rows.map((r) => [r.recipient, r.lastError])).toEqual([["bob@example.org", "550 mailbox unavailable"]]);
    expect((await failedRecipients(siteB.id, send.messageId!)).rows).toEqual([]);
    expect(expectSuccess(await run(retryFailuresAction as AnyAction, { id: send.id }))).toMatchObject({ data: { resent: 1, leftOut: { optedOut: 0, unsubscribed: 0, invalid: 0 } } });
    expect((await failedRecipients(siteA.id, send.messageId!)).rows).toEqual([]);
  });
});

describe("roles and sites", () => {
  it("a member, and an admin of another site, are refused every action; nothing changes", async () => {
    const id = await create();
    const scheduled = expectSuccess(await run(sendTemplateAction as AnyAction, { id, when: "later", scheduledAt: new Date(Date.now() + 3600_000).toISOString() })) as { data: { sendId: number } };
    const snapshot = async () => ({
      templates: await db.select().from(messageTemplates).orderBy(asc(messageTemplates.id)),
      sends: await db.select().from(newsletterSends).orderBy(asc(newsletterSends.id)),
      queued: await queueCount(),
      messages: await messageCount(),
    });
    const before = await snapshot();
    const calls: [AnyAction, unknown][] = [
      [saveTemplateAction as AnyAction, valid()],
      [saveTemplateAction as AnyAction, valid({ id, name: "Taken over" })],
      [cloneTemplateAction as AnyAction, { id, locale: "en" }],
      [deleteTemplateAction as AnyAction, { id }],
      [countSendAction as AnyAction, { id }],
      [sendTemplateAction as AnyAction, { id, when: "now" }],
      [testSendAction as AnyAction, { id, address: "x@example.org" }],
      [cancelSendAction as AnyAction, { id: scheduled.data.sendId }],
      [retryFailuresAction as AnyAction, { id: scheduled.data.sendId }],
    ];
    for (const [user, host, key] of [
      [memberA, siteA.domain, "errors.forbidden"],
      [adminB, siteA.domain, "errors.forbidden"],
      [null, siteA.domain, "errors.signInRequired"],
      // On its own site, the other admin cannot reach site A's rows either.
      [adminB, siteB.domain, "errors.notFound"],
    ] as const) {
      actAs(user?.id ?? null, host);
      for (const [act, input] of calls) {
        if (key === "errors.notFound" && act === (saveTemplateAction as AnyAction) && !(input as { id?: number }).id) continue;
        expectFailure(await run(act, input), key);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it("route handlers check the role and the site", async () => {
    const id = await create();
    const sent = expectSuccess(await run(sendTemplateAction as AnyAction, { id, when: "now" })) as { data: { sendId: number } };
    const stats = (sendId: number) => statsRoute(new Request("http://x/"), { params: Promise.resolve({ id: String(sendId) }) });
    actAs(adminA.id, siteA.domain);
    const ok = await stats(sent.data.sendId);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: "queued", recipientCount: 2, counts: { pending: 2, error: 0 } });
    expect((await stats(999_999)).status).toBe(404);
    actAs(memberA.id, siteA.domain);
    expect((await stats(sent.data.sendId)).status).toBe(403);
    actAs(null, siteA.domain);
    expect((await stats(sent.data.sendId)).status).toBe(401);
    actAs(adminB.id, siteB.domain);
    expect((await stats(sent.data.sendId)).status).toBe(404);

    const search = (q: string, groups: string[]) => subscribersRoute(new NextRequest(`http://x/api/templates/subscribers?q=${q}&${groups.map((g) => `group=${g}`).join("&")}`));
    actAs(adminA.id, siteA.domain);
    expect(await (await search("b", ["1", "2"])).json()).toEqual({ subscribers: [{ email: "bob@example.org", shown: "bob@example.org", name: "Bob" }] });
    expect(await (await search("example", ["2"])).json()).toEqual({ subscribers: [{ email: "bob@example.org", shown: "bob@example.org", name: "Bob" }] });
    expect(await searchSubscribers(siteA.id, [1], "%")).toEqual([]);
    // PostgreSQL refuses NUL in text: control characters are left out of the search.
    const nul = await search("b%00o", ["1", "2"]);
    expect(nul.status).toBe(200);
    expect(await nul.json()).toEqual({ subscribers: [{ email: "bob@example.org", shown: "bob@example.org", name: "Bob" }] });
    actAs(memberA.id, siteA.domain);
    expect((await search("b", ["1"])).status).toBe(403);
  });

  it("the preview renders sample values, or a chosen subscriber with their real unsubscribe link", async () => {
    const preview = (body: unknown) =>
      previewRoute(new NextRequest("http://x/api/templates/preview", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));
    const content = { locale: "en", subject: "Hi {{name}}", html: "<p>{{name}} at {{email}} on {{site_name}}: <a href=\"{{unsubscribe_url}}\">leave</a> {{oops}}</p>", textEdited: false, groupIds: [1] };
    actAs(adminA.id, siteA.domain);
    const sample = await preview(content);
    expect(sample.status).toBe(200);
    const s = await sample.json();
    expect(s).toMatchObject({ subject: "Hi Camille Martin", unknown: ["{{oops}}"], recipient: { email: "camille.martin@example.org" } });
    expect(s.html).toContain(siteA.name);
    expect(s.generatedText).toContain("{{name}} at {{email}}");
    const as = await (await preview({ ...content, as: "ANN@example.org" })).json();
    expect(as.subject).toBe("Hi Ann");
    expect(as.html).toMatch(/href="https:\/\/tpl-a\.example\.org\/api\/unsubscribe\/[0-9a-f]{64}"/);
    expect((await preview({ ...content, as: "carl@example.org" })).status).toBe(404); // not confirmed
    expect((await preview({ ...content, as: "bob@example.org", groupIds: [] })).status).toBe(404);
    expect((await preview({ ...content, html: 42 })).status).toBe(400);
    // A template for one language's readers previews its added unsubscribe link in that language, as sent.
    const site = await db.select({ defaultLocale: sites.defaultLocale }).from(sites).where(eq(sites.id, siteA.id));
    const other = site[0].defaultLocale === "en" ? "fr" : "en";
    const noLink = { ...content, html: "<p>Hello</p>" };
    const inOther = await (await preview({ ...noLink, audienceLocale: other })).json();
    expect(inOther.html).toContain(other === "en" ? ">Unsubscribe</a>" : ">Se désabonner</a>");
    const inSite = await (await preview({ ...noLink, audienceLocale: "" })).json();
    expect(inSite.html).toContain(other === "en" ? ">Se désabonner</a>" : ">Unsubscribe</a>");
    expect((await preview({ ...noLink, audienceLocale: "de" })).status).toBe(400);
    const form = await previewRoute(new NextRequest("http://x/api/templates/preview", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "html=x" }));
    expect(form.status).toBe(415);
    actAs(memberA.id, siteA.domain);
    expect((await preview(content)).status).toBe(403);
  });
});
