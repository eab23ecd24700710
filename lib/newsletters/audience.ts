import type { SQL } from "drizzle-orm";
import { db } from "@/db/client";
import type { TemplateChannel } from "@/db/schema";
import { emailAudienceRows, emailCount } from "./email-audience";
import { smsAudienceRows } from "./sms-audience";
import { smsCount } from "./sms-audience-count";

// Who a send reaches. The rules are SQL conditions written once (audience-conditions.ts); the
// send builds its rows from them (email-audience.ts, sms-audience.ts) and the send dialog counts
// and prices the same people without building the rows (emailCount, sms-audience-count.ts).

export { smsAudienceCost } from "./sms-audience-count";

/**
 * Who a send reaches. An SMS send (`channel: "sms"`) reads pasted national numbers in `country`.
 * `readers`: only the groups' subscribers who read that language, a subscription whose language
 * is unknown counting as `siteLocale` (pasted recipients were chosen by hand: they always are).
 */
export type AudienceSpec = {
  siteId: number;
  groupIds: number[];
  pasted: string;
  channel?: TemplateChannel;
  country?: string;
  readers?: string | null;
  siteLocale?: string;
};

/** How many distinct recipients (addresses, or numbers for SMS) a send would have now (shown before anything is queued). */
export const countAudience = (spec: AudienceSpec): Promise<number> => (spec.channel === "sms" ? smsCount(spec) : emailCount(spec));

/**
 * The recipients as the queue's bulk enqueue wants them: (recipient, recipient_name, locale,
 * variables); an email's with each person's unsubscribe URL (every candidate is given a token
 * first, in `tx`), an SMS's number in E.164.
 */
export async function audienceRows(spec: AudienceSpec, unsubscribeBase: string, tx: Pick<typeof db, "execute"> = db): Promise<SQL> {
  return spec.channel === "sms" ? smsAudienceRows(spec) : emailAudienceRows(spec, unsubscribeBase, tx);
}
