import os from "node:os";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { simpleParser } from "mailparser";
import { classifySendError } from "@/lib/mail/classify";
import { smtpTransport } from "@/lib/mail/transport";
import { startSmtpServer, type SmtpHarness } from "../helpers/smtp";

// smtpTransport runs nodemailer on a worker thread: what a message carries and what a failure
// says must cross that thread intact.
let smtp: SmtpHarness;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.close());
beforeEach(() => smtp.reset());

const meta = { siteId: 1, queueId: 1 };

describe("the pooled SMTP transport on its worker thread", () => {
  it("delivers binary attachments byte for byte and returns the Message-ID", async () => {
    const transport = smtpTransport(smtp.url, 2);
    const bytes = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7) % 256));
    try {
      const result = await transport.send(
        {
          messageId: "<attach.1@example.org>",
          from: "sender@example.org",
          to: "reader@example.org",
          subject: "Minutes",
          text: "See attached.",
          attachments: [{ filename: "minutes.bin", contentType: "application/octet-stream", content: bytes }],
        },
        meta,
      );
      expect(result.providerMessageId).toBe("<attach.1@example.org>");
    } finally {
      transport.close();
    }
    const parsed = await simpleParser(smtp.received[0].raw);
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0].filename).toBe("minutes.bin");
    expect(Buffer.compare(parsed.attachments[0].content, bytes)).toBe(0);
  });

  it("keeps the server's reply code on a refusal, so 4xx is retried and 5xx is not", async () => {
    smtp.failAlways("gone@example.org", 550);
    smtp.failFirst("busy@example.org", 1, 451);
    const transport = smtpTransport(smtp.url, 1);
    const send = (to: string) => transport.send({ from: "sender@example.org", to, subject: "s", text: "t" }, meta);
    try {
      const permanent = await send("gone@example.org").then(() => null, (e: unknown) => e);
      expect(permanent).toMatchObject({ responseCode: 550 });
      expect(classifySendError(permanent)).toMatchObject({ transient: false, code: 550 });
      const transient = await send("busy@example.org").then(() => null, (e: unknown) => e);
      expect(classifySendError(transient)).toMatchObject({ transient: true, code: 451 });
      await send("busy@example.org"); // accepted the second time
    } finally {
      transport.close();
    }
    expect(smtp.received.map((m) => m.rcptTo)).toEqual([["busy@example.org"]]);
  });

  it("reports a refused login as transient: the settings are wrong, not the address", async () => {
    const guarded = await startSmtpServer({ login: { user: "chora", pass: "right" } });
    const transport = smtpTransport(guarded.url.replace("smtp://", "smtp://chora:wrong@"), 1);
    try {
      const error = await transport.send({ from: "sender@example.org", to: "a@example.org", subject: "s", text: "t" }, meta).then(() => null, (e: unknown) => e);
      expect(error).toMatchObject({ code: "EAUTH", responseCode: 535 });
      expect(classifySendError(error)).toMatchObject({ transient: true, code: 535 });
    } finally {
      transport.close();
      await guarded.close();
    }
    expect(guarded.received).toEqual([]);
  });

  it("reports a server that is down as a transient connection failure", async () => {
    const down = await startSmtpServer();
    await down.stop();
    const transport = smtpTransport(down.url, 1);
    try {
      const error = await transport.send({ from: "sender@example.org", to: "a@example.org", subject: "s", text: "t" }, meta).then(() => null, (e: unknown) => e);
      expect(classifySendError(error)).toMatchObject({ transient: true });
      expect((error as { code?: string }).code).toMatch(/^E/);
    } finally {
      transport.close();
      await down.close();
    }
  });

  it("answers every send still in flight when closed, and sends nothing twice", async () => {
    smtp.setDataDelay(150);
    const transport = smtpTransport(smtp.url, 2);
    const sends = ["a", "b", "c", "d"].map((n) => transport.send({ from: "sender@example.org", to: `${n}@example.org`, subject: n, text: n }, meta));
    await new Promise((r) => setTimeout(r, 50)); // the worker has them; the server is answering slowly
    transport.close();
    const results = await Promise.allSettled(sends);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
    expect(smtp.received.map((m) => m.rcptTo[0]).sort()).toEqual(["a@example.org", "b@example.org", "c@example.org", "d@example.org"]);
  });

  it("builds a message before choosing its worker, so a close meanwhile loses nothing", async () => {
    const transport = smtpTransport(smtp.url, 1);
    await transport.send({ from: "sender@example.org", to: "first@example.org", subject: "1", text: "1" }, meta);
    // The attachment is read while the transport is closed: the send must still complete.
    const slow = transport.send(
      { from: "sender@example.org", to: "late@example.org", subject: "2", text: "2", attachments: [{ filename: "a.txt", path: "data:text/plain;base64,aGVsbG8=" }] },
      meta,
    );
    transport.close();
    await expect(slow).resolves.toMatchObject({ providerMessageId: expect.any(String) });
    transport.close();
    expect(smtp.received.map((m) => m.rcptTo[0])).toEqual(["first@example.org", "late@example.org"]);
  });

  it("refuses to start without its worker file, before any row is claimed", async () => {
    const cwd = process.cwd();
    process.chdir(os.tmpdir());
    try {
      expect(() => smtpTransport(smtp.url, 1)).toThrow(/smtp-worker\.mjs is missing/);
    } finally {
      process.chdir(cwd);
    }
  });

  it("starts a fresh worker when used again after close()", async () => {
    const transport = smtpTransport(smtp.url, 1);
    await transport.send({ from: "sender@example.org", to: "one@example.org", subject: "1", text: "1" }, meta);
    transport.close();
    await transport.send({ from: "sender@example.org", to: "two@example.org", subject: "2", text: "2" }, meta);
    transport.close();
    expect(smtp.received.map((m) => m.rcptTo[0])).toEqual(["one@example.org", "two@example.org"]);
  });
});
