import { beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { messageTemplates, outboundMessages, queue, subscriptions, type Site, type User } from "@/db/schema";
import { composeSms, fillPlaceholders } from "@/lib/mail/compose";
import { smsAudienceCost } from "@/lib/newsletters/audience";
import { sendTemplate } from "@/lib/newsletters/send";
import { sendSegments } from "@/lib/newsletters/send-segments";
import { smsSegments } from "@/lib/sms/segments";
import { makeSite, makeUser } from "../helpers/factories";

// The send dialog (smsAudienceCost) and the send report (sendSegments) price an SMS send once
// per class of names and numbers (lib/sms/segment-class.ts), not once per person. Their totals
// must stay exactly what pricing every person's own text gives, including the names where more
// than the length matters: blank ones (a fallback replaces them), GSM extension characters and
// characters outside the BMP (never split across parts: where they fall moves a boundary), and
// names that make the whole text UCS-2.

let site: Site;
let admin: User;
const GROUP = 1;

/** Names around every part boundary the texts below put them on. */
function names(): string[] {
  const out = ["", " ", "\u00a0", "\n", " \t ", "Al", "Zoé", "Łukasz", "Анна", "李", "Ἀθηνᾶ"];
  for (let len = 1; len <= 12; len++) {
    out.push("x".repeat(len), "é".repeat(len), "ж".repeat(len));
    for (let at = 0; at < len; at++) {
      const mark = (ch: string) => "x".repeat(at) + ch + "x".repeat(len - at - 1);
      out.push(mark("€"), mark("["), mark("😀"), mark("ж"));
    }
  }
  return [...new Set(out)];
}

beforeAll(async () => {
  site = await makeSite();
  admin = await makeUser(site.id, "admin");
  const people = names().map((name, i) => ({
    siteId: site.id,
    groupId: GROUP,
    email: `p${i}@example.org`,
    // Numbers of two lengths (France, UK).
    phone: i % 2 ? `+336${String(10000000 + i).slice(-8)}` : `+447${String(100000000 + i).slice(-9)}`,
    name,
    status: "confirmed" as const,
    source: "screen" as const,
  }));
  await db.insert(subscriptions).values(people);
});

/** Every person's own text priced, as the queue will send it. */
async function oneByOne(text: string) {
  const people = await db.select({ phone: subscriptions.phone, name: subscriptions.name }).from(subscriptions).where(eq(subscriptions.siteId, site.id));
  return {
    count: people.length,
    segments: people.reduce((n, p) => n + smsSegments(fillPlaceholders(text, { phone: p.phone!, name: p.name })).segments, 0),
  };
}

/** Texts that put the name on each side of the 153/160-septet and 67/70-unit boundaries. */
function texts(): string[] {
  const out: string[] = [];
  for (let before = 140; before <= 162; before++) {
    out.push(`${"a".repeat(before)}{{name|friend}}${"b".repeat(146)} {{phone}}`);
    out.push(`${"a".repeat(before)}{{name}}${"b".repeat(150)}`);
    out.push(`${"a".repeat(before - 80)}{{name|friend}} {{phone}}`);
  }
  for (let before = 55; before <= 72; before++) out.push(`${"ж".repeat(before)}{{name|мой друг}}${"ж".repeat(60)}`);
  return out;
}

describe("SMS cost priced by classes", () => {
  it("the send dialog's total equals every person's text priced one by one", async () => {
    for (const text of texts()) expect(await smsAudienceCost({ siteId: site.id, groupIds: [GROUP], pasted: "", channel: "sms" }, text), text).toEqual(await oneByOne(text));
  });

  it("the send report's total equals every queued row's text priced one by one", async () => {
    const some = texts().filter((_, i) => i % 7 === 0);
    for (const text of some) {
      const [template] = await db.insert(messageTemplates).values({ siteId: site.id, name: "T", channel: "sms", text, textEdited: true, groupIds: [GROUP] }).returning();
      const send = (await sendTemplate(site, template, { actorId: admin.id }))!;
      const [message] = await db.select().from(outboundMessages).where(eq(outboundMessages.id, send.messageId!));
      const queued = await db.select().from(queue).where(eq(queue.messageId, send.messageId!));
      const expected = queued.reduce((n, row) => n + smsSegments(composeSms(message, row).text).segments, 0);
      expect(await sendSegments(send.messageId!), text).toBe(expected);
      // An SMS send from before the sending hours existed is not marked as keeping them: still priced.
      await db.update(outboundMessages).set({ keepsSmsHours: false }).where(eq(outboundMessages.id, send.messageId!));
      expect(await sendSegments(send.messageId!), text).toBe(expected);
    }
  });

  it("rows whose variables name someone else than recipient_name are priced by the variables' name", async () => {
    const [message] = await db.insert(outboundMessages).values({ siteId: site.id, kind: "newsletter", text: `${"a".repeat(150)}{{name}}`, keepsSmsHours: true }).returning();
    await db.insert(queue).values([
      { siteId: site.id, messageId: message.id, channel: "sms", recipient: "+33600000001", recipientName: "", variables: { name: "x".repeat(12), phone: "+33600000001" } },
      { siteId: site.id, messageId: message.id, channel: "sms", recipient: "+33600000002", recipientName: "x".repeat(12), variables: { name: "", phone: "+33600000002" } },
      { siteId: site.id, messageId: message.id, channel: "sms", recipient: "+33600000003", recipientName: "x".repeat(12), variables: {} },
    ]);
    // 162 septets: two segments; 150: one.
    expect(await sendSegments(message.id)).toBe(2 + 1 + 2);
    const count = rows<{ n: number }>(await db.execute(sql`select count(*)::int as n from queue where message_id = ${message.id}`))[0].n;
    expect(Number(count)).toBe(3);
  });
});
