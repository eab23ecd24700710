import { createHash, createVerify, generateKeyPairSync } from "node:crypto";
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
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
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
    // The signature verifies against the bytes that arrived (the message is built on one thread
    // and signed on the SMTP worker's): a receiver would accept it.
    expect(verifyRelaxedDkim(raw, publicKey)).toBe(true);
  });
});

/** DKIM verification (RFC 6376) for c=relaxed/relaxed, a=rsa-sha256: body hash, then signature. */
function verifyRelaxedDkim(raw: string, publicKey: string): boolean {
  const split = raw.indexOf("\r\n\r\n");
  const headerLines = raw.slice(0, split).split(/\r\n(?![ \t])/);
  const body = raw.slice(split + 4);
  const fields = headerLines.map((line) => {
    const colon = line.indexOf(":");
    return { name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1) };
  });
  const relaxed = (f: { name: string; value: string }) => `${f.name}:${f.value.replace(/\r\n/g, "").replace(/[ \t]+/g, " ").trim()}`;
  const dkim = fields.find((f) => f.name === "dkim-signature")!;
  const tags = Object.fromEntries(dkim.value.replace(/\s+/g, "").split(";").filter(Boolean).map((t) => [t.slice(0, t.indexOf("=")), t.slice(t.indexOf("=") + 1)]));
  if (tags.c !== "relaxed/relaxed" || tags.a !== "rsa-sha256") throw new Error(`unexpected DKIM parameters c=${tags.c} a=${tags.a}`);

  const canonicalBody = body.split("\r\n").map((l) => l.replace(/[ \t]+/g, " ").replace(/ $/, "")).join("\r\n").replace(/(\r\n)*$/, "") + "\r\n";
  if (createHash("sha256").update(canonicalBody).digest("base64") !== tags.bh) return false;

  // Each signed name takes the last unused field of that name, bottom up (RFC 6376 §5.4.2).
  const used = new Set<number>();
  const signedFields = tags.h.toLowerCase().split(":").flatMap((name: string) => {
    for (let i = fields.length - 1; i >= 0; i--) {
      if (fields[i].name === name && !used.has(i)) {
        used.add(i);
        return [relaxed(fields[i]) + "\r\n"];
      }
    }
    return [];
  });
  const unsignedDkim = relaxed({ name: "dkim-signature", value: dkim.value.replace(/(\bb=)[^;]*/, "$1") });
  return createVerify("RSA-SHA256").update(signedFields.join("") + unsignedDkim).verify(publicKey, tags.b, "base64");
}
