import { beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray } from "drizzle-orm";
import { db } from "@/db/client";
import { messageTemplates, queue, smsOptOuts, smsReplies, subscriptions, users, type Site } from "@/db/schema";
import { keysetPage, pageNumber, pagePosition, type KeysetOptions } from "@/lib/paging";
import { failedRecipients } from "@/lib/newsletters/templates";
import { listTemplates, parseTemplateFilters, templateQuery } from "@/lib/newsletters/template-list";
import { listSubscriptions } from "@/lib/newsletters/subscriptions/list";
import { parseSubscriptionFilters, subscriptionQuery, subscriptionsWhere } from "@/lib/newsletters/subscriptions/filters";
import { enqueue } from "@/lib/queue/enqueue";
import { listQueue, queueWhere, type PageOrder } from "@/lib/queue/list";
import { listOptOuts, optOutsWhere } from "@/lib/sms/opt-out-list";
import { listReplies, repliesWhere } from "@/lib/sms/replies";
import { listUsers, type UserRow } from "@/lib/users/list";
import { makeSite, makeUser } from "./helpers/factories";

type Page<R, C> = { rows: R[]; next: C | null; prev: C | null };
type Lister<R, C> = (options: KeysetOptions<C> & { limit: number }) => Promise<Page<R, C>>;

/**
 * Every page forward from the first, then back from the last with `before`: each page read
 * going back must be the very page read going forward, rows in the same order, with the same
 * links. Gives the forward pages.
 */
async function roundTrip<R, C>(list: Lister<R, C>, limit: number): Promise<Page<R, C>[]> {
  const forward: Page<R, C>[] = [await list({ limit })];
  expect(forward[0].prev).toBeNull();
  while (forward.at(-1)!.next !== null) {
    expect(forward.length).toBeLessThan(100);
    forward.push(await list({ after: forward.at(-1)!.next!, limit }));
  }
  for (let i = forward.length - 1; i > 0; i--) {
    const back = await list({ before: forward[i].prev!, limit });
    expect(back.rows).toEqual(forward[i - 1].rows);
    expect(back.prev === null).toBe(i - 1 === 0);
    // Coming back there is always a next page: the one we came from.
    expect(back.next).toEqual(forward[i - 1].next);
  }
  return forward;
}

describe("keyset pages both ways (lib/paging.ts), without a database", () => {
  const all = [9, 8, 7, 6, 5, 4, 3, 2, 1]; // a newest-first list of ids
  const read = async ({ cursor, back, take }: { cursor?: number; back: boolean; take: number }) => {
    const side = cursor === undefined ? all : all.filter((id) => (back ? id > cursor : id < cursor));
    return (back ? [...side].reverse() : side).slice(0, take);
  };
  const list = (o: KeysetOptions<number>) => keysetPage({ limit: 4, ...o }, read, (id: number) => id);

  it("pages forward and back alike", async () => {
    const pages = await roundTrip(list, 4);
    expect(pages.map((p) => p.rows)).toEqual([[9, 8, 7, 6], [5, 4, 3, 2], [1]]);
    expect(pages.at(-1)!.next).toBeNull();
  });

  it("going back past the start reads the full first page; past the end, the way back is the cursor", async () => {
    expect(await list({ before: 7 })).toEqual({ rows: [9, 8, 7, 6], next: 6, prev: null });
    expect(await list({ before: 99 })).toEqual({ rows: [9, 8, 7, 6], next: 6, prev: null });
    expect(await list({ after: 1 })).toEqual({ rows: [], next: null, prev: 1 });
  });

  it("a cursor before the first row (typed, or its rows deleted since) reads the first page, with no way back", async () => {
    expect(await list({ after: 99 })).toEqual({ rows: [9, 8, 7, 6], next: 6, prev: null });
    expect(await list({ after: 10 })).toEqual({ rows: [9, 8, 7, 6], next: 6, prev: null });
    // So the pager labels it page 1, whatever page number the URL carried.
    expect(pagePosition(await list({ after: 99 }), 7)).toBe(1);
    expect(await list({ after: 9 })).toEqual({ rows: [8, 7, 6, 5], next: 5, prev: 8 });
  });

  it("a URL with both cursors is read forward", async () => {
    expect((await list({ after: 6, before: 2 })).rows).toEqual([5, 4, 3, 2]);
  });

  it("the page number is a label: the first page is page 1 whatever the URL says, a bad number is none", () => {
    expect(pageNumber({ page: "3" })).toBe(3);
    for (const bad of ["0", "-2", "x", "1e3", "99999999999", ""]) expect(pageNumber({ page: bad }), bad).toBeUndefined();
    expect(pageNumber(new URLSearchParams("page=4&page=5"))).toBe(4);
    expect(pagePosition({ prev: null }, 7)).toBe(1);
    expect(pagePosition({ prev: 12 }, 7)).toBe(7);
    expect(pagePosition({ prev: 12 }, 1)).toBeNull();
    expect(pagePosition({ prev: 12 }, undefined)).toBeNull();
  });
});

