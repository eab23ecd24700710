import { beforeAll, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { queue, type Site, type User } from "@/db/schema";
import QueueRowPage from "@/app/[locale]/manage/queue/[id]/page";
import { QueueFollower } from "@/components/queue/queue-follower";
import { enqueue } from "@/lib/queue/enqueue";
import { RECEIPT_LOOKBACK_DAYS } from "@/lib/queue/receipts";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { findAll } from "../helpers/server-page";

// A row's page follows the row (QueueFollower: it polls the site's counts every 1.5 s and renders
// the page again when they move) only while the row may still change by itself. An SMS sent or
// delivered longer ago than a receipt looks back (RECEIPT_LOOKBACK_DAYS) takes no receipt any
// more: its page, left open, polled for ever, and rendered itself again with every other send.
vi.mock("next-intl/server", async () => (await import("../helpers/server-page")).englishIntlServer());

let site: Site;
let admin: User;

beforeAll(async () => {
  site = await makeSite({ domain: "row-follower.example.org", defaultCountry: "FR" });
  admin = await makeUser(site.id, "admin");
});

let n = 0;
/** A row of `channel`, set to `status` `daysAgo` days ago. */
async function rowSent(channel: "sms" | "email", status: "sent" | "delivered", daysAgo: number) {
  n++;
  const address = channel === "sms" ? `+3361234${String(7100 + n)}` : `follow${n}@example.org`;
  const { messageId } = await enqueue({ siteId: site.id, channel, message: { kind: "test", subject: "Hi", text: "Hi", html: null, fromName: "", fromAddress: "" }, recipients: [{ address }] });
  const at = sql`now() - make_interval(days => ${daysAgo})`;
  const [row] = await db.update(queue).set({ status, sentAt: at, updatedAt: at }).where(eq(queue.messageId, messageId)).returning({ id: queue.id });
  return row.id;
}

async function followed(id: number) {
  actAs(admin.id, site.domain);
  const page = await QueueRowPage({ params: Promise.resolve({ locale: "en", id: String(id) }) });
  return findAll(page, QueueFollower).length > 0;
}

describe("a queue row's page follows the row", () => {
  it("an SMS sent or delivered within the receipt window: followed (a receipt, or a later part's failure, may come)", async () => {
    expect(await followed(await rowSent("sms", "sent", 0))).toBe(true);
    expect(await followed(await rowSent("sms", "delivered", 1))).toBe(true);
  });

  it("an SMS sent or delivered longer ago than a receipt looks back, or a sent email: not followed", async () => {
    expect(await followed(await rowSent("sms", "sent", RECEIPT_LOOKBACK_DAYS + 1))).toBe(false);
    expect(await followed(await rowSent("sms", "delivered", RECEIPT_LOOKBACK_DAYS + 1))).toBe(false);
    expect(await followed(await rowSent("email", "sent", 0))).toBe(false);
  });
});
