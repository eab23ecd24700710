import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { simpleParser, type AddressObject, type ParsedMail } from "mailparser";
import { sql } from "drizzle-orm";
import { startSmtpServer, type SmtpHarness } from "../helpers/smtp";
import { makeSite } from "../helpers/factories";
import { loadQueue, message } from "./load-queue";
import { emailMessageId } from "@/lib/mail/compose";

/** composeEmail's Message-ID for a row: its ids and its message's creation time (lib/mail/compose.ts). */
const messageIdPattern = (rowId: number, messageId: number, domain: string) => new RegExp(`^<q${rowId}\\.m${messageId}\\.k[0-9a-z]+@${domain.replace(/\./g, "\\.")}>$`);

const q = await loadQueue({ QUEUE_BACKOFF_SECONDS: "0", SMTP_POOL_SIZE: "3" });

let smtp: SmtpHarness;
let transport: ReturnType<typeof q.smtpTransport>;
beforeAll(async () => {
  smtp = await startSmtpServer();
  transport = q.smtpTransport(smtp.url, 3);
});
afterAll(async () => {
  transport.close();
  await smtp.close();
});
beforeEach(() => smtp.reset());

/** mailparser folds List-* headers into `list`; the raw line is what a mail client acts on. */
const headerLine = (parsed: ParsedMail, key: string) => parsed.headerLines.find((h) => h.key === key)?.line.replace(/\r?\n\s+/g, " ");
const first = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a[0] : a)?.value[0];