let site: Site, other: Site;
beforeAll(async () => {
  [site, other] = [await makeSite(), await makeSite()];
});

describe("users list", () => {
  it("pages back to the same rows, keeps the filters, and survives a deleted cursor", async () => {
    for (let i = 0; i < 7; i++) await makeUser(site.id, "member", { email: `pager-${i}@example.org` });
    await makeUser(site.id, "admin", { email: "pager-admin@example.org" });
    const list: Lister<UserRow, number> = (o) => listUsers({ siteId: site.id, role: "member", ...o }).then(({ users: rows, ...p }) => ({ rows, ...p }));
    const pages = await roundTrip(list, 3);
    expect(pages.flatMap((p) => p.rows).map((u) => u.email)).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `pager-${i}@example.org`));
    expect(pages.flatMap((p) => p.rows).every((u) => u.role === "member")).toBe(true);
    // The first row of page 2 is deleted: going back from it still reads page 1.
    await db.delete(users).where(eq(users.id, pages[1].prev!));
    expect((await list({ before: pages[1].prev!, limit: 3 })).rows).toEqual(pages[0].rows);
  });
});

describe("subscriptions of a group", () => {
  it("pages back to the same rows, filtered by status, and reads the cursors from the URL", async () => {
    await db.insert(subscriptions).values(
      Array.from({ length: 8 }, (_, i) => ({ siteId: site.id, groupId: 1, email: `s${i}@example.org`, source: "screen" as const, status: i === 0 ? ("unsubscribed" as const) : ("confirmed" as const) })),
    );
    const where = subscriptionsWhere(site.id, 1, { status: "confirmed" });
    const pages = await roundTrip((o: KeysetOptions<number>) => listSubscriptions(where, o), 3);
    expect(pages.flatMap((p) => p.rows).map((r) => r.email)).toEqual([7, 6, 5, 4, 3, 2, 1].map((i) => `s${i}@example.org`));
    expect(parseSubscriptionFilters({ status: "confirmed", before: "12", page: "2" })).toEqual({ filters: { status: "confirmed", before: 12 }, invalid: [] });
    expect(parseSubscriptionFilters({ before: "x" }).invalid).toEqual(["before"]);
    expect(subscriptionQuery({ status: "confirmed", before: 12 }, { before: 9, page: 2 })).toBe("status=confirmed&before=9&page=2");
  });
});

describe("message templates", () => {
  it("pages back to the same rows, filtered by channel and by words of the name or subject, each site its own", async () => {
    await db.insert(messageTemplates).values([
      ...Array.from({ length: 7 }, (_, i) => ({ siteId: site.id, name: `Letter ${i}`, subject: i === 2 ? "100% Spring_news" : `Issue ${i}` })),
      { siteId: site.id, name: "Reminder", channel: "sms" as const, text: "See you" },
      { siteId: other.id, name: "Letter of the other site", subject: "Spring" },
    ]);
    const names = (p: { rows: { name: string }[] }[]) => p.flatMap((x) => x.rows).map((r) => r.name);
    const pages = await roundTrip((o: KeysetOptions<number>) => listTemplates(site.id, { channel: "email", ...o }, o.limit), 3);
    expect(names(pages)).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `Letter ${i}`));
    expect((await listTemplates(site.id, { channel: "sms" })).rows.map((r) => r.name)).toEqual(["Reminder"]);
    // Words of the subject, any case; LIKE's own characters are searched as typed.
    expect((await listTemplates(site.id, { q: "spring" })).rows.map((r) => r.name)).toEqual(["Letter 2"]);
    expect((await listTemplates(site.id, { q: "100%" })).rows.map((r) => r.name)).toEqual(["Letter 2"]);
    expect((await listTemplates(site.id, { q: "g_n" })).rows.map((r) => r.name)).toEqual(["Letter 2"]);
    expect((await listTemplates(site.id, { q: "%" })).rows.map((r) => r.name)).toEqual(["Letter 2"]);
    expect(parseTemplateFilters({ q: " spring ", channel: "fax", after: "12", page: "2" })).toEqual({ filters: { q: "spring", after: 12 }, invalid: ["channel"] });
    expect(parseTemplateFilters({ q: "a\u0000b", before: "-1" }).invalid).toEqual(["q", "before"]);
    expect(templateQuery({ q: "spring", channel: "sms", after: 12 }, { before: 9, page: 2 })).toBe("q=spring&channel=sms&before=9&page=2");
  });
});

describe("SMS replies", () => {
  it("pages back to the same rows, filtered by kind, and past a deleted cursor", async () => {
    const rows = await db
      .insert(smsReplies)
      .values(Array.from({ length: 7 }, (_, i) => ({ siteId: site.id, phone: `+3361234567${i}`, text: `reply ${i}`, action: i === 3 ? ("opt_out" as const) : null })))
      .returning({ id: smsReplies.id });
    const where = repliesWhere(site.id, { kind: "message" });
    const list: Lister<Awaited<ReturnType<typeof listReplies>>["rows"][number], number> = (o) => listReplies(where, { ...o, siteId: site.id });
    const pages = await roundTrip(list, 2);
    expect(pages.flatMap((p) => p.rows).map((r) => r.text)).toEqual(["reply 6", "reply 5", "reply 4", "reply 2", "reply 1", "reply 0"]);
    await db.delete(smsReplies).where(eq(smsReplies.id, pages[2].prev!));
    expect((await list({ before: pages[2].prev!, limit: 2 })).rows).toEqual(pages[1].rows);
    expect(rows).toHaveLength(7);
  });
});

