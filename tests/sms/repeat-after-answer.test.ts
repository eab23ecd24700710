import { afterAll, beforeAll, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { smsReplies, type Site } from "@/db/schema";
import { answerReply } from "@/lib/sms/replies";
import { closeSmsTransports, listenForSmsReplies } from "@/lib/sms/resolve";
import { startSmsc, type SmscHarness } from "../helpers/smsc";
import { makeSite } from "../helpers/factories";

// A single-part SMS with the same text as the conversation's latest one, within minutes, is taken
// for a redelivery (lib/sms/keep-reply.ts). Once an administrator has answered that SMS, the same
// text again answers a new question ("Oui" → "Can you come Saturday?" → "Oui"): it is kept.
let smsc: SmscHarness;
let site: Site;
const stored = (phone: string) =>
  db.select({ id: smsReplies.id, text: smsReplies.text }).from(smsReplies).where(and(eq(smsReplies.siteId, site.id), eq(smsReplies.phone, phone))).orderBy(asc(smsReplies.id));

beforeAll(async () => {
  smsc = await startSmsc();
  site = await makeSite({ domain: "repeat-answer.example.org", smsUrl: smsc.url({ source: "Org" }), defaultCountry: "FR" });
  await listenForSmsReplies([site.id]);
});
afterAll(async () => {
  await closeSmsTransports();
  await smsc.close();
});

it("keeps a reply that repeats the previous text after an administrator answered it", async () => {
  const phone = "+33612349777";
  expect(await smsc.sendInbound(phone, "Oui", { to: "Org" })).toBe(0);
  const [first] = await stored(phone);
  expect(first.text).toBe("Oui");
  // The admin asks something else; the person answers "Oui" again two minutes later.
  await answerReply(site, Number(first.id), "Merci ! Pouvez-vous venir aussi samedi ?", "user:1");
  expect(await smsc.sendInbound(phone, "Oui", { to: "Org" })).toBe(0);
  expect((await stored(phone)).map((r) => r.text)).toEqual(["Oui", "Oui"]);
});
