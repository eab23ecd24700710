import { describe, expect, it } from "vitest";
import { composeEmail, fillPlaceholders } from "@/lib/mail/compose";
import type { OutboundMessage } from "@/db/schema";
import { fillSendPlaceholders, unknownPlaceholders } from "@/lib/newsletters/placeholders";

const html = (s: string) => s.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]!);

describe("placeholders with a fallback ({{name|friend}})", () => {
  it("give the value when there is one (escaped for HTML), else the fallback as the template wrote it", () => {
    const template = "<p>Dear {{ name | <b>friend</b> }},</p>";
    expect(fillPlaceholders(template, { name: "Ann & <Bob>" }, html)).toBe("<p>Dear Ann &amp; &lt;Bob&gt;,</p>");
    expect(fillPlaceholders(template, { name: "" }, html)).toBe("<p>Dear <b>friend</b>,</p>");
    // Without a fallback an empty value stays empty; an unknown placeholder stays as written.
    expect(fillPlaceholders("Hi {{name}}, {{nope|x}}", { name: "" })).toBe("Hi , {{nope|x}}");
    // An empty fallback is a choice too: "Hi{{name|}}" leaves nothing.
    expect(fillPlaceholders("Hi {{name|}}!", { name: "" })).toBe("Hi !");
  });

  it("are known by the name before the bar, and per-send ones are filled whatever their fallback", () => {
    expect(unknownPlaceholders("{{name|friend}} {{email}} {{site_name|us}}")).toEqual([]);
    expect(unknownPlaceholders("{{nom|ami}} {{|x}}")).toEqual(["{{nom}}", "{{}}"]);
    // Left open, a placeholder would go out as typed: quoted up to its line's end or 16 characters.
    expect(unknownPlaceholders("Hello {{ name, the meeting moves", "Hi {{name}} and {{email\nsee you")).toEqual(["{{ name, the mee…", "{{email"]);
    expect(unknownPlaceholders("{{name}} {{name}}", "{ {name} } and }}")).toEqual([]);
    expect(fillSendPlaceholders("{{site_name|us}} {{name|friend}} {{constructor}}", { site_name: "Chora", site_url: "https://x" })).toBe("Chora {{name|friend}} {{constructor}}");
  });
});

describe("placeholders inside a link", () => {
  const message = {
    id: 7,
    fromName: "",
    fromAddress: "news@example.org",
    replyTo: null,
    subject: "Hello {{name}}",
    html: '<p>{{name}}: <a href="https://example.org/form?e={{email}}&amp;n={{name}}">your form</a> <a href="{{unsubscribe_url}}">leave</a> <a href="mailto:{{email}}">me</a></p>',
    text: "{{name}}, your form: https://example.org/form?e={{email}}&n={{name}}\nLeave: {{unsubscribe_url}}",
    headers: { "List-Unsubscribe": "<{{unsubscribe_url}}>" },
    attachments: [],
  } as unknown as OutboundMessage;
  const row = { id: 1, recipient: "ann+news@example.org", recipientName: "Ann & Bob", variables: { unsubscribe_url: "https://example.org/u/t0k?x=1" } };

  it("are percent-encoded there, so an address's + and a name's & arrive as typed", () => {
    const mail = composeEmail(message, row);
    expect(mail.html).toContain('href="https://example.org/form?e=ann%2Bnews%40example.org&amp;n=Ann%20%26%20Bob"');
    expect(mail.text).toContain("https://example.org/form?e=ann%2Bnews%40example.org&n=Ann%20%26%20Bob");
    // After mailto: the address keeps its @ and + (RFC 6068).
    expect(mail.html).toContain('href="mailto:ann+news@example.org"');
    // Outside a URL, and a placeholder that is the whole URL, keep the value as it is.
    expect(mail.html).toContain("<p>Ann &amp; Bob: ");
    expect(mail.html).toContain('href="https://example.org/u/t0k?x=1"');
    expect(mail.text).toContain("Ann & Bob, your form");
    expect(mail.text).toContain("Leave: https://example.org/u/t0k?x=1");
    expect(mail.subject).toBe("Hello Ann & Bob");
    expect(mail.headers).toEqual({ "List-Unsubscribe": "<https://example.org/u/t0k?x=1>" });
  });

  it("per-send ones too", () => {
    expect(fillSendPlaceholders("{{site_url}}/news?from={{site_name}}", { site_name: "Les Amis", site_url: "https://amis.example.org" })).toBe("https://amis.example.org/news?from=Les%20Amis");
    // "Note:" is no URL: a colon alone does not make one.
    expect(fillPlaceholders("Note:{{name}}", { name: "Ann Bob" })).toBe("Note:Ann Bob");
  });

  it("keep a number's + after tel: and sms:, encode a mailto: query, and end a URL at html-to-text's bracket", () => {
    expect(fillPlaceholders("tel:{{phone}} sms:{{phone}}", { phone: "+33612345678" })).toBe("tel:+33612345678 sms:+33612345678");
    expect(fillPlaceholders("mailto:{{email}}?subject={{name}}", { email: "a+b@example.org", name: "Ann & Bob" })).toBe("mailto:a+b@example.org?subject=Ann%20%26%20Bob");
    expect(fillPlaceholders("Site [https://example.org/]{{name}}", { name: "Ann Bob" })).toBe("Site [https://example.org/]Ann Bob");
  });
});