describe("delivery through a real SMTP server", () => {
  it("sends each recipient one personalised message with the stored headers and both parts", async () => {
    const site = await makeSite();
    const { messageId, queued } = await q.enqueue({
      siteId: site.id,
      message: message({
        subject: "News for {{name}}",
        text: "Dear {{name}}, your code is {{code}}. {{unknown}} stays.",
        html: "<p>Dear {{name}}, your code is <b>{{code}}</b></p>",
        fromName: "The Org",
        fromAddress: "news@org.example",
        replyTo: "replies@org.example",
        headers: { "List-Unsubscribe": "<https://org.example/unsubscribe?e={{email}}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click", "X-Chora-Campaign": "spring" },
      }),
      recipients: [
        { address: "ann@example.org", name: "Ann", variables: { code: "<42>" } },
        { address: "Bob@Example.org", name: "Bob", variables: { code: "7&7" } },
        { address: "  ANN@example.org ", name: "Ann again" }, // same address after normalising
        { address: "carl@example.org" },
      ],
    });
    expect(queued).toBe(3);
    const rows = await q.siteRows(site.id);
    expect(rows.map((r) => r.recipient)).toEqual(["ann@example.org", "bob@example.org", "carl@example.org"]);

    const summary = await q.runQueue({ kind: "send", siteId: site.id, runner: "test", transport });
    expect(summary).toMatchObject({ claimed: 3, sent: 3, failed: 0 });
    expect(smtp.received).toHaveLength(3);

    for (const row of await q.siteRows(site.id)) {
      expect(row.status).toBe("sent");
      expect(row.providerMessageId).toMatch(messageIdPattern(row.id, messageId, "org.example"));
      const expectedId = row.providerMessageId!;
      expect(await q.history(row.id)).toBe("pending>sending>sent");
      const mails = smtp.received.filter((m) => m.messageId === expectedId);
      expect(mails).toHaveLength(1);
      expect(mails[0].mailFrom).toBe("news@org.example");
      expect(mails[0].rcptTo).toEqual([row.recipient]);

      const parsed = await simpleParser(mails[0].raw);
      expect(parsed.messageId).toBe(expectedId);
      expect(first(parsed.from)).toEqual({ name: "The Org", address: "news@org.example" });
      expect(first(parsed.to)?.address).toBe(row.recipient);
      expect(first(parsed.replyTo)?.address).toBe("replies@org.example");
      expect(headerLine(parsed, "list-unsubscribe")).toBe(`List-Unsubscribe: <https://org.example/unsubscribe?e=${encodeURIComponent(row.recipient)}>`);
      expect(headerLine(parsed, "list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
      expect(parsed.headers.get("x-chora-campaign")).toBe("spring");
      expect(parsed.html).toBeTruthy();
      expect(parsed.text).toBeTruthy();
    }

    const byRecipient = async (address: string) => simpleParser(smtp.received.find((m) => m.rcptTo[0] === address)!.raw);
    const ann = await byRecipient("ann@example.org");
    expect(ann.subject).toBe("News for Ann");
    expect(first(ann.to)?.name).toBe("Ann");
    expect(ann.text?.trim()).toBe("Dear Ann, your code is <42>. {{unknown}} stays.");
    expect(ann.html).toContain("your code is <b>&lt;42&gt;</b>"); // values are escaped in HTML only
    const bob = await byRecipient("bob@example.org");
    expect(bob.subject).toBe("News for Bob");
    expect(bob.text).toContain("your code is 7&7.");
    expect(bob.html).toContain("<b>7&amp;7</b>");
    const carl = await byRecipient("carl@example.org");
    expect(carl.subject?.trim()).toBe("News for"); // no name: the placeholder is filled with ""
    expect(carl.text).toContain("your code is {{code}}."); // no such variable: left as written
  });

  it("queues a (message, recipient, channel) once however often it is added", async () => {
    const site = await makeSite();
    const { messageId } = await q.enqueue({ siteId: site.id, message: message(), recipients: [{ address: "dup@example.org", name: "Dup" }] });
    expect(await q.addRecipients(site.id, messageId, "email", [{ address: "DUP@example.org" }, { address: "dup@example.org" }])).toBe(0);
    // Another channel is another row: the key is the triple.
    expect(await q.addRecipients(site.id, messageId, "sms", [{ address: "+33 6 12 34 56 78" }])).toBe(1);
    const rows = await q.siteRows(site.id);
    expect(rows.map((r) => [r.channel, r.recipient])).toEqual([
      ["email", "dup@example.org"],
      ["sms", "+33612345678"],
    ]);

    await q.runQueue({ kind: "send", siteId: site.id, runner: "test", transport });
    expect(smtp.received.map((m) => m.rcptTo[0])).toEqual(["dup@example.org"]);
    // After sending, adding the recipient again still queues nothing: it is never sent twice.
    expect(await q.addRecipients(site.id, messageId, "email", [{ address: "dup@example.org" }])).toBe(0);
    await q.runQueue({ kind: "send", siteId: site.id, runner: "test", transport });
    expect(smtp.received).toHaveLength(1);
  });

  it("stores a message with all its rows or not at all", async () => {
    const site = await makeSite();
    // The 2nd chunk of recipients fails: the 1st chunk and the message must not stay behind.
    const last = `r${q.ENQUEUE_CHUNK + 1}@example.org`;
    await q.db.execute(sql.raw(`create function refuse_second_chunk() returns trigger language plpgsql as $$
      begin if new.recipient = '${last}' then raise exception 'disk full'; end if; return new; end $$`));
    await q.db.execute(sql`create trigger refuse_second_chunk before insert on queue for each row execute function refuse_second_chunk()`);
    const recipients = Array.from({ length: q.ENQUEUE_CHUNK + 1 }, (_, i) => ({ address: `r${i + 1}@example.org` }));
    try {
      await expect(q.enqueue({ siteId: site.id, message: message(), recipients })).rejects.toMatchObject({ cause: { message: "disk full" } });
    } finally {
      await q.db.execute(sql`drop trigger refuse_second_chunk on queue`);
      await q.db.execute(sql`drop function refuse_second_chunk()`);
    }
    expect(await q.siteRows(site.id)).toEqual([]);
    expect(q.rows(await q.db.execute(sql`select id from outbound_messages where site_id = ${site.id}`))).toEqual([]);
    // The same list goes through once nothing refuses it.
    expect(await q.enqueue({ siteId: site.id, message: message(), recipients })).toMatchObject({ queued: q.ENQUEUE_CHUNK + 1 });
  });

  it("keeps a row's Message-ID when the row is sent again", async () => {
    const site = await makeSite();
    const { messageId } = await q.enqueue({ siteId: site.id, message: message(), recipients: [{ address: "again@example.org" }] });
    await q.runQueue({ kind: "send", siteId: site.id, runner: "test", transport });
    const [row] = await q.siteRows(site.id);
    expect(await q.setPending(sql`id = ${row.id}`, "user:1")).toBe(1);
    await q.runQueue({ kind: "send", siteId: site.id, runner: "test", transport });
    const ids = smtp.received.map((m) => m.messageId);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toMatch(messageIdPattern(row.id, messageId, "example.org"));
    expect(ids[1]).toBe(ids[0]);
    expect(await q.history(row.id)).toBe("pending>sending>sent>pending>sending>sent");
  });

  it("writes one parseable .eml per row with the outbox transport", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "chora-outbox-"));
    try {
      const site = await makeSite();
      const { messageId } = await q.enqueue({
        siteId: site.id,
        message: message({ headers: { "List-Unsubscribe": "<mailto:leave@example.org?subject={{email}}>" } }),
        recipients: [{ address: "o1@example.org", name: "One" }, { address: "o2@example.org", name: "Two" }],
      });
      const summary = await q.runQueue({ kind: "send", siteId: site.id, runner: "test", transport: q.outboxTransport(dir) });
      expect(summary.sent).toBe(2);
      expect(smtp.received).toHaveLength(0);
      const rows = await q.siteRows(site.id);
      expect((await readdir(path.join(dir, String(site.id)))).sort()).toEqual(rows.map((r) => `${r.id}.eml`).sort());
      for (const row of rows) {
        const parsed = await simpleParser(await readFile(path.join(dir, String(site.id), `${row.id}.eml`)));
        expect(parsed.messageId).toMatch(messageIdPattern(row.id, messageId, "example.org"));
        expect(row.providerMessageId).toBe(parsed.messageId);
        expect(first(parsed.to)?.address).toBe(row.recipient);
        expect(parsed.subject).toBe(`Hello ${row.recipientName}`);
        expect(parsed.text?.trim()).toBe(`Hi ${row.recipientName}`);
        expect(parsed.html).toContain(`<p>Hi ${row.recipientName}</p>`);
        expect(headerLine(parsed, "list-unsubscribe")).toBe(`List-Unsubscribe: <mailto:leave@example.org?subject=${encodeURIComponent(row.recipient)}>`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("does not let a recipient's values add headers or recipients", async () => {
    const site = await makeSite();
    await q.enqueue({
      siteId: site.id,
      message: message({ subject: "Hi {{name}}", headers: { "List-Unsubscribe": "<https://org.example/u?c={{code}}>" } }),
      recipients: [{ address: "eve@example.org", name: "Eve\r\nBcc: x@evil.example", variables: { code: "1\r\nBcc: y@evil.example" } }],
    });
    expect(await q.runQueue({ kind: "send", siteId: site.id, runner: "test", transport })).toMatchObject({ sent: 1 });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].rcptTo).toEqual(["eve@example.org"]);
    const parsed = await simpleParser(smtp.received[0].raw);
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.headerLines.filter((h) => h.key === "bcc")).toEqual([]);
    expect(first(parsed.to)?.address).toBe("eve@example.org");
  });

  it("stops malformed addresses and other channels at error without trying them", async () => {
    const site = await makeSite();
    await q.enqueue({ siteId: site.id, message: message(), recipients: [{ address: "not an address" }, { address: "fine@example.org" }] });
    const summary = await q.runQueue({ kind: "send", siteId: site.id, runner: "test", transport });
    expect(summary).toMatchObject({ sent: 1, failed: 1 });
    const bad = (await q.siteRows(site.id)).find((r) => r.recipient === "not an address")!;
    expect(bad).toMatchObject({ status: "error", retryable: false });
    expect(bad.lastError).toContain("malformed address");
    expect(smtp.received.map((m) => m.rcptTo[0])).toEqual(["fine@example.org"]);
  });

  it("sends every row with its own message when a pass lets go of finished batches and their content", async () => {
    // Batches of 20 (more than the 12 sends in flight) over a message of 50 rows and one of 10:
    // the first message is still needed by the batches after the one that loaded it, and one batch
    // holds the end of the first message and the whole second one.
    const site = await makeSite();
    const people = (tag: string, n: number) => Array.from({ length: n }, (_, i) => ({ address: `${tag}${i}@example.org` }));
    await q.enqueue({ siteId: site.id, message: message({ subject: "First" }), recipients: people("a", 50) });
    await q.enqueue({ siteId: site.id, message: message({ subject: "Second" }), recipients: people("b", 10) });
    const summary = await q.runQueue({ kind: "send", siteId: site.id, runner: "test", transport, batchSize: 20 });
    expect(summary).toMatchObject({ claimed: 60, sent: 60, failed: 0 });
    const subjects = await Promise.all(smtp.received.map(async (m) => [m.rcptTo[0], (await simpleParser(m.raw)).subject]));
    expect(Object.fromEntries(subjects)).toEqual(Object.fromEntries([...people("a", 50).map((p) => [p.address, "First"]), ...people("b", 10).map((p) => [p.address, "Second"])]));
  });
});

describe("Message-IDs", () => {
  it("differ between two databases whose ids both start at 1, and stay the same for one row", () => {
    const sent = { id: 1, fromAddress: "news@org.example", createdAt: new Date("2026-03-01T10:00:00Z") };
    const later = { ...sent, createdAt: new Date("2026-11-27T10:00:00Z") }; // message 1 of a new database
    expect(emailMessageId(sent, 1)).toBe(emailMessageId({ ...sent }, 1));
    expect(emailMessageId(later, 1)).not.toBe(emailMessageId(sent, 1));
    expect(emailMessageId(sent, 1)).toMatch(messageIdPattern(1, 1, "org.example"));
  });
});
