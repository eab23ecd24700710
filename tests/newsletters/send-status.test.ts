import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { db } from "@/db/client";
import { messageTemplates, newsletterSends, outboundMessages, queue, type QueueStatus, type Site } from "@/db/schema";
import { sendReport } from "@/lib/newsletters/send";
import { completedSends } from "@/lib/newsletters/send-status";
import { listSends } from "@/lib/newsletters/templates";
import { listTemplates } from "@/lib/newsletters/template-list";
import { makeSite } from "../helpers/factories";

// The templates list ("Last send") and a template's Sends table say "Completed" for a send whose
// rows all have their outcome, as its live report does; a send with rows still to go stays "Queued".
let site: Site, other: Site;
let templateId: number;
const sendIds: Record<string, number> = {};

type Row = { status: QueueStatus; retryable?: boolean };
const message = async (siteId: number) =>
  (await db.insert(outboundMessages).values({ siteId, kind: "newsletter", subject: "Spring" }).returning({ id: outboundMessages.id }))[0].id;
const rowsFor = (siteId: number, messageId: number, rows: Row[], tag: string) =>
  db.insert(queue).values(rows.map((r, i) => ({ siteId, messageId, recipient: `${tag}-${i}@example.org`, status: r.status, retryable: r.retryable ?? false })));
async function send(name: string, messageId: number | null, status: "queued" | "scheduled" | "cancelled" = "queued") {
  const [s] = await db.insert(newsletterSends).values({ siteId: site.id, templateId, messageId, status, subject: name, recipientCount: 2 }).returning({ id: newsletterSends.id });
  sendIds[name] = s.id;
}

beforeAll(async () => {
  site = await makeSite({ domain: "send-status.example.org" });
  other = await makeSite({ domain: "send-status-other.example.org" });
  [{ id: templateId }] = await db.insert(messageTemplates).values({ siteId: site.id, name: "Spring letter", subject: "Spring" }).returning({ id: messageTemplates.id });

  const final: Row[] = [{ status: "sent" }, { status: "delivered" }, { status: "error" }];
  for (const [name, rows] of [
    ["finished", final],
    ["pending", [...final, { status: "pending" }]],
    ["sending", [{ status: "sending" }, ...final]],
    ["retrying", [...final, { status: "error", retryable: true }]],
  ] as const) {
    const id = await message(site.id);
    await rowsFor(site.id, id, [...rows], name);
    await send(name, id);
  }
  // Rows of other messages queued in between (same site and another site) while one finished:
  // their pending rows sit inside its id range and must not hold it back.
  const [interleaved, neighbour, elsewhere] = [await message(site.id), await message(site.id), await message(other.id)];
  await rowsFor(site.id, interleaved, [{ status: "sent" }], "i1");
  await rowsFor(site.id, neighbour, [{ status: "pending" }], "n1");
  await rowsFor(other.id, elsewhere, [{ status: "pending" }], "e1");
  await rowsFor(site.id, interleaved, [{ status: "error" }], "i2");
  await send("interleaved", interleaved);
  await send("neighbour", neighbour);
  await send("empty", await message(site.id)); // queued, no rows (nobody to send to)
  await send("scheduled", await message(site.id), "scheduled");
  await send("cancelled", null, "cancelled");
});

describe("a send's status in the lists", () => {
  it("is completed once every row is sent, delivered or failed for good, and not before", async () => {
    const sends = await listSends(site.id, templateId);
    const byName = Object.fromEntries(sends.map((s) => [s.subject, s.completed]));
    expect(byName).toEqual({
      finished: true,
      interleaved: true,
      pending: false,
      sending: false,
      retrying: false,
      neighbour: false,
      empty: false,
      scheduled: false,
      cancelled: false,
    });
    // The same verdict as the live report's "Completed", computed there from every row's status.
    for (const s of sends) {
      const report = (await sendReport(site.id, s.id))!;
      const c = report.counts;
      const total = Object.values(c).reduce((n, x) => n + x, 0);
      const reportSays = report.send.status === "queued" && total > 0 && c.pending + c.sending === 0 && report.retrying === 0;
      expect(s.completed, s.subject).toBe(reportSays);
    }
  });

  it("follows the rows: a row set back to pending reopens the send, its outcome closes it again", async () => {
    const [finished] = await db.select().from(newsletterSends).where(sql`id = ${sendIds.finished}`);
    const [row] = await db.select().from(queue).where(sql`message_id = ${finished.messageId} and status = 'error'`);
    await db.update(queue).set({ status: "pending" }).where(sql`id = ${row.id}`);
    expect((await completedSends([finished])).has(finished.id)).toBe(false);
    await db.update(queue).set({ status: "sent" }).where(sql`id = ${row.id}`);
    expect((await completedSends([finished])).has(finished.id)).toBe(true);
  });

  it("shows in the templates list's last send", async () => {
    const { rows: templates } = await listTemplates(site.id);
    // The newest send of the template is the cancelled one: never "completed".
    expect(templates.find((t) => t.id === templateId)?.lastSend).toMatchObject({ id: sendIds.cancelled, status: "cancelled", completed: false });
    const [{ id: lone }] = await db.insert(messageTemplates).values({ siteId: site.id, name: "Lone", subject: "Lone" }).returning({ id: messageTemplates.id });
    const id = await message(site.id);
    await rowsFor(site.id, id, [{ status: "delivered" }, { status: "error" }], "lone");
    const [s] = await db.insert(newsletterSends).values({ siteId: site.id, templateId: lone, messageId: id, status: "queued", subject: "Lone", recipientCount: 2 }).returning({ id: newsletterSends.id });
    expect((await listTemplates(site.id)).rows.find((t) => t.id === lone)?.lastSend).toMatchObject({ id: s.id, status: "queued", completed: true });
  });
});
