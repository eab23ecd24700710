import { beforeAll, describe, expect, it, vi } from "vitest";
import type { ReactNode } from "react";
import { asc, eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { messageTemplates, queue, queueEvents, subscriptions, type Site, type User } from "@/db/schema";
import { changeQueueAction } from "@/app/[locale]/manage/queue/actions";
import QueueRowPage from "@/app/[locale]/manage/queue/[id]/page";
import { RowActionsClient } from "@/app/[locale]/manage/queue/[id]/row-actions-client";
import { FactList } from "@/components/ui/fact-list";
import { errorText } from "@/components/queue/error-text";
import { setOverride } from "@/lib/i18n/overrides";
import { eraseSubscriber } from "@/lib/newsletters/erase";
import { retryPlan } from "@/lib/newsletters/retry-failures";
import { sendTemplate } from "@/lib/newsletters/send";
import { unsubscribeAll } from "@/lib/newsletters/unsubscribe";
import { unsubscribeToken } from "@/lib/newsletters/keys";
import { runQueue } from "@/lib/queue/run";
import type { SmsTransport } from "@/lib/sms/transport";
import type { EmailTransport } from "@/lib/mail/transport";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectSuccess, run } from "../helpers/actions";
import { failureTranslator } from "../helpers/failure-translator";
import { findAll } from "../helpers/server-page";

// A newsletter or group SMS sent before its person was erased keeps their address or number
// (the delivery record, lib/newsletters/erase.ts), and the queue stops it if it is sent again.
// Its page offered "Set back to pending" with "it will be sent to them again", and the row then
// ended "not sent: the address unsubscribed…": the person never unsubscribed, they were erased
// on request, and every way of sending it again must say so.

// The page reads translations through next-intl/server, which needs Next's request: the English file's here.
vi.mock("next-intl/server", async () => (await import("../helpers/server-page")).englishIntlServer());

let site: Site;
let admin: User;
/** Whom each email went to (its To, with the name). */
const sent: string[] = [];
const transport: EmailTransport = {
  kind: "outbox",
  async send(mail, meta) {
    sent.push(JSON.stringify(mail.to));
    return { providerMessageId: `mail-${meta.queueId}` };
  },
  close() {},
};
const texted: string[] = [];
const sms: SmsTransport = {
  kind: "outbox",
  async send(message) {
    texted.push(message.to);
    return { providerMessageId: `sms-${message.queueId}` };
  },
  close() {},
};
const runOnce = () => runQueue({ kind: "send", siteId: site.id, runner: "t", transport, sms: async () => sms });
const CLAIRE = "claire@example.com";
const CLAIRE_PHONE = "+33612347001";

beforeAll(async () => {
  site = await makeSite({ domain: "erased-resend.example.org", defaultCountry: "FR" });
  admin = await makeUser(site.id, "admin");
  for (const l of ["fr", "en"] as const) await setOverride(site.id, l, "signup_opt1", "News");
  await db.insert(subscriptions).values([
    { siteId: site.id, groupId: 1, email: CLAIRE, name: "Claire", phone: CLAIRE_PHONE, status: "confirmed", source: "screen" },
    { siteId: site.id, groupId: 1, email: "dora@example.com", name: "Dora", phone: "+33612347002", status: "confirmed", source: "screen" },
  ]);
});

/** A send of `channel` to group 1, every row of it sent. */
async function sentLetter(channel: "email" | "sms") {
  const [template] = await db
    .insert(messageTemplates)
    .values({ siteId: site.id, name: `News ${channel}`, channel, subject: channel === "email" ? "News" : "", html: "<p>News</p>", text: "Market day", textEdited: true, groupIds: [1], pastedRecipients: "" })
    .returning();
  const { messageId } = (await sendTemplate(site, template, { actorId: admin.id }))!;
  await db.update(queue).set({ status: "sent", sentAt: sql`now()` }).where(eq(queue.messageId, messageId!));
  const rowsOf = () => db.select({ id: queue.id, to: queue.recipient, status: queue.status, lastError: queue.lastError }).from(queue).where(eq(queue.messageId, messageId!)).orderBy(asc(queue.recipient));
  return { messageId: messageId!, rowsOf };
}


/** The row's page as an admin sees it: whether it offers a resend, and its recipient fact. */
async function rowPage(id: number) {
  actAs(admin.id, site.domain);
  const page = await QueueRowPage({ params: Promise.resolve({ locale: "en", id: String(id) }) });
  const [actions] = findAll<{ erased: boolean; wontGo: string | null }>(page, RowActionsClient);
  const facts = findAll<{ facts: [string, ReactNode][] }>(page, FactList)[0].props.facts;
  return { erased: actions.props.erased, recipient: facts.find(([label]) => label === "Recipient")?.[1], wontGo: actions.props.wontGo };
}

const history = async (id: number) => (await db.select({ error: queueEvents.error }).from(queueEvents).where(eq(queueEvents.queueId, id)).orderBy(asc(queueEvents.id))).map((e) => e.error);

