import { beforeAll, describe, expect, it } from "vitest";
import { eq, inArray, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { queue, queueEvents, queueRuns, type Site, type User } from "@/db/schema";
import { changeQueueAction, countQueueAction, startQueueRunAction } from "@/app/[locale]/manage/queue/actions";
import { csvCell, csvLine, csvUnguard } from "@/lib/csv";
import { CSV_COLUMNS } from "@/lib/queue/csv";
import { parseCsv } from "@/lib/newsletters/import/parse-csv";
import { filterQuery, parseQueueFilters, scopedQueueFilters, type QueueFilters } from "@/lib/queue/filters";
import { scopeSiteId } from "@/lib/sites/scope";
import { listQueue, pageOrder, queueWhere } from "@/lib/queue/list";
import { queueStats } from "@/lib/queue/stats";
import { enqueue } from "@/lib/queue/enqueue";
import { runQueue } from "@/lib/queue/run";
import { outboxTransport } from "@/lib/mail/transport";
import { NextRequest } from "next/server";
import { GET as exportCsv } from "@/app/api/queue/export/route";
import { GET as statsRoute } from "@/app/api/queue/stats/route";
import { GET as emlRoute } from "@/app/api/queue/[id]/eml/route";
import { HIDDEN_CONTENT_KINDS, hiddenContent } from "@/lib/queue/hidden-content";
import { requestPasswordReset } from "@/lib/auth/password-reset";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";

const from = { fromName: "Org", fromAddress: "org@example.org" };
let siteA: Site, siteB: Site;
let adminA: User, memberA: User, adminB: User, superuser: User;

async function list(filters: QueueFilters, siteId: number | null, limit = 50) {
  // As the screen and the export call it.
  return listQueue(await queueWhere(filters, siteId), { after: filters.after, limit, order: pageOrder(filters), allSites: siteId === null });
}
const recipientsOf = (rows: { recipient: string }[]) => rows.map((r) => r.recipient).sort();
const statuses = async (ids: number[]) =>
  Object.fromEntries((await db.select({ id: queue.id, status: queue.status }).from(queue).where(inArray(queue.id, ids))).map((r) => [r.id, r.status]));

beforeAll(async () => {
  // Outbox files live under DATA_DIR/outbox/<site id>/: start site ids somewhere no other test
  // file (each with its own fresh database) writes at the same time.
  await db.execute(sql`select setval(pg_get_serial_sequence('sites', 'id'), ${100_000 + Math.floor(Math.random() * 800_000)})`);
  siteA = await makeSite();
  siteB = await makeSite();
  [adminA, memberA, adminB, superuser] = await Promise.all([makeUser(siteA.id, "admin"), makeUser(siteA.id, "member"), makeUser(siteB.id, "admin"), makeUser(siteB.id, "superuser")]);
  await enqueue({
    siteId: siteA.id,
    message: { kind: "newsletter", subject: "Spring news for {{name}}", text: "Hi", ...from },
    recipients: [{ address: "Alice@Example.org", name: "Alice" }, { address: "albert@example.org" }, { address: "bob@example.org" }, { address: "a_b@example.org" }],
  });
  await enqueue({ siteId: siteA.id, message: { kind: "reset", subject: "Password reset", text: "Link", ...from }, recipients: [{ address: "carol@example.org" }] });
  await enqueue({ siteId: siteA.id, channel: "sms", message: { kind: "sms", subject: "", text: "Hello", ...from }, recipients: [{ address: "+33 6 12 34 56 78" }] });
  await enqueue({ siteId: siteB.id, message: { kind: "newsletter", subject: "Spring news B", text: "Hi", ...from }, recipients: [{ address: "alice@example.org" }, { address: "dave@example.org" }] });
  await db.update(queue).set({ status: "error", lastError: "550 no such user" }).where(inArray(queue.recipient, ["bob@example.org", "carol@example.org"]));
  await db.update(queue).set({ status: "sent", sentAt: new Date() }).where(eq(queue.recipient, "albert@example.org"));
  await db.update(queue).set({ queuedAt: new Date("2024-03-10T12:00:00Z") }).where(eq(queue.recipient, "carol@example.org"));
});

describe("queue filters (URL)", () => {
  it("keeps valid filters and names the malformed ones, without throwing", () => {
    const { filters, invalid } = parseQueueFilters({ status: "lost", channel: "sms", from: "2024-02-30", to: "2024-03-01", after: "-4", site: "all", recipient: ["x@", "y@"], subject: " " });
    expect(filters).toEqual({ channel: "sms", to: "2024-03-01", site: "all", recipient: "x@" });
    expect(invalid.sort()).toEqual(["after", "from", "status"]);
    expect(parseQueueFilters(new URLSearchParams("from=2024-05-02&to=2024-05-01")).invalid).toEqual(["to"]);
    expect(parseQueueFilters({ from: "0000-00-00", to: "9999-12-31", site: "0", recipient: "a\u0000b" }).invalid).toEqual(["site", "from", "to", "recipient"]);
    expect(filterQuery({ status: "error", after: 9 }, { after: 5 })).toBe("status=error&after=5");
  });

  it("lets only a superuser choose the site", () => {
    expect(scopeSiteId({ role: "admin" }, 3, "all")).toBe(3);
    expect(scopeSiteId({ role: "superuser" }, 3, "all")).toBeNull();
    expect(scopeSiteId({ role: "superuser" }, 3, 7)).toBe(7);
    expect(scopeSiteId({ role: "superuser" }, 3, undefined)).toBe(3);
  });

  it("drops a superuser's site naming no site and names it, as the users list does; an admin's goes silently", async () => {
    const unknown = await scopedQueueFilters({ role: "superuser" }, siteA.id, { site: "999999", status: "error" });
    expect(unknown).toEqual({ filters: { status: "error" }, invalid: ["site"], siteId: siteA.id, message: null });
    expect(await scopedQueueFilters({ role: "superuser" }, siteA.id, { site: String(siteB.id) })).toEqual({ filters: { site: siteB.id }, invalid: [], siteId: siteB.id, message: null });
    expect(await scopedQueueFilters({ role: "superuser" }, siteA.id, { site: "all" })).toMatchObject({ invalid: [], siteId: null });
    expect(await scopedQueueFilters({ role: "admin" }, siteA.id, { site: "999999" })).toEqual({ filters: {}, invalid: [], siteId: siteA.id, message: null });
  });
});

describe("listQueue", () => {
  it("is scoped to a site, or every site for null", async () => {
    expect(recipientsOf((await list({}, siteA.id)).rows)).toEqual(["+33612345678", "a_b@example.org", "albert@example.org", "alice@example.org", "bob@example.org", "carol@example.org"]);
    expect(recipientsOf((await list({}, siteB.id)).rows)).toEqual(["alice@example.org", "dave@example.org"]);
    expect((await list({}, null)).rows).toHaveLength(8);
  });

  it("filters by status, channel, recipient prefix, subject and day range", async () => {
    expect(recipientsOf((await list({ status: "error" }, siteA.id)).rows)).toEqual(["bob@example.org", "carol@example.org"]);
    expect(recipientsOf((await list({ channel: "sms" }, siteA.id)).rows)).toEqual(["+33612345678"]);
    expect(recipientsOf((await list({ recipient: "AL" }, siteA.id)).rows)).toEqual(["albert@example.org", "alice@example.org"]);
    expect(recipientsOf((await list({ recipient: "a_" }, siteA.id)).rows)).toEqual(["a_b@example.org"]); // _ is literal
    // A number as people write it, in the site's country (makeSite: France), or as stored.
    for (const typed of ["06 12 34", "0033 6 12", "+3361234", "+33 6 12"]) expect(recipientsOf((await list({ recipient: typed }, siteA.id)).rows), typed).toEqual(["+33612345678"]);
    expect((await list({ recipient: "07" }, siteA.id)).rows).toEqual([]);
    const spring = await list({ subject: "spring" }, siteA.id);
    expect(spring.rows).toHaveLength(4);
    expect(spring.rows.find((r) => r.recipient === "alice@example.org")?.subject).toBe("Spring news for Alice");
    expect((await list({ subject: "spring" }, null)).rows).toHaveLength(6);
    expect((await list({ subject: "nothing like this" }, siteA.id)).rows).toEqual([]);
    expect(await queueWhere({ subject: "nothing like this" }, siteA.id)).toBeNull();
    // An SMS has no subject: its text stands for it, in the list and in the search (an email's body is not searched).
    expect((await list({ subject: "HELL" }, siteA.id)).rows.map((r) => [r.recipient, r.subject])).toEqual([["+33612345678", "Hello"]]);
    expect(await queueWhere({ subject: "link" }, siteA.id)).toBeNull();
    expect(recipientsOf((await list({ from: "2024-03-10", to: "2024-03-10" }, siteA.id)).rows)).toEqual(["carol@example.org"]);
    expect((await list({ to: "2024-03-09" }, siteA.id)).rows).toEqual([]);
    // Days are the site's: Carol's 12:00 UTC is 2024-03-10 in Paris, but 2024-03-11 in Auckland (UTC+13).
    const inZone = async (day: string, zone: string) => recipientsOf((await listQueue((await queueWhere({ from: day, to: day }, siteA.id, zone))!, { order: "queuedAt" })).rows);
    expect(await inZone("2024-03-10", "Europe/Paris")).toEqual(["carol@example.org"]);
    expect(await inZone("2024-03-11", "Pacific/Auckland")).toEqual(["carol@example.org"]);
    expect(await inZone("2024-03-10", "Pacific/Auckland")).toEqual([]);
    expect((await list({ status: "error", recipient: "bob", subject: "spring" }, siteB.id)).rows).toEqual([]);
  });

  it("narrows to one message's rows, and names a message out of scope as a filter it cannot read", async () => {
    const messageOf = async (recipient: string, siteId: number) =>
      (await db.select({ id: queue.messageId }).from(queue).where(sql`${queue.recipient} = ${recipient} and ${queue.siteId} = ${siteId}`))[0]!.id;
    const springA = await messageOf("bob@example.org", siteA.id);
    const springB = await messageOf("dave@example.org", siteB.id);
    expect(recipientsOf((await list({ message: springA }, siteA.id)).rows)).toEqual(["a_b@example.org", "albert@example.org", "alice@example.org", "bob@example.org"]);
    expect(recipientsOf((await list({ message: springA, status: "error" }, siteA.id)).rows)).toEqual(["bob@example.org"]);
    // Site B's message, asked for on site A: no row of site B's leaks, and the screen says the filter was dropped.
    expect((await list({ message: springB }, siteA.id)).rows).toEqual([]);
    const outside = await scopedQueueFilters({ role: "admin" }, siteA.id, { message: String(springB), status: "error" });
    expect(outside).toMatchObject({ filters: { status: "error" }, invalid: ["message"], message: null });
    const gone = await scopedQueueFilters({ role: "superuser" }, siteA.id, { message: "999999999", site: "all" });
    expect(gone).toMatchObject({ invalid: ["message"], siteId: null, message: null });
    // Every site (superuser): site B's message is in scope. The label is the subject as written (its placeholders stand for every copy).
    expect((await scopedQueueFilters({ role: "superuser" }, siteA.id, { message: String(springB), site: "all" })).message).toEqual({ id: springB, label: "Spring news B", sendId: null });
    expect((await scopedQueueFilters({ role: "admin" }, siteA.id, { message: String(springA) })).message).toMatchObject({ label: "Spring news for {{name}}" });
    // An SMS has no subject: the start of its text; a message whose text holds a secret link shows no word of it.
    const sms = await messageOf("+33612345678", siteA.id);
    expect((await scopedQueueFilters({ role: "admin" }, siteA.id, { message: String(sms) })).message?.label).toBe("Hello");
    const reset = await messageOf("carol@example.org", siteA.id);
    await db.execute(sql`update outbound_messages set kind = 'password_reset', subject = '' where id = ${reset}`);
    try {
      expect((await scopedQueueFilters({ role: "admin" }, siteA.id, { message: String(reset) })).message?.label).toBe(`#${reset}`);
    } finally {
      await db.execute(sql`update outbound_messages set kind = 'reset', subject = 'Password reset' where id = ${reset}`);
    }
    expect(parseQueueFilters({ message: "abc" })).toEqual({ filters: {}, invalid: ["message"] });
  });

  it("pages with a keyset cursor, newest first, without gaps or repeats", async () => {
    const seen: number[] = [];
    let after: number | undefined;
    let pages = 0;
    do {
      const page = await list({ after }, siteA.id, 4);
      seen.push(...page.rows.map((r) => r.id));
      after = page.next ?? undefined;
      pages++;
    } while (after);
    expect(pages).toBe(2);
    expect(seen).toHaveLength(6);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    expect(new Set(seen).size).toBe(6);
  });

  it("pages every site as one list, merged newest first, without gaps or repeats", async () => {
    const all: number[] = [];
    let after: number | undefined;
    do {
      const page = await list({ after }, null, 3);
      all.push(...page.rows.map((r) => r.id));
      after = page.next ?? undefined;
    } while (after);
    const expected = (await db.select({ id: queue.id }).from(queue)).map((r) => r.id).sort((a, b) => b - a);
    expect(all).toEqual(expected);
  });

  it("orders a date range by queue time, then id, and pages it by keyset across equal times", async () => {
    // Rows queued in one transaction share their time; a row set back in time must sort by it, not by id.
    const { messageId } = await enqueue({
      siteId: siteB.id,
      message: { kind: "newsletter", subject: "Dated", text: "x", ...from },
      recipients: Array.from({ length: 7 }, (_, i) => ({ address: `dated${i}@example.org` })),
    });
    const dated = await db.select({ id: queue.id, recipient: queue.recipient }).from(queue).where(eq(queue.messageId, messageId));
    await db.update(queue).set({ queuedAt: new Date("2023-06-01T10:00:00Z") }).where(eq(queue.messageId, messageId));
    const older = dated.find((r) => r.recipient === "dated6@example.org")!;
    await db.update(queue).set({ queuedAt: new Date("2023-06-01T09:00:00Z") }).where(eq(queue.id, older.id));
    await db.update(queue).set({ queuedAt: new Date("2023-06-02T09:00:00Z") }).where(eq(queue.recipient, "alice@example.org"));

    for (const siteId of [siteB.id, null]) {
      const seen: string[] = [];
      let after: number | undefined;
      do {
        const page = await list({ from: "2023-06-01", to: "2023-06-02", after }, siteId, 3);
        seen.push(...page.rows.map((r) => r.recipient));
        after = page.next ?? undefined;
      } while (after);
      const sameTime = dated.filter((r) => r.id !== older.id).sort((a, b) => b.id - a.id).map((r) => r.recipient);
      // alice of site B (and of site A, once all sites are listed) is newest; dated6 oldest despite its id.
      const alices = siteId === null ? ["alice@example.org", "alice@example.org"] : ["alice@example.org"];
      expect(seen).toEqual([...alices, ...sameTime, "dated6@example.org"]);
    }
    await db.update(queue).set({ queuedAt: new Date() }).where(eq(queue.recipient, "alice@example.org"));
    await db.delete(queue).where(eq(queue.messageId, messageId));
  });

  it("counts per status for the stats panel", async () => {
    const stats = await queueStats(siteA.id);
    expect(stats.counts).toEqual({ pending: 3, sending: 0, sent: 1, error: 2, delivered: 0 });
    expect(stats.total).toBe(6);
    expect((await queueStats(null)).total).toBe(8);
  });
});

describe("CSV cells", () => {
  it("quotes and defuses formulas", () => {
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell("+33612345678")).toBe("'+33612345678");
    expect(csvCell("-1,2")).toBe(`"'-1,2"`);
    expect(csvCell(null)).toBe("");
    expect(csvLine([1, "@x", new Date("2024-01-01T00:00:00Z")])).toBe("1,'@x,2024-01-01T00:00:00.000Z\r\n");
  });
});

