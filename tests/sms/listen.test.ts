import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import { db, rows } from "@/db/client";
import { queue } from "@/db/schema";
import { saveSiteAction } from "@/app/[locale]/manage/sites/actions";
import { env } from "@/lib/env";
import { enqueue } from "@/lib/queue/enqueue";
import { closeSmsTransports, listenForSmsReplies, smsForSite } from "@/lib/sms/resolve";
import { startSmsc, type SmscHarness } from "../helpers/smsc";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { run } from "../helpers/actions";

// What the server does at start and when a site is saved: bind every SMPP account a site sends
// through, so receipts and STOP replies are heard while nothing is being sent.
let first: SmscHarness, second: SmscHarness;
beforeAll(async () => {
  [first, second] = await Promise.all([startSmsc(), startSmsc()]);
});
afterAll(async () => {
  await closeSmsTransports();
  await Promise.all([first.close(), second.close()]);
});

/** A row recorded sent with `providerId` by some earlier process. */
async function sentRow(siteId: number, phone: string, providerId: string) {
  const { messageId } = await enqueue({
    siteId,
    channel: "sms",
    message: { kind: "sms", subject: "", text: "Meeting at 6", fromName: "", fromAddress: "Org" },
    recipients: [{ address: phone }],
  });
  await db.update(queue).set({ status: "sent", sentAt: new Date(), providerMessageId: providerId }).where(eq(queue.messageId, messageId));
  return messageId;
}
const statusOf = async (messageId: number) => (await db.select({ status: queue.status }).from(queue).where(eq(queue.messageId, messageId)))[0].status;

describe("listening for receipts and replies", () => {
  it("binds the SMPP URLs sites send through, without sending; held receipts and STOP replies are recorded", async () => {
    const a = await makeSite({ domain: "listen-a.example.org", smsUrl: first.url({ source: "A" }) });
    const b = await makeSite({ domain: "listen-b.example.org", smsUrl: first.url({ source: "B" }) }); // same login
    await makeSite({ domain: "listen-outbox.example.org" }); // no SMS URL: nothing to bind
    const message = await sentRow(a.id, "+33612340001", "held-7");
    const held = first.sendReceipt("held-7", "DELIVRD"); // the SMSC keeps it until someone binds

    expect(await listenForSmsReplies()).toBe(2);
    await held;
    await vi.waitFor(async () => expect(await statusOf(message)).toBe("delivered"));
    expect(first.submits).toEqual([]);

    await first.sendInbound("+33612340002", "STOP");
    const optedOut = async () => rows<{ site_id: number }>(await db.execute(sql`select site_id from sms_opt_outs where phone = '+33612340002' order by site_id`)).map((r) => r.site_id);
    await vi.waitFor(async () => expect(await optedOut()).toEqual([a.id, b.id]));
    // One session for the login, however many sites and sources use it (SMSCs allow few binds)…
    expect(first.binds).toBe(1);
    expect(await listenForSmsReplies()).toBe(2);
    expect(first.binds).toBe(1);
    // …and each site's SMS still leave from its own ?source when it gives no sender.
    for (const [site, source] of [[a, "A"], [b, "B"]] as const) {
      await (await smsForSite(site.id)).send({ to: "+33612340003", from: "", text: `from ${source}`, siteId: site.id, queueId: 1 });
    }
    expect(first.submits.map((x) => [x.source, x.text])).toEqual([["A", "from A"], ["B", "from B"]]);
    expect(first.binds).toBe(1);
  });

  it("SMS_LISTEN=0 binds nothing (an account whose single bind another process holds)", async () => {
    const third = await startSmsc();
    const site = await makeSite({ domain: "listen-off.example.org", smsUrl: third.url() });
    env.SMS_LISTEN = false;
    try {
      expect(await listenForSmsReplies([site.id])).toBe(0);
      await new Promise((r) => setTimeout(r, 200));
      expect(third.binds).toBe(0);
    } finally {
      env.SMS_LISTEN = true;
      await third.close();
    }
  });

  it("a site moved to another SMSC binds there; the old session closes once no site uses it", async () => {
    // Sites a and b (above) stay on the first SMSC: moving one site away must not end their session.
    const moving = await makeSite({ domain: "listen-move.example.org", smsUrl: first.url({ source: "M" }) });
    const admin = await makeUser(moving.id, "superuser");
    await listenForSmsReplies([moving.id]);
    expect(first.binds).toBe(1); // the login's session was already there

    actAs(admin.id, moving.domain);
    const base = { id: String(moving.id), domain: moving.domain, name: "Moving", defaultLocale: "fr", back: "/en/manage/sites" };
    expect(await run(saveSiteAction, { ...base, smsUrl: second.url({ source: "M" }) })).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(second.binds).toBe(1));
    expect(first.unbinds).toBe(0); // still used by a and b

    // Moved once more: second has no other site, its session ends; then no SMS URL at all.
    const third = await startSmsc();
    try {
      expect(await run(saveSiteAction, { ...base, smsUrl: third.url() })).toMatchObject({ ok: true });
      await vi.waitFor(() => expect(third.binds).toBe(1));
      await vi.waitFor(() => expect(second.unbinds).toBe(1));
      expect(await run(saveSiteAction, { ...base, smsUrl: "" })).toMatchObject({ ok: true });
      await vi.waitFor(() => expect(third.unbinds).toBe(1));
      expect(third.binds).toBe(1);
    } finally {
      await third.close();
    }
  });

});
