import { sql } from "drizzle-orm";
import { db } from "@/db/client";
import { sites } from "@/db/schema";
import { env } from "@/lib/env";
import { openSecret } from "@/lib/secrets";
import { E164 } from "./url";

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
 * An SMS received on the SMS account at `url`: when it is an opt-out keyword, its sender leaves
 * the SMS sends of every site that sends through that account; START takes that back. Returns
 * the sites it applied to.
 */
export async function handleInboundSms(url: string, sms: { from: string; text: string }): Promise<number[]> {
  const keyword = optOutKeyword(sms.text);
  const backIn = BACK_IN.has(asKeyword(sms.text));
  if (!keyword && !backIn) {
    console.info(`[sms] inbound SMS from ${sms.from} is not an opt-out keyword; nothing to do`);
    return [];
  }
  if (!E164.test(sms.from)) {
    console.warn(`[sms] opt-out "${keyword}" from ${sms.from}: not an international number, not recorded`);
    return [];
  }
  const siteIds = (await db.select({ id: sites.id, smsUrl: sites.smsUrl }).from(sites))
    .filter((s) => (openSecret(s.smsUrl) || env.SMS_URL) === url)
    .map((s) => s.id);
  if (siteIds.length === 0) return [];
  if (backIn) {
    await db.execute(sql`
      delete from sms_opt_outs where phone = ${sms.from} and site_id in (select value::int from jsonb_array_elements_text(${JSON.stringify(siteIds)}::jsonb))`);
    console.info(`[sms] ${sms.from} asked for SMS again ("START") for site(s) ${siteIds.join(", ")}`);
    return siteIds;
  }
  await db.execute(sql`
    insert into sms_opt_outs (site_id, phone, keyword)
    select value::int, ${sms.from}, ${keyword} from jsonb_array_elements_text(${JSON.stringify(siteIds)}::jsonb)
    on conflict (site_id, phone) do update set keyword = excluded.keyword, received_at = now()`);
  console.info(`[sms] ${sms.from} opted out of SMS ("${keyword}") for site(s) ${siteIds.join(", ")}`);
  return siteIds;
}
