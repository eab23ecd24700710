import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifySendError } from "@/lib/mail/classify";
import { smtpTransport, type EmailTransport } from "@/lib/mail/transport";
import { errorReason } from "@/lib/queue/error-reason";
import { startSmtpServer, type SmtpHarness } from "../helpers/smtp";

// What the queue stores of a failed email (classifySendError's message, as sendOne records it),
// made for real by the pooled SMTP transport against a loopback server, then read back by
// errorReason.

let smtp: SmtpHarness;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.close());

const meta = { siteId: 1, queueId: 1 };

/** The error text a failed send leaves on its row. */
async function storedError(transport: EmailTransport, to: string): Promise<string> {
  const error = await transport.send({ from: "news@org.example", to, subject: "s", text: "t" }, meta).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `a send to ${to} should fail`).not.toBeNull();
  return classifySendError(error).message;
}

describe("SMTP failures read back as reasons", () => {
  it("the server's replies: unknown user, mailbox full, try later, refused by policy, refused for good", async () => {
    smtp.failAlways("gone@example.org", 550, "rcpt", "5.1.1 <gone@example.org>: Recipient address rejected: User unknown");
    smtp.failAlways("full@example.org", 452, "rcpt", "4.2.2 Mailbox full");
    smtp.failAlways("busy@example.org", 451, "rcpt");
    smtp.failAlways("spam@example.org", 550, "data", "5.7.1 Message rejected as spam");
    smtp.failAlways("nope@example.org", 554, "data");
    const transport = smtpTransport(smtp.url, 1);
    try {
      const seen: [string, string | undefined][] = [];
      for (const to of ["gone", "full", "busy", "spam", "nope"]) {
        const text = await storedError(transport, `${to}@example.org`);
        seen.push([text, errorReason(text)?.key]);
      }
      expect(seen).toEqual([
        ["550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown", "emailUnknownRecipient"],
        ["452 4.2.2 Mailbox full", "emailMailboxFull"],
        ["451 Try again later", "emailTemporary"],
        ["550 5.7.1 Message rejected as spam", "emailPolicy"],
        ["554 Mailbox unavailable", "emailRejected"],
      ]);
    } finally {
      transport.close();
    }
  });

  it("a login the server refuses", async () => {
    const guarded = await startSmtpServer({ login: { user: "chora", pass: "right" } });
    const transport = smtpTransport(guarded.url.replace("smtp://", "smtp://chora:wrong@"), 1);
    try {
      const text = await storedError(transport, "a@example.org");
      expect(text).toMatch(/^535 /);
      expect(errorReason(text)?.key).toBe("emailAuthFailed");
    } finally {
      transport.close();
      await guarded.close();
    }
  });

  it("a server that is down", async () => {
    const down = await startSmtpServer();
    await down.stop();
    const transport = smtpTransport(down.url, 1);
    try {
      const text = await storedError(transport, "a@example.org");
      expect(text).toMatch(/ECONNREFUSED/);
      expect(errorReason(text)?.key).toBe("emailServerUnreachable");
    } finally {
      transport.close();
      await down.close();
    }
  });
});
