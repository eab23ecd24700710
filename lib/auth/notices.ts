import type { Site, User } from "@/db/schema";
import { isLocale, type Locale } from "@/lib/i18n/config";
import { messagesFor, translatorFor } from "@/lib/i18n/resolve";
import { enqueue } from "@/lib/queue/enqueue";
import { hiddenContent } from "@/lib/queue/hidden-content";
import { siteBaseUrl, siteSender } from "@/lib/sites/url";

type Recipient = Pick<User, "id" | "email" | "name" | "locale">;

/** A translated account email for one user, through the queue, in the user's own language. */
export async function sendAccountEmail(kind: "password_reset" | "password_changed", site: Site, user: Recipient, values: Record<string, string>) {
  const locale: Locale = isLocale(user.locale) ? user.locale : isLocale(site.defaultLocale) ? site.defaultLocale : "fr";
  const t = translatorFor(locale, await messagesFor(locale, site));
  const ns = kind === "password_reset" ? "emails.passwordReset" : "emails.passwordChanged";
  const all = { site: site.name, name: user.name || user.email, ...values };
  const text = t(`${ns}.text`, all);
  await enqueue({
    siteId: site.id,
    message: {
      kind,
      // The subject is listed and exported by the queue screen: a site's override that names
      // {url} must not put a reset link there.
      subject: t(`${ns}.subject`, hiddenContent(kind) ? { ...all, url: "" } : all),
      text,
      html: textToHtml(text),
      ...siteSender(site),
    },
    recipients: [{ address: user.email, name: user.name, locale }],
  });
}

export async function sendPasswordChangedNotice(site: Site, user: Recipient) {
  await sendAccountEmail("password_changed", site, user, { url: `${siteBaseUrl(site)}/${user.locale}/forgot-password` });
}

/** Plain paragraphs and links: account emails need no design, only to read well everywhere. */
function textToHtml(text: string) {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
  const paragraphs = text.split(/\n{2,}/).map((p) =>
    esc(p)
      .replace(/https?:\/\/\S+/g, (url) => `<a href="${url}">${url}</a>`)
      .replace(/\n/g, "<br>"),
  );
  return `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">${paragraphs.map((p) => `<p>${p}</p>`).join("")}</body></html>`;
}
