import { describe, expect, it } from "vitest";
import { fillPlaceholders } from "@/lib/mail/compose";
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
    expect(unknownPlaceholders("{{nom|ami}} {{|x}}")).toEqual(["nom", "{{}}"]);
    expect(fillSendPlaceholders("{{site_name|us}} {{name|friend}} {{constructor}}", { site_name: "Chora", site_url: "https://x" })).toBe("Chora {{name|friend}} {{constructor}}");
  });
});
