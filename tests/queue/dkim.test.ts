import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composeEmail } from "@/lib/mail/compose";
import { DKIM_HEADERS, smtpTransport } from "@/lib/mail/transport";
import type { OutboundMessage } from "@/db/schema";
import { startSmtpServer, type SmtpHarness } from "../helpers/smtp";

let smtp: SmtpHarness;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.close());

describe("DKIM", () => {
  it("signs List-Unsubscribe and List-Unsubscribe-Post (RFC 8058 §4), which nodemailer's defaults omit", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const transport = smtpTransport(smtp.url, 1, { domainName: "example.org", keySelector: "mail", privateKey, headerFieldNames: DKIM_HEADERS });
    const message = {
      id: 7,
      subject: "News",
      text: "Hello",
      html: null,
      fromName: "Org",
      fromAddress: "news@example.org",
      replyTo: null,
      headers: { "List-Unsubscribe": "<{{unsubscribe_url}}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
      attachments: [],
    } as unknown as OutboundMessage;
    try {
      await transport.send(composeEmail(message, { id: 3, recipient: "r@example.org", recipientName: "", variables: { unsubscribe_url: "https://example.org/api/unsubscribe/abc" } }), { siteId: 1, queueId: 3 });
    } finally {
      transport.close();
    }
    const raw = smtp.received[0].raw;
    expect(raw).toContain("List-Unsubscribe: <https://example.org/api/unsubscribe/abc>");
    const signature = /^DKIM-Signature:([\s\S]*?)\r\n(?![ \t])/m.exec(raw)![1].replace(/\s+/g, "");
    expect(signature).toContain("d=example.org");
    expect(signature).toContain("s=mail");
    const signed = /(?:^|;)h=([^;]+)/.exec(signature)![1].toLowerCase().split(":");
    expect(signed).toEqual(expect.arrayContaining(["from", "subject", "message-id", "list-unsubscribe", "list-unsubscribe-post"]));
  });
});
