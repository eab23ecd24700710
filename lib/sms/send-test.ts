import type { Site } from "@/db/schema";
import { ActionError } from "@/lib/actions/errors";
import { enqueue, InvalidRecipientsError } from "@/lib/queue/enqueue";

/**
 * The SMS source address a site's messages carry: its own setting, or empty — the transport then
 * uses the sender of its URL (`?source=` for SMPP, `?from=` for Twilio), else the account's
 * default at the SMSC.
 */
export function smsSender(site: Pick<Site, "smsSender">): string {
  return site.smsSender.trim();
}

/**
 * "Send a test SMS" from the queue screen: one row in the queue like any other SMS, so the
 * person sees it go from pending to sent (and delivered, with an SMSC that sends receipts).
 */
export async function sendTestSms(site: Site, input: { to: string; text: string; by: string }) {
  try {
    const { messageId } = await enqueue({
      siteId: site.id,
      channel: "sms",
      message: { kind: "sms_test", subject: "", text: input.text, fromName: "", fromAddress: smsSender(site), headers: { "X-Chora-Requested-By": input.by } },
      recipients: [{ address: input.to }],
    });
    return { messageId };
  } catch (error) {
    if (error instanceof InvalidRecipientsError) throw new ActionError({ key: "errors.invalidPhone", values: { number: input.to } }, "to");
    throw error;
  }
}