describe("queue actions", () => {
  const errorIds = async (siteId: number) => (await db.select({ id: queue.id }).from(queue).where(sql`${queue.siteId} = ${siteId} and ${queue.status} = 'error'`)).map((r) => r.id);

  it("refuses a member and an admin of another site, and changes nothing", async () => {
    const ids = await errorIds(siteA.id);
    const before = await statuses(ids);
    const runsBefore = (await db.select().from(queueRuns)).length;
    for (const user of [memberA, adminB]) {
      actAs(user.id, siteA.domain);
      for (const target of ["ids", "filter"] as const) {
        const changed = await changeQueueAction({ op: "pending", target, ids, filter: "" });
        expect(changed).toMatchObject({ ok: false, error: { key: "errors.forbidden" } });
        expect(await countQueueAction({ op: "pending", target, ids, filter: "" })).toMatchObject({ ok: false, error: { key: "errors.forbidden" } });
      }
      expect(await startQueueRunAction({ kind: "resend", filter: "" })).toMatchObject({ ok: false, error: { key: "errors.forbidden" } });
    }
    actAs(null, siteA.domain);
    expect(await changeQueueAction({ op: "cancel", target: "filter", ids: [], filter: "" })).toMatchObject({ ok: false, error: { key: "errors.signInRequired" } });
    expect(await statuses(ids)).toEqual(before);
    expect((await db.select().from(queueRuns)).length).toBe(runsBefore);
  });

  it("'Send pending messages' with nothing pending says so and starts no run", async () => {
    const empty = await makeSite();
    const admin = await makeUser(empty.id, "admin");
    actAs(admin.id, empty.domain);
    const runsBefore = (await db.select().from(queueRuns)).length;
    expect(await startQueueRunAction({ kind: "send", filter: "" })).toMatchObject({ ok: true, data: { kind: "send", pending: 0 } });
    expect((await db.select().from(queueRuns)).length).toBe(runsBefore);
  });

  it("keeps an admin on their own site even with another site's ids or ?site=", async () => {
    const ids = await errorIds(siteA.id);
    actAs(adminB.id, siteB.domain);
    expect(await countQueueAction({ op: "pending", target: "ids", ids, filter: `site=${siteA.id}` })).toMatchObject({ ok: true, data: { count: 0 } });
    expect(await changeQueueAction({ op: "pending", target: "ids", ids, filter: `site=${siteA.id}` })).toMatchObject({ ok: true, data: { count: 0 } });
    expect(await changeQueueAction({ op: "pending", target: "filter", ids: [], filter: `site=${siteA.id}&status=error` })).toMatchObject({ ok: true, data: { count: 0 } });
    expect(Object.values(await statuses(ids))).toEqual(["error", "error"]);
  });

  it("lets the site's admin requeue a selection and cancel by filter, with history", async () => {
    actAs(adminA.id, siteA.domain);
    const [bob] = (await list({ recipient: "bob" }, siteA.id)).rows;
    expect(await countQueueAction({ op: "pending", target: "ids", ids: [bob.id], filter: "" })).toMatchObject({ ok: true, data: { count: 1 } });
    expect(await changeQueueAction({ op: "pending", target: "ids", ids: [bob.id], filter: "" })).toMatchObject({ ok: true, data: { count: 1 } });
    const [event] = await db.select().from(queueEvents).where(eq(queueEvents.queueId, bob.id));
    expect(event).toMatchObject({ fromStatus: "error", toStatus: "pending", actor: `user:${adminA.id}` });

    expect(await countQueueAction({ op: "cancel", target: "filter", ids: [], filter: "recipient=al" })).toMatchObject({ ok: true, data: { count: 1 } });
    expect(await changeQueueAction({ op: "cancel", target: "filter", ids: [], filter: "recipient=al" })).toMatchObject({ ok: true, data: { count: 1 } });
    const alice = (await list({ recipient: "alice" }, siteA.id)).rows[0];
    expect(alice).toMatchObject({ status: "error", lastError: "cancelled" });
    expect((await list({ recipient: "alice" }, siteB.id)).rows[0].status).toBe("pending"); // site B untouched

    expect(await changeQueueAction({ op: "pending", target: "ids", ids: [], filter: "" })).toMatchObject({ ok: false, fieldErrors: { ids: { key: "errors.selectMessages" } } });
  });

  it("lets a superuser act on another site through ?site=", async () => {
    actAs(superuser.id, siteA.domain);
    const dave = (await list({ recipient: "dave" }, siteB.id)).rows[0];
    expect(await changeQueueAction({ op: "cancel", target: "ids", ids: [dave.id], filter: "" })).toMatchObject({ ok: true, data: { count: 0 } });
    expect(await changeQueueAction({ op: "cancel", target: "ids", ids: [dave.id], filter: `site=${siteB.id}` })).toMatchObject({ ok: true, data: { count: 1 } });
  });
});

