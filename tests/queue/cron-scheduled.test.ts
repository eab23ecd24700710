import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { startQueueRunAction } from "@/app/[locale]/manage/queue/actions";
import { db } from "@/db/client";
import { messageTemplates, newsletterSends, subscriptions, type Site, type User } from "@/db/schema";
import { sendTemplate } from "@/lib/newsletters/send";
import { makeSite, makeUser } from "../helpers/factories";
import { actAs } from "../helpers/request";
import { until } from "../helpers/wait";
import { queue } from "@/db/schema";
import { startSmtpServer, type SmtpHarness } from "../helpers/smtp";
import { runTsx, testDatabaseUrl } from "../queue/spawn";

/**
 * README, "Who sends": with cron, "set QUEUE_SCHEDULER=off on the server so only cron sends",
 * and run `npm run queue -- send [domain]` / `retry [domain]` every few minutes. A newsletter
 * "sent later" is only a `scheduled` send until queueDueSends() gives it its recipients; only the
 * embedded scheduler's minute job (instrumentation.ts, which QUEUE_SCHEDULER=off switches off) and
 * the Inngest cron call it. Neither command does (scripts/queue.ts runs runQueue only): on an
 * installation run by cron, a scheduled newsletter stays "scheduled" for ever.
 */
let smtp: SmtpHarness;
let site: Site;
let admin: User;
beforeAll(async () => {
  smtp = await startSmtpServer();
  site = await makeSite({ domain: "cron.example.org" });
  admin = await makeUser(site.id, "admin");
  await db.insert(subscriptions).values({ siteId: site.id, groupId: 1, email: "ann@example.org", status: "confirmed", source: "screen" });
});
afterAll(() => smtp.close());

/** A send scheduled for later whose time has now come. */
async function dueScheduledSend() {
  const [template] = await db.insert(messageTemplates).values({ siteId: site.id, name: "Later", subject: "Later", html: "<p>Hi</p>", groupIds: [1] }).returning();
  const send = await sendTemplate(site, template, { actorId: admin.id, scheduledAt: new Date(Date.now() + 3_600_000) });
  expect(send?.status).toBe("scheduled");
  await db.update(newsletterSends).set({ scheduledAt: new Date(Date.now() - 60_000) }).where(eq(newsletterSends.id, send!.id));
  return send!.id;
}
const statusOf = async (id: number) => (await db.select().from(newsletterSends).where(eq(newsletterSends.id, id)))[0].status;

describe("a scheduled newsletter on an installation sent by cron (QUEUE_SCHEDULER=off)", () => {
  // The command runs in a process of its own and shares the test's database, which only a
  // PostgreSQL server allows: registered only when DATABASE_URL is set (a plain `if`, not a skip,
  // as tests/queue/command.test.ts). .ci/run sets it, so CI always runs it.
  if (process.env.DATABASE_URL) {
    it("goes out when its time has come and the cron commands run", { timeout: 120_000 }, async () => {
      const id = await dueScheduledSend();
      const env = { DATABASE_URL: await testDatabaseUrl(), SMTP_URL: smtp.url, QUEUE_SCHEDULER: "off" };
      for (const kind of ["send", "retry", "send"]) {
        const result = await runTsx(["scripts/queue.ts", kind, site.domain], env);
        expect(result.code).toBe(0);
      }
      expect(await statusOf(id)).toBe("queued");
      expect(smtp.received.map((m) => m.rcptTo[0])).toEqual(["ann@example.org"]);
    });
  }
});

describe("the queue screen's \"Send pending messages\"", () => {
  it("queues the scheduled newsletters whose time has come, then sends them", async () => {
    const id = await dueScheduledSend();
    actAs(admin.id, site.domain);
    const answer = await startQueueRunAction({ kind: "send", filter: "" });
    // Counted as pending in the answer: the button did not say "nothing to send".
    expect(answer).toMatchObject({ ok: true, data: { kind: "send", pending: 1 } });
    expect(await statusOf(id)).toBe("queued");
    const send = (await db.select().from(newsletterSends).where(eq(newsletterSends.id, id)))[0];
    await until("the newsletter sent", async () => (await db.select().from(queue).where(eq(queue.messageId, send.messageId!)))[0]?.status === "sent");
  });
});