describe("a message sent to someone erased since", () => {
  it("its page says so and offers no resend; set back to pending anyway, it ends 'erased on request', in both languages, as 'Retry the failures' leaves it out", async () => {
    const letter = await sentLetter("email");
    const texts = await sentLetter("sms");
    await eraseSubscriber(site.id, CLAIRE, "user:erase");
    const [claire, dora] = await letter.rowsOf();
    const [claireSms, doraSms] = await texts.rowsOf();
    expect([claire.to, claireSms.to]).toEqual([CLAIRE, CLAIRE_PHONE]); // sent: the delivery record

    // Its page: marked erased, no "Set back to pending" (which promised a resend); Dora's offers it.
    expect(await rowPage(claire.id)).toEqual({ erased: true, recipient: `Claire <${CLAIRE}> (erased on request)`, wontGo: null });
    expect((await rowPage(claireSms.id)).erased).toBe(true);
    expect(await rowPage(dora.id)).toEqual({ erased: false, recipient: "Dora <dora@example.com>", wontGo: null });
    expect((await rowPage(doraSms.id)).erased).toBe(false);

    // The queue screen's bulk "Set all matching back to pending" cannot tell who was erased
    // without reading every row: they go back, and the runner stops them with the true reason.
    actAs(admin.id, site.domain);
    expect(expectSuccess(await run(changeQueueAction, { op: "pending", target: "filter", ids: [], filter: "status=sent" }))).toMatchObject({ data: { count: 4 } });
    await runOnce();
    expect(sent).toEqual([expect.stringContaining("dora@example.com")]);
    expect(texted.map((to) => to.replace(/^\+/, ""))).toEqual(["33612347002"]);
    for (const rowsOf of [letter.rowsOf, texts.rowsOf]) {
      const [erased, kept] = await rowsOf();
      expect([erased.status, kept.status]).toEqual(["error", "sent"]);
      const shown = (locale: "fr" | "en") => errorText(failureTranslator(locale), erased.lastError!, false).reason;
      expect(shown("en")).toBe(en.queue.failure.reasons.erased);
      expect(shown("fr")).toBe(fr.queue.failure.reasons.erased);
      expect((await history(erased.id)).at(-1)).toBe(erased.lastError);
    }
    // Not "unsubscribed", in any words.
    expect(en.queue.failure.reasons.erased).not.toMatch(/unsubscribed/);
    expect(fr.queue.failure.reasons.erased).not.toMatch(/désabonn/);

    // Now in error: "Retry the failures" leaves them out (as "unsubscribed or erased"), and
    // setting the errors back to pending ends them the same way again.
    expect(await retryPlan(site.id, letter.messageId)).toEqual({ ids: [], leftOut: { optedOut: 0, unsubscribed: 1, invalid: 0 } });
    expect(await retryPlan(site.id, texts.messageId)).toEqual({ ids: [], leftOut: { optedOut: 0, unsubscribed: 1, invalid: 0 } });
    expect((await rowPage(claire.id)).erased).toBe(true);
    expect(expectSuccess(await run(changeQueueAction, { op: "pending", target: "filter", ids: [], filter: "status=error" }))).toMatchObject({ data: { count: 2 } });
    await runOnce();
    expect([sent.length, texted.length]).toEqual([1, 1]);
    for (const id of [claire.id, claireSms.id]) {
      const [again] = await db.select({ status: queue.status, lastError: queue.lastError }).from(queue).where(eq(queue.id, id));
      expect(errorText(failureTranslator("en"), again.lastError!, false).reason).toBe(en.queue.failure.reasons.erased);
    }
  });
});

describe("a message sent to someone who unsubscribed since", () => {
  it("its page offers no resend the queue would stop, and says why; before that, it offers one", async () => {
    for (const l of ["fr", "en"] as const) await setOverride(site.id, l, "signup_opt2", "Events");
    await db.insert(subscriptions).values({ siteId: site.id, groupId: 2, email: "eve@example.com", name: "Eve", status: "confirmed", source: "screen" });
    const [template] = await db
      .insert(messageTemplates)
      .values({ siteId: site.id, name: "Events", channel: "email", subject: "Events", html: "<p>Events</p>", text: "", groupIds: [2], pastedRecipients: "" })
      .returning();
    const { messageId } = (await sendTemplate(site, template, { actorId: admin.id }))!;
    await db.update(queue).set({ status: "sent", sentAt: sql`now()` }).where(eq(queue.messageId, messageId!));
    const [eve] = await db.select({ id: queue.id }).from(queue).where(eq(queue.messageId, messageId!));
    expect(await rowPage(eve.id)).toMatchObject({ erased: false, wontGo: null });
    await unsubscribeAll(await unsubscribeToken(site.id, "eve@example.com"));
    expect(await rowPage(eve.id)).toEqual({ erased: false, recipient: "Eve <eve@example.com>", wontGo: en.queue.failure.reasons.unsubscribed });
  });
});