describe("queue route handlers", () => {
  const get = (path: string) => new NextRequest(`http://localhost${path}`);

  it("refuse the signed-out, members and admins of another site", async () => {
    for (const [user, status] of [[null, 401], [memberA.id, 403], [adminB.id, 403]] as const) {
      actAs(user, siteA.domain);
      expect((await exportCsv(get("/api/queue/export"))).status).toBe(status);
      expect((await statsRoute(get("/api/queue/stats"))).status).toBe(status);
      expect((await emlRoute(get("/api/queue/1/eml"), { params: Promise.resolve({ id: "1" }) })).status).toBe(status);
    }
  });

  it("export the caller's site only, as quoted CSV, whatever ?site= says", async () => {
    actAs(adminA.id, siteA.domain);
    const response = await exportCsv(get(`/api/queue/export?site=${siteB.id}&subject=spring&status=bogus`));
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const lines = (await response.text()).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("id,site,channel,recipient,name,subject,status,attempts,queued_at,sent_at,delivered_at,last_error,segments,provider_id,receipt_at,error_reason,text");
    expect(lines.slice(1).every((l) => l.includes(`,${siteA.domain},`))).toBe(true);
    expect(lines).toHaveLength(5);
    // Bob was set back to pending by an earlier test: the row keeps his failed attempt's text
    // (his page shows it), but he has not failed, so the list, and the file, show no error.
    const bob = lines.find((l) => l.includes(",bob@example.org,"))!;
    expect(bob).toContain(",pending,");
    expect(bob.endsWith(",,,,,,")).toBe(true);
    expect(lines.find((l) => l.includes(",albert@example.org,"))!.endsWith(",")).toBe(true);
  });

  it("export one message's rows only (a send report's 'every recipient' link), never another site's", async () => {
    const [{ id: springA }] = await db.select({ id: queue.messageId }).from(queue).where(sql`${queue.recipient} = 'alice@example.org' and ${queue.siteId} = ${siteA.id}`);
    const [{ id: springB }] = await db.select({ id: queue.messageId }).from(queue).where(sql`${queue.recipient} = 'dave@example.org'`);
    actAs(adminA.id, siteA.domain);
    const rows = async (path: string) => (await (await exportCsv(get(path))).text()).replace(/^\uFEFF/, "").trim().split("\r\n").slice(1);
    const mine = await rows(`/api/queue/export?message=${springA}`);
    expect(mine.map((l) => l.split(",")[3]).sort()).toEqual(["a_b@example.org", "albert@example.org", "alice@example.org", "bob@example.org"]);
    // Site B's message from site A's admin: dropped as out of scope, so the export is the whole of site A, as the screen then shows.
    const other = await rows(`/api/queue/export?message=${springB}`);
    expect(other.every((l) => l.includes(`,${siteA.domain},`))).toBe(true);
    expect(other).toHaveLength(6);
  });

  it("give an error and its cause only for rows in error, as the screen: a row sent after a failed attempt has neither", async () => {
    await db.update(queue).set({ lastError: "SMPP 127.0.0.1:1 unavailable; next connection attempt in 4 s" }).where(eq(queue.recipient, "albert@example.org"));
    try {
      actAs(adminA.id, siteA.domain);
      const only = async (recipient: string) => {
        const [, line] = parseCsv(await (await exportCsv(get(`/api/queue/export?recipient=${recipient}`))).text(), ",").records;
        return Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, line.cells[i]]));
      };
      expect(await only("carol")).toMatchObject({ status: "error", last_error: "550 no such user", error_reason: "emailUnknownRecipient" });
      // Its history and its page keep the attempt's text; the list shows the row sent, without an error.
      const [{ lastError }] = await db.select({ lastError: queue.lastError }).from(queue).where(eq(queue.recipient, "albert@example.org"));
      expect(lastError).toMatch(/unavailable/);
      expect(await only("albert")).toMatchObject({ status: "sent", last_error: "", error_reason: "" });
    } finally {
      await db.update(queue).set({ lastError: null }).where(eq(queue.recipient, "albert@example.org"));
    }
  });

  it("export a superuser's own site when ?site= names no site, as the screen then shows it", async () => {
    actAs(superuser.id, siteA.domain);
    const lines = (await (await exportCsv(get("/api/queue/export?site=999999"))).text()).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines).toHaveLength(7);
    expect(lines.slice(1).every((l) => l.includes(`,${siteA.domain},`))).toBe(true);
  });

  it("finish an export whose filter matches nothing, with the header line only", async () => {
    actAs(adminA.id, siteA.domain);
    const response = await exportCsv(get("/api/queue/export?recipient=nobody-matches-this"));
    const text = await response.text();
    expect(text.replace(/^\uFEFF/, "").trim().split("\r\n")).toHaveLength(1);
  });

  it("give an admin their own site's counts, a superuser any site's", async () => {
    actAs(adminA.id, siteA.domain);
    const mine = await (await statsRoute(get("/api/queue/stats?site=all"))).json();
    expect(mine.total).toBe(6);
    actAs(superuser.id, siteA.domain);
    expect((await (await statsRoute(get(`/api/queue/stats?site=${siteB.id}`))).json()).total).toBe(2);
    expect((await (await statsRoute(get("/api/queue/stats?site=all"))).json()).total).toBe(8);
    expect((await statsRoute(get("/api/queue/stats?site=%%%"))).status).toBe(200);
  });

  it("never serve another site's .eml", async () => {
    const dave = (await list({ recipient: "dave" }, siteB.id)).rows[0];
    actAs(adminA.id, siteA.domain);
    expect((await emlRoute(get(`/api/queue/${dave.id}/eml`), { params: Promise.resolve({ id: String(dave.id) }) })).status).toBe(404);
    expect((await emlRoute(get("/api/queue/x/eml"), { params: Promise.resolve({ id: "x" }) })).status).toBe(404);
  });

  it("serve the outbox .eml of a sent row as message/rfc822", async () => {
    await runQueue({ kind: "send", siteId: siteA.id, runner: "test", transport: outboxTransport() });
    const [sent] = (await list({ recipient: "bob" }, siteA.id)).rows;
    expect(sent.status).toBe("sent");
    actAs(adminA.id, siteA.domain);
    const response = await emlRoute(get(`/api/queue/${sent.id}/eml?download=1`), { params: Promise.resolve({ id: String(sent.id) }) });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("message/rfc822");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="message-${sent.id}.eml"`);
    expect(await response.text()).toMatch(/^To: bob@example.org\r?$/m);
  });
});

describe("messages carrying a secret link", () => {
  const get = (path: string) => new NextRequest(`http://localhost${path}`);
  it("never serve their .eml nor search their text, to an admin or a superuser", async () => {
    // A site of its own: the rows above are counted by the other tests.
    const site = await makeSite();
    const [admin, boss] = await Promise.all([makeUser(site.id, "admin"), makeUser(site.id, "superuser")]);
    expect(HIDDEN_CONTENT_KINDS.every(hiddenContent)).toBe(true);
    expect(["password_changed", "newsletter", "newsletter_test", "sms_test", "sms_reply"].some(hiddenContent)).toBe(false);
    await requestPasswordReset(site, boss.email, "198.51.100.40");
    // A subject emptied by a site's override: the text must not stand for it in a search.
    await enqueue({ siteId: site.id, message: { kind: "subscription_confirm", subject: "", text: "https://x/confirm?token=SECRETtoken", ...from }, recipients: [{ address: "sub@example.org" }] });
    await enqueue({ siteId: site.id, message: { kind: "password_changed", subject: "Changed", text: "Hi", ...from }, recipients: [{ address: "plain@example.org" }] });
    await runQueue({ kind: "send", siteId: site.id, runner: "test", transport: outboxTransport() });
    const rows = (await list({}, site.id)).rows;
    expect(rows.every((r) => r.status === "sent")).toBe(true);
    const idOf = (address: string) => String(rows.find((r) => r.recipient === address)!.id);
    for (const user of [admin, boss]) {
      actAs(user.id, site.domain);
      for (const address of [boss.email, "sub@example.org"]) {
        const id = idOf(address);
        expect((await emlRoute(get(`/api/queue/${id}/eml`), { params: Promise.resolve({ id }) })).status, address).toBe(403);
      }
      const id = idOf("plain@example.org");
      expect((await emlRoute(get(`/api/queue/${id}/eml`), { params: Promise.resolve({ id }) })).status).toBe(200);
    }
    expect(await queueWhere({ subject: "SECRET" }, site.id)).toBeNull();
    expect(await queueWhere({ subject: "token" }, site.id)).toBeNull();
  });
});

