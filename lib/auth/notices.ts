import type { Site, User } from "@/db/schema";
import { isLocale, type Locale } from "@/lib/i18n/config";
import { fileMessages, messagesFor, translatorFor } from "@/lib/i18n/resolve";
import { plainTextToHtml } from "@/lib/mail/plain-html";
import { AUTOMATIC_HEADERS } from "@/lib/mail/automatic";
import { enqueue } from "@/lib/queue/enqueue";
import { hiddenContent } from "@/lib/queue/hidden-content";
import { siteBaseUrl, siteSender } from "@/lib/sites/url";

type Recipient = Pick<User, "id" | "email" | "name" | "locale">;

/**
 * A translated account email for one user, through the queue, in the user's own language.
 * `siteWording: false`: in the files' words, not the site's overrides (see requestPasswordReset).
 */
export async function sendAccountEmail(
  kind: "password_reset" | "password_changed",
  site: Site,
  user: Recipient,
  values: Record<string, string>,
  siteWording = true,
) {
  const locale: Locale = isLocale(user.locale) ? user.locale : isLocale(site.defaultLocale) ? site.defaultLocale : "fr";
  const ns = kind === "password_reset" ? "emails.passwordReset" : "emails.passwordChanged";
  await queueAccountEmail({
    kind,
    site,
    to: { address: user.email, name: user.name, locale },
    subject: `${ns}.subject`,
    text: `${ns}.text`,
    values: { site: site.name, name: user.name || user.email, ...values },
    siteWording,
  });
}

/** One translated email (subject and text keys) to one address, text and simple HTML. */
export async function queueAccountEmail(email: {
  kind: string;
  site: Site;
  to: { address: string; name: string; locale: Locale };
  subject: string;
  text: string;
  values: Record<string, string | number>;
  siteWording?: boolean;
}) {
  const { kind, site, to, values } = email;
  const t = translatorFor(to.locale, email.siteWording === false ? fileMessages(to.locale) : await messagesFor(to.locale, site));
  const text = t(email.text, values);
  await enqueue({
    siteId: site.id,
    message: {
      kind,
      // The subject is listed and exported by the queue screen: a site's override that names
      // {url} must not put a reset link there.
      subject: t(email.subject, hiddenContent(kind) ? { ...values, url: "" } : values),
      text,
      html: plainTextToHtml(text, to.locale),
      headers: AUTOMATIC_HEADERS,
      ...siteSender(site),
    },
    recipients: [{ address: to.address, name: to.name, locale: to.locale }],
  });
}

export async function sendPasswordChangedNotice(site: Site, user: Recipient) {
  await sendAccountEmail("password_changed", site, user, { url: `${siteBaseUrl(site)}/${user.locale}/forgot-password` });
}
