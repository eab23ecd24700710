import { beforeAll, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { queue, smsReplies, type Site, type User } from "@/db/schema";
import SmsRepliesPage from "@/app/[locale]/manage/sms-replies/page";
import { QueueFollower } from "@/components/queue/queue-follower";
import { RepliesFollower } from "@/components/sms/replies-follower";
import { answerReply } from "@/lib/sms/replies";
import { RECEIPT_LOOKBACK_DAYS } from "@/lib/queue/receipts";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { findAll } from "../helpers/server-page";

// The SMS replies screen follows an answer's badge (RepliesFollower: its queue row's status, asked
// with the new replies in one request) while the answer may still change by itself. An answer
// sent longer ago than a receipt looks back (RECEIPT_LOOKBACK_DAYS) gets no receipt any more
// (an SMSC that sends none, the outbox): the screen, left open all day, followed it for ever.
vi.mock("next-intl/server", async () => (await import("../helpers/server-page")).englishIntlServer());

let site: Site;
let admin: User;

beforeAll(async () => {
  site = await makeSite({ domain: "replies-follower.example.org", defaultCountry: "FR" });
  admin = await makeUser(site.id, "admin");
});

/** A reply answered, its answer's row `sent` `daysAgo` days ago. */
async function answeredDaysAgo(daysAgo: number) {
  const [reply] = await db.insert(smsReplies).values({ siteId: site.id, phone: "+33612347201", text: "Is it on?" }).returning();
  await answerReply(site, reply.id, "Yes", `user:${admin.id}`);
  const [{ messageId }] = await db.select({ messageId: smsReplies.answerMessageId }).from(smsReplies).where(eq(smsReplies.id, reply.id));
  const at = sql`now() - make_interval(days => ${daysAgo})`;
  await db.update(queue).set({ status: "sent", sentAt: at, updatedAt: at }).where(eq(queue.messageId, messageId!));
}

/** The answers the screen follows (one poller for them and the new replies: no QueueFollower beside it). */
async function followed() {
  actAs(admin.id, site.domain);
  const page = await SmsRepliesPage({ params: Promise.resolve({ locale: "en" }), searchParams: Promise.resolve({}) });
  expect(findAll(page, QueueFollower)).toEqual([]);
  const [follower] = findAll<{ answers: { id: number; status: string }[] }>(page, RepliesFollower);
  return follower.props.answers.map((a) => a.status);
}

describe("the SMS replies screen follows its answers", () => {
  it("an answer sent longer ago than a receipt looks back: not followed; one sent now: followed", async () => {
    await answeredDaysAgo(RECEIPT_LOOKBACK_DAYS + 1);
    expect(await followed()).toEqual([]);
    await answeredDaysAgo(0);
    expect(await followed()).toEqual(["sent"]);
  });
});
