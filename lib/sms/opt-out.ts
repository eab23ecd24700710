import { sql } from "drizzle-orm";
import { db } from "@/db/client";
import { sites, type SmsOptOutSource } from "@/db/schema";
import { normalizePhone } from "./phone";
import { siteSmsUrl } from "./site-sms-url";
import { parseSmppUrl } from "./url";

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

/**
 * The account an SMS URL logs in to: two sites with the same SMPP login share the replies the
 * SMSC sends, whatever their `?source=` or spelling of the port.
 */
function smsAccount(url: string): string {
  if (!url.startsWith("smpp")) return url;
  try {
    const { host, port, tls, systemId } = parseSmppUrl(url);
    return `smpp${tls ? "s" : ""}://${systemId}@${host.toLowerCase()}:${port}`;
  } catch {
    return url;
  }
}

/**
 * An SMS received on the SMS account at `url`: when it is an opt-out keyword, its sender leaves
 * the SMS sends of every site that sends through that account; START takes that back. A national
 * number is read in each site's country. Returns the sites it applied to.
 */
export async function handleInboundSms(url: string, sms: { from: string; text: string }): Promise<number[]> {
  const keyword = optOutKeyword(sms.text);
  const backIn = BACK_IN.has(asKeyword(sms.text));
  if (!keyword && !backIn) return [];
  const account = smsAccount(url);
  const targets: { siteId: number; phone: string }[] = [];
  for (const site of await db.select({ id: sites.id, smsUrl: sites.smsUrl, defaultCountry: sites.defaultCountry }).from(sites)) {
    const found = siteSmsUrl(site);
    if (!found.ok || !found.url || smsAccount(found.url) !== account) continue;
    const phone = normalizePhone(sms.from, site.defaultCountry); // +E.164 as is, a national number in the site's country
    if (phone.ok) targets.push({ siteId: site.id, phone: phone.e164 });
  }
  if (targets.length === 0) {
    console.warn(`[sms] "${keyword ?? "START"}" reply from ${sms.from}: no site sends through this account with a number to match; ignored`);
    return [];
  }
  if (backIn) {
    await db.execute(sql`delete from sms_opt_outs o using ${asTable(targets)} where o.site_id = t.site_id and o.phone = t.phone`);
  } else {
    await recordOptOuts(targets, keyword!, "reply");
  }
  const siteIds = targets.map((t) => t.siteId);
  console.info(`[sms] ${backIn ? "START" : `"${keyword}"`} reply applied to site(s) ${siteIds.join(", ")}`);
  return siteIds;
}

/** Records (or refreshes) opt-outs: each number leaves its site's SMS sends to groups. */
export async function recordOptOuts(targets: { siteId: number; phone: string }[], keyword: string, source: SmsOptOutSource) {
  if (targets.length === 0) return;
  await db.execute(sql`
    insert into sms_opt_outs (site_id, phone, keyword, source)
    select t.site_id, t.phone, ${keyword}, ${source} from ${asTable(targets)}
    on conflict (site_id, phone) do update set keyword = excluded.keyword, source = excluded.source, received_at = now()`);
}

/** (site, number) pairs as a table `t(site_id, phone)` for one statement. */
const asTable = (targets: { siteId: number; phone: string }[]) =>
  sql`jsonb_to_recordset(${JSON.stringify(targets.map((t) => ({ site_id: t.siteId, phone: t.phone })))}::jsonb) as t(site_id int, phone text)`;
