import type { Site } from "@/db/schema";
import { ActionError } from "@/lib/actions/errors";
import { enqueue, InvalidRecipientsError, type MessageContent } from "@/lib/queue/enqueue";
import { invalidPhoneProblem } from "./phone-field";

/**
 * The SMS source address a site's messages carry: its own setting, or empty — the transport then
 * uses the sender of its URL (`?source=` for SMPP, `?from=` for Twilio), else the account's
 * default at the SMSC.
 */
export function smsSender(site: Pick<Site, "smsSender">): string {
  return site.smsSender.trim();
}

/**
 * One SMS to one typed number, through the queue like any other. An invalid number is refused
 * on the form's `to` field, naming it as typed and the country it was read in (in `locale`, the
 * reader's): the queue screen's test and a template's test.
 * With `tx`, the caller notifies the runners once it has committed (see `enqueue`).
 */
export async function enqueueOneSms(siteId: number, message: MessageContent, to: string, locale: string, tx?: Parameters<typeof enqueue>[0]["tx"]) {
  try {
    return await enqueue({ siteId, channel: "sms", message, recipients: [{ address: to }], tx });
  } catch (error) {
    if (error instanceof InvalidRecipientsError) throw new ActionError(invalidPhoneProblem(to.trim(), error.country, locale), "to");
    throw error;
  }
}

/**
 * "Send a test SMS" from the queue screen: one row in the queue like any other SMS, so the
 * person sees it go from pending to sent (and delivered, with an SMSC that sends receipts).
 */
export async function sendTestSms(site: Site, input: { to: string; text: string; by: string }, locale: string) {
  const message = { kind: "sms_test", subject: "", text: input.text, fromName: "", fromAddress: smsSender(site), headers: { "X-Chora-Requested-By": input.by } };
  const { messageId } = await enqueueOneSms(site.id, message, input.to, locale);
  return { messageId };
}
