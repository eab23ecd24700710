import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { outboundMessages, queue, type Site } from "@/db/schema";
import { env } from "@/lib/env";
import { runQueue } from "@/lib/queue/run";
import { closeSmsTransports } from "@/lib/sms/resolve";
import { sendTestSms } from "@/lib/sms/send-test";
import { shownSmsSender, shownSmsSenderOf, urlSmsSender } from "@/lib/sms/sender";
import { makeSite } from "../helpers/factories";
import { startSmsc, type SmscHarness } from "../helpers/smsc";

// The "From" the template preview and the queue row show must be the source the SMSC receives:
// the site's SMS sender, else its URL's ?source= (SMPP) or ?from= (Twilio), else SMS_URL's.
let smsc: SmscHarness;
beforeAll(async () => {
  smsc = await startSmsc();
});
afterAll(async () => {
  await closeSmsTransports();
  await smsc.close();
});

/** Queues a test SMS for the site, sends it through the real runner and its SMS resolver. */
async function sendThrough(site: Site, to: string) {
  const { messageId } = await sendTestSms(site, { to, text: `from site ${site.id}`, by: "test" }, "en");
  await runQueue({ kind: "send", siteId: site.id, runner: "test-sender" });
  const [row] = await db.select({ siteId: queue.siteId, status: queue.status, fromAddress: outboundMessages.fromAddress }).from(queue).innerJoin(outboundMessages, eq(outboundMessages.id, queue.messageId)).where(eq(queue.messageId, messageId));
  expect(row.status).toBe("sent");
  const submit = smsc.submits.find((s) => s.destination === to.replace(/^\+/, ""));
  expect(submit, `no submit to ${to}`).toBeDefined();
  return { source: submit!.source, shownForRow: await shownSmsSenderOf(row.siteId, row.fromAddress) };
}

describe("the SMS sender shown on screen", () => {
  it("is the site URL's ?source= when the site sets no sender, as the SMSC receives it", async () => {
    const site = await makeSite({ domain: "sender-url.example.org", smsUrl: smsc.url({ source: "NewOrg" }) });
    expect(shownSmsSender(site)).toBe("NewOrg");
    expect(await sendThrough(site, "+33612347001")).toEqual({ source: "NewOrg", shownForRow: "NewOrg" });
  });

  it("is SMS_URL's ?source= for a site without a URL of its own", async () => {
    const saved = env.SMS_URL;
    env.SMS_URL = smsc.url({ source: "MyOrg" });
    try {
      const site = await makeSite({ domain: "sender-env.example.org" });
      expect(shownSmsSender(site)).toBe("MyOrg");
      expect(await sendThrough(site, "+33612347002")).toEqual({ source: "MyOrg", shownForRow: "MyOrg" });
    } finally {
      env.SMS_URL = saved;
    }
  });

  it("is the site's own sender when it sets one, over the URL's", async () => {
    const site = await makeSite({ domain: "sender-own.example.org", smsUrl: smsc.url({ source: "NewOrg" }), smsSender: " Chora " });
    expect(shownSmsSender(site)).toBe("Chora");
    expect(await sendThrough(site, "+33612347003")).toEqual({ source: "Chora", shownForRow: "Chora" });
  });

  it("reads Twilio's ?from= (its + kept), and is empty for the outbox and unusable URLs", async () => {
    expect(urlSmsSender("twilio://AC123:token@api.twilio.com?from=+33612345678")).toBe("+33612345678");
    expect(urlSmsSender("twilio://AC123:token@api.twilio.com?from=%2B33612345678")).toBe("+33612345678");
    expect(urlSmsSender("twilio://AC123:token@api.twilio.com")).toBe("");
    expect(urlSmsSender("smpp://id:pw@smsc.example?source=%2B33700000000&tps=5")).toBe("+33700000000");
    expect(urlSmsSender("smpp://id:pw@smsc.example?tps=fast")).toBe("");
    expect(urlSmsSender(null)).toBe("");
    const outbox = await makeSite({ domain: "sender-outbox.example.org" });
    expect(shownSmsSender(outbox)).toBe("");
    expect(await shownSmsSenderOf(outbox.id, "")).toBe("");
    // A message queued with a sender keeps it, whatever the site says now.
    expect(await shownSmsSenderOf(outbox.id, "Earlier")).toBe("Earlier");
  });
});
