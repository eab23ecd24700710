import { describe, expect, it } from "vitest";
import { plainTextToHtml } from "@/lib/mail/plain-html";

const body = (html: string) => /<body[^>]*>(.*)<\/body>/s.exec(html)![1];

describe("plainTextToHtml (account emails' HTML part)", () => {
  it("links a URL without the punctuation a sentence puts after it", () => {
    const url = "https://news.example.org/en/reset-password?token=2mw3oSOr8iWkK8u_N5Js";
    for (const [text, shown] of [
      [`open this link: ${url}.`, `open this link: <a href="${url}">${url}</a>.`],
      [`(valid 60 minutes: ${url})`, `(valid 60 minutes: <a href="${url}">${url}</a>)`],
      [`« ${url} »`, `« <a href="${url}">${url}</a> »`],
      [`${url}, then ${url};`, `<a href="${url}">${url}</a>, then <a href="${url}">${url}</a>;`],
      [`<${url}>`, `&lt;<a href="${url}">${url}</a>&gt;`],
    ]) {
      expect(body(plainTextToHtml(text, "en")), text).toBe(`<p>${shown}</p>`);
    }
    // A parenthesis the URL opened itself is part of it.
    expect(body(plainTextToHtml("see https://en.wikipedia.org/wiki/Chora_(Greece).", "en"))).toBe(
      '<p>see <a href="https://en.wikipedia.org/wiki/Chora_(Greece)">https://en.wikipedia.org/wiki/Chora_(Greece)</a>.</p>',
    );
  });

  it("escapes the text and the link, makes paragraphs of CRLF blank lines too, and names the language", () => {
    const html = plainTextToHtml("Hello <b>Ann</b> & co,\r\n\r\nline one\r\nline two\r\n\r\nhttps://x.example.org/?a=1&b=\"2\"", "fr");
    expect(html.startsWith('<!doctype html><html lang="fr"><head><meta charset="utf-8"></head>')).toBe(true);
    expect(body(html)).toBe(
      '<p>Hello &lt;b&gt;Ann&lt;/b&gt; &amp; co,</p><p>line one<br>line two</p><p><a href="https://x.example.org/?a=1&amp;b=">https://x.example.org/?a=1&amp;b=</a>&quot;2&quot;</p>',
    );
  });
});