describe("SMS opt-outs", () => {
  it("pages back to the same rows on (received_at, phone), ties included, filtered by source", async () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 5, 10, minute, 0, 123));
    await db.insert(smsOptOuts).values([
      ...Array.from({ length: 6 }, (_, i) => ({ siteId: site.id, phone: `+3361111111${i}`, keyword: "STOP", source: "reply" as const, receivedAt: at(i % 3) })),
      { siteId: site.id, phone: "+33622222222", keyword: "", source: "admin" as const, receivedAt: at(1) },
    ]);
    const where = optOutsWhere(site.id, { source: "reply" });
    const pages = await roundTrip((o: KeysetOptions<string>) => listOptOuts(where, o), 2);
    const phones = pages.flatMap((p) => p.rows).map((r) => r.phone);
    expect(phones).toEqual(["+33611111115", "+33611111112", "+33611111114", "+33611111111", "+33611111113", "+33611111110"]);
    await db.delete(smsOptOuts).where(and(eq(smsOptOuts.siteId, site.id), eq(smsOptOuts.phone, phones[2])));
    expect((await listOptOuts(where, { before: pages[1].prev!, limit: 2 })).rows).toEqual(pages[0].rows);
  });
});

describe("queue", () => {
  const from = { fromName: "Org", fromAddress: "org@example.org" };
  let ids: number[] = [];
  beforeAll(async () => {
    for (const [s, n] of [[site, 5], [other, 4]] as const) {
      await enqueue({ siteId: s.id, message: { kind: "newsletter", subject: "Hi", text: "Hi", ...from }, recipients: Array.from({ length: n }, (_, i) => ({ address: `q${i}@${s.domain}` })) });
    }
    ids = (await db.select({ id: queue.id }).from(queue).where(inArray(queue.siteId, [site.id, other.id]))).map((r) => r.id);
  });
  const lister = (where: Awaited<ReturnType<typeof queueWhere>>, order: PageOrder, allSites = false) => (o: KeysetOptions<number> & { limit: number }) => listQueue(where, { ...o, order, allSites, siteIds: allSites ? [site.id, other.id] : undefined });

  it("pages back to the same rows by id, by queued_at (a date filter), and across sites", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const bySite = await roundTrip(lister(await queueWhere({}, site.id), "id"), 2);
    expect(bySite.flatMap((p) => p.rows).map((r) => r.recipient)).toEqual([4, 3, 2, 1, 0].map((i) => `q${i}@${site.domain}`));
    const byDate = await roundTrip(lister(await queueWhere({ from: today, to: today }, site.id), "queuedAt"), 2);
    expect(byDate.flatMap((p) => p.rows)).toEqual(bySite.flatMap((p) => p.rows));
    const everySite = await roundTrip(lister(await queueWhere({ status: "pending" }, null), "id", true), 4);
    expect(everySite.flatMap((p) => p.rows).map((r) => r.id)).toEqual([...ids].sort((a, b) => b - a));
  });

  it("a deleted cursor: by id the page before it is read; by queued_at its time is gone, so the first page", async () => {
    const where = await queueWhere({}, other.id);
    const pages = await roundTrip(lister(where, "id"), 2);
    await db.delete(queue).where(eq(queue.id, pages[1].prev!));
    expect((await lister(where, "id")({ before: pages[1].prev!, limit: 2 })).rows).toEqual(pages[0].rows);
    const first = await lister(where, "queuedAt")({ limit: 2 });
    expect(await lister(where, "queuedAt")({ before: pages[1].prev!, limit: 2 })).toEqual(first);
  });
});

describe("failed recipients of a send (oldest first)", () => {
  it("pages back to the same rows, only the failed ones", async () => {
    const { messageId } = await enqueue({
      siteId: other.id,
      message: { kind: "newsletter", subject: "Failing", text: "Hi", fromName: "Org", fromAddress: "org@example.org" },
      recipients: Array.from({ length: 6 }, (_, i) => ({ address: `failed${i}@example.org` })),
    });
    await db.update(queue).set({ status: "error", lastError: "550 no such user" }).where(and(eq(queue.messageId, messageId), inArray(queue.recipient, [0, 1, 2, 4, 5].map((i) => `failed${i}@example.org`))));
    const pages = await roundTrip((o: KeysetOptions<number>) => failedRecipients(other.id, messageId, o), 2);
    expect(pages.flatMap((p) => p.rows).map((r) => r.recipient)).toEqual([0, 1, 2, 4, 5].map((i) => `failed${i}@example.org`));
  });
});