describe("the queue CSV export of SMS", () => {
  const get = (path: string) => new NextRequest(`http://localhost${path}`);
  it("give an SMS's whole personalised text in its own column, its start as the subject, and never a hidden message's text", async () => {
    // A site of its own, after the tests that count every site's rows.
    const site = await makeSite();
    const admin = await makeUser(site.id, "admin");
    const long = `Hello {{name}}, ${"the market moves to the square on Saturday; ".repeat(4)}see you there.`;
    await enqueue({ siteId: site.id, channel: "sms", message: { kind: "newsletter", subject: "", text: long, ...from }, recipients: [{ address: "+33612345601", name: "Zoé" }] });
    await enqueue({ siteId: site.id, channel: "sms", message: { kind: "subscription_confirm", subject: "", text: "Confirm: https://x/confirm?token=SECRETsms", ...from }, recipients: [{ address: "+33612345602" }] });
    await enqueue({ siteId: site.id, message: { kind: "newsletter", subject: "Letter", text: "Body of the letter", ...from }, recipients: [{ address: "ann@example.org" }] });
    actAs(admin.id, site.domain);
    const text = await (await exportCsv(get("/api/queue/export"))).text();
    const [header, ...records] = parseCsv(text, ",").records.map((r) => r.cells);
    expect(header).toEqual([...CSV_COLUMNS]);
    const byRecipient = Object.fromEntries(records.map((cells) => [csvUnguard(cells[3]), Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, cells[i]]))]));
    const full = long.replace("{{name}}", "Zoé");
    expect(full.length).toBeGreaterThan(150);
    expect(byRecipient["+33612345601"].text).toBe(full);
    // The subject column stays what the screen shows: the start of the text.
    expect(byRecipient["+33612345601"].subject).toBe((await list({ channel: "sms", recipient: "+33612345601" }, site.id)).rows[0].subject);
    expect(byRecipient["+33612345601"].subject.length).toBeLessThan(full.length);
    expect(byRecipient["+33612345602"]).toMatchObject({ subject: "", text: "" });
    expect(text).not.toContain("SECRET");
    // An email's body is not the file's: its subject is.
    expect(byRecipient["ann@example.org"]).toMatchObject({ subject: "Letter", text: "" });
  });
});
