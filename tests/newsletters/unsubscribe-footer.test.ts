import { describe, expect, it } from "vitest";
import type { MessageTemplate } from "@/db/schema";
import { setOverride } from "@/lib/i18n/overrides";
import { newsletterContent, renderFor, unsubscribeLabel } from "@/lib/newsletters/render";
import { makeSite } from "../helpers/factories";

const template = (fields: Partial<MessageTemplate>) =>
  ({ id: 1, siteId: 1, name: "T", channel: "email", subject: "News", html: "<p>Hello {{name|friend}}, big news!</p>", text: "", textEdited: false, fromName: "", fromAddress: "", replyTo: null, groupIds: [1], audienceLocale: null, pastedRecipients: "", ...fields }) as MessageTemplate;
const reader = { email: "ann@example.org", name: "Ann", unsubscribeUrl: "https://news.example.org/api/unsubscribe/tok-ann" };

describe("a newsletter always says where to unsubscribe", () => {
  it("adds the recipient's own link at the bottom of a template that has none, in the site's language", async () => {
    const site = await makeSite({ domain: "news.example.org", name: "Les Amis", defaultLocale: "fr" });
    const shown = await renderFor(site, template({}), reader);
    expect(shown.html).toBe('<p>Hello Ann, big news!</p>\n<p style="margin-top:2em;font-size:12px;color:#555"><a href="https://news.example.org/api/unsubscribe/tok-ann">Se désabonner</a></p>');
    expect(shown.text).toContain("Hello Ann, big news!");
    expect(shown.text).toContain("Se désabonner [https://news.example.org/api/unsubscribe/tok-ann]");

    // A whole document pasted in gets it inside its body.
    const page = await renderFor(site, template({ html: "<html><body><p>Hi</p></BODY></html>" }), reader);
    expect(page.html).toBe('<html><body><p>Hi</p><p style="margin-top:2em;font-size:12px;color:#555"><a href="https://news.example.org/api/unsubscribe/tok-ann">Se désabonner</a></p>\n</BODY></html>');
    // A site's own wording of the link is used.
    await setOverride(site.id, "fr", "emails.newsletter.unsubscribe", "Ne plus recevoir nos nouvelles");
    expect((await renderFor(site, template({}), reader)).html).toContain(">Ne plus recevoir nos nouvelles</a>");
  });

  it("words the link in the language the template is for, not the site's", async () => {
    const site = await makeSite({ defaultLocale: "fr" });
    const english = await renderFor(site, template({ audienceLocale: "en" }), reader);
    expect(english.html).toContain('<a href="https://news.example.org/api/unsubscribe/tok-ann">Unsubscribe</a>');
    expect(english.text).toContain("Unsubscribe [https://news.example.org/api/unsubscribe/tok-ann]");
    expect(english.html).not.toContain("désabonner");
  });

  it("leaves a template that has its link as written; a text edited by hand without it gets it too", async () => {
    const site = await makeSite({ defaultLocale: "en" });
    const own = template({ html: '<p>Hi</p><p><a href="{{ unsubscribe_url }}">Leave</a></p>' });
    expect((await renderFor(site, own, reader)).html).toBe('<p>Hi</p><p><a href="https://news.example.org/api/unsubscribe/tok-ann">Leave</a></p>');
    const edited = await renderFor(site, template({ html: own.html, textEdited: true, text: "Hi {{name}}\n" }), reader);
    expect(edited.html).not.toContain("Unsubscribe");
    expect(edited.text).toBe("Hi Ann\n\nUnsubscribe: https://news.example.org/api/unsubscribe/tok-ann");
  });

  it("carries the list headers: one-click unsubscribe, List-Id under the site's domain, bulk precedence", async () => {
    const site = await makeSite({ domain: "friends.example.org", name: 'The "Friends"' });
    const content = newsletterContent(site, template({}), null, await unsubscribeLabel(site, template({})));
    expect(content.headers).toEqual({
      "List-Unsubscribe": "<{{unsubscribe_url}}>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      "List-Id": '"The Friends" <news.friends.example.org>',
      Precedence: "bulk",
    });
  });
});
