import { sql } from "drizzle-orm";
import { db, type Database, type Transaction } from "@/db/client";
import { sites, type SmsOptOutSource, type SmsReplyAction } from "@/db/schema";
import { joinSmsPart, staleMessageKeys, takeStaleMessage, type TakenMessage } from "./inbound-parts";
import { conversationKey, storeReply } from "./keep-reply";
import { isPhoneLike, normalizeSender } from "./phone";
import type { SmsPartInfo } from "./smpp";
import { siteSmsUrl } from "./site-sms-url";
import { parseSmppUrl, parseTwilioUrl } from "./url";

/**
 * Replies that mean "no more SMS", compared after upper-casing and dropping accents, spaces and
 * punctuation. French marketing SMS must offer "STOP SMS" (and operators' "STOP au 36xxx");
 * the English words are the ones carriers and providers honour.
 */
const KEYWORDS = new Set(["STOP", "STOPSMS", "STOPALL", "ARRET", "DESABONNER", "DESINSCRIRE", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"]);
/** Replies that take a STOP back: the person asks for SMS again. */
const BACK_IN = new Set(["START", "UNSTOP", "REPRISE"]);

const asKeyword = (text: string) =>
  text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toUpperCase()
    .replace(/[^A-Z]/g, "");

/** The opt-out keyword `text` is, or null ("Stop!", "stop sms" and "Arrêt" count; "stop by tomorrow" does not). */
export function optOutKeyword(text: string): string | null {
  const word = asKeyword(text);
  return KEYWORDS.has(word) ? word : null;
}

/** What an inbound SMS asks: to leave (with the keyword it used), to come back, or nothing. */
export type SmsReply = { optOut: string } | { backIn: true } | null;

/** The request a reply's text makes, read through the keywords above. */
export function smsReply(text: string): SmsReply {
  const keyword = optOutKeyword(text);
  if (keyword) return { optOut: keyword };
  return BACK_IN.has(asKeyword(text)) ? { backIn: true } : null;
}

/**
 * The account an SMS URL logs in to: two sites with the same SMPP login share the replies the
 * SMSC sends, whatever their `?source=` or spelling of the port. Twilio keeps opt-outs per
 * account and sender, so a Twilio site's account is its SID and the sender it sends from (the
 * site's own `sender`, else the URL's `?from=`): neither the auth token nor the host counts.
 */
export function smsAccount(url: string, sender = ""): string {
  try {
    if (url.startsWith("twilio:")) {
      const { accountSid, from } = parseTwilioUrl(url);
      return twilioAccount(accountSid, sender.trim() || from || "");
    }
    if (!url.startsWith("smpp")) return url;
    const { host, port, tls, systemId } = parseSmppUrl(url);
    return `smpp${tls ? "s" : ""}://${systemId}@${host.toLowerCase()}:${port}`;
  } catch {
    return url;
  }
}

/** smsAccount's key for a Twilio account and sender ("+33 7 00…" and "+337 00…" are one number). */
export const twilioAccount = (accountSid: string, sender: string) =>
  `twilio://${accountSid}/${isPhoneLike(sender) ? sender.replace(/[^\d+]/g, "") : sender.trim()}`;

/**
 * An SMS received on the SMS account at `url`, written to `to`: kept in the SMS replies of the
 * sites that send from `to` (of every site on the account when none does); when it is an opt-out
 * keyword, its sender also leaves the SMS sends of every site on the account, and START takes
 * that back. A national number is read in each site's country. Returns the sites that kept it.
 * The parts it completes, the reply and what it asks commit together: when storing fails, the
 * SMSC is told to deliver it again (smpp.ts), and finds its parts still waiting.
 */
export async function handleInboundSms(url: string, sms: { from: string; text: string; to?: string; part?: SmsPartInfo }): Promise<number[]> {
  const account = smsAccount(url);
  return db.transaction(async (tx) => {
    // The SMSC gives a single-part SMS no id: one delivered again is known by its text (keep-reply.ts).
    if (!sms.part) return applySmsReply(account, sms.from, smsReply(sms.text), sms.text, { to: sms.to, repeatByText: true }, tx);
    // One part of a long SMS: kept until the others arrive, then handled as one message.
    const { whole, abandoned } = await joinSmsPart(tx, account, { from: sms.from, to: sms.to ?? "", text: sms.text, part: sms.part });
    if (abandoned) await keepTaken(tx, abandoned, null);
    return whole ? keepTaken(tx, whole, smsReply(whole.text)) : [];
  });
}

/** Keeps a message joined from parts, in the transaction that took them. */
const keepTaken = (tx: Transaction, message: TakenMessage, reply: SmsReply) =>
  applySmsReply(message.key.account, message.key.sender, reply, message.text, { to: message.key.recipient }, tx);

/**
 * Long SMS whose last parts never came within PART_PATIENCE_MINUTES: kept with their gaps
 * marked (the retry pass's housekeeping calls this). Returns how many messages were kept.
 */
export async function keepIncompleteSms(): Promise<number> {
  let kept = 0;
  for (const key of await staleMessageKeys()) {
    try {
      // Taken and kept in one transaction: if keeping fails, the parts wait for the next pass.
      const message = await db.transaction(async (tx) => {
        const taken = await takeStaleMessage(tx, key);
        if (taken) await keepTaken(tx, taken, null);
        return taken;
      });
      if (message) kept++;
    } catch (error) {
      console.warn(`[sms] could not keep an incomplete long SMS from ${key.sender}; it will be tried again`, error);
    }
  }
  return kept;
}

/** The same sender written two ways ("+33 7 00…", "33700…", "ChoraNews" / "choranews"). */
const sameSender = (a: string, b: string) => {
  const digits = (x: string) => x.replace(/\D/g, "");
  return isPhoneLike(a) && isPhoneLike(b) ? digits(a) !== "" && digits(a) === digits(b) : a.trim().toLowerCase() === b.trim().toLowerCase();
};

/**
 * Records the SMS `text` from `from` for the sites whose SMS account (smsAccount) is `account`,
 * and applies `reply` (an opt-out or its undoing) to those that can read the sender as a number.
 * `to`: the number it was written to, so that a site on a shared login does not read another's
 * replies; `providerId`: the provider's id for it, and `repeatByText` when it has none, so that
 * a repeated delivery is kept once and does nothing more (storeReply). In `tx`, else in a
 * transaction of its own: the reply and what it does are stored together or not at all.
 */
export async function applySmsReply(
  account: string,
  from: string,
  reply: SmsReply,
  text: string,
  options: { to?: string; providerId?: string; repeatByText?: boolean } = {},
  tx?: Transaction,
): Promise<number[]> {
  if (!tx) return db.transaction((own) => applySmsReply(account, from, reply, text, options, own));
  const label = !reply ? "message" : "optOut" in reply ? `"${reply.optOut}"` : "START";
  const reached: { siteId: number; phone: string; number: boolean; sender: string }[] = [];
  for (const site of await tx.select({ id: sites.id, smsUrl: sites.smsUrl, smsSender: sites.smsSender, defaultCountry: sites.defaultCountry }).from(sites)) {
    const found = siteSmsUrl(site);
    if (!found.ok || !found.url || smsAccount(found.url, site.smsSender) !== account) continue;
    const sender = site.smsSender.trim() || siteUrlSender(found.url);
    // +E.164 as is, bare digits in the site's country first (smpp.ts leaves TON 0 to it here).
    const phone = normalizeSender(from, site.defaultCountry);
    reached.push(phone.ok ? { siteId: site.id, phone: phone.e164, number: true, sender } : { siteId: site.id, phone: from.trim().slice(0, 40), number: false, sender });
  }
  if (reached.length === 0) {
    console.warn(`[sms] ${label} reply from ${from}: no site sends through this account; ignored`);
    return [];
  }
  // The text goes only to the sites that send from the number it was written to.
  const addressed = options.to ? reached.filter((r) => r.sender && sameSender(r.sender, options.to!)) : [];
  const keepers = addressed.length ? addressed : reached;
  // An opt-out or its undoing only counts for a sender read as a number.
  const action = (r: { number: boolean }): SmsReplyAction | null => (reply && r.number ? ("optOut" in reply ? "opt_out" : "opt_in") : null);
  const rows = keepers.map((r) => ({ siteId: r.siteId, phone: r.phone, action: action(r) }));
  const conversation = conversationKey(account, from, options.to ?? "");
  if (!(await storeReply(tx, rows, text, { conversation, providerId: options.providerId, repeatByText: options.repeatByText }))) {
    // Delivered again: what it asked was done the first time, and a START since must stand.
    console.info(`[sms] ${label} reply from ${from} delivered again; kept once`);
    return keepers.map((r) => r.siteId);
  }
  const targets = reached.filter((r) => r.number);
  if (reply && targets.length) {
    if ("optOut" in reply) await recordOptOuts(targets, reply.optOut, "reply", tx);
    else await tx.execute(sql`delete from sms_opt_outs o using ${asTable(targets)} where o.site_id = t.site_id and o.phone = t.phone`);
    console.info(`[sms] ${label} reply applied to site(s) ${targets.map((t) => t.siteId).join(", ")}`);
  }
  return keepers.map((r) => r.siteId);
}

/** The sender a site's SMS URL names (`?source=` for SMPP, `?from=` for Twilio), or "". */
function siteUrlSender(url: string): string {
  try {
    return url.startsWith("twilio:") ? (parseTwilioUrl(url).from ?? "") : parseSmppUrl(url).source;
  } catch {
    return "";
  }
}

/** Records (or refreshes) opt-outs: each number leaves its site's SMS sends to groups. */
export async function recordOptOuts(targets: { siteId: number; phone: string }[], keyword: string, source: SmsOptOutSource, tx: Pick<Database, "execute"> = db) {
  if (targets.length === 0) return;
  await tx.execute(sql`
    insert into sms_opt_outs (site_id, phone, keyword, source)
    select t.site_id, t.phone, ${keyword}, ${source} from ${asTable(targets)}
    on conflict (site_id, phone) do update set keyword = excluded.keyword, source = excluded.source, received_at = now()`);
}

/**
 * A number the provider refused because it opted out there (Twilio 21610: it replied STOP to
 * that sender): out for every site that sends through the same account and sender, not only the
 * one whose send was refused, since the provider refuses them all. Each of them then leaves the
 * number out of its sends up front, instead of one refused send after another.
 */
export async function recordProviderOptOut(refusingSiteId: number, account: string, phone: string) {
  // The refusing site always: its own settings may have changed since the row was queued.
  const targets = [{ siteId: refusingSiteId, phone }];
  for (const site of await db.select({ id: sites.id, smsUrl: sites.smsUrl, smsSender: sites.smsSender }).from(sites)) {
    const found = siteSmsUrl(site);
    if (site.id !== refusingSiteId && found.ok && found.url && smsAccount(found.url, site.smsSender) === account) targets.push({ siteId: site.id, phone });
  }
  await recordOptOuts(targets, "STOP", "provider");
}

/** (site, number) pairs as a table `t(site_id, phone)` for one statement. */
const asTable = (targets: { siteId: number; phone: string }[]) =>
  sql`jsonb_to_recordset(${JSON.stringify(targets.map((t) => ({ site_id: t.siteId, phone: t.phone })))}::jsonb) as t(site_id int, phone text)`;
