import type { Site } from "@/db/schema";
import { ActionError } from "@/lib/actions/errors";
import { enqueue, InvalidRecipientsError } from "@/lib/queue/enqueue";

/** The SMS source address of a site: its own, else its name as an alphanumeric sender (≤ 11 characters). */
export function smsSender(site: Pick<Site, "smsSender" | "name">): string {
  return site.smsSender.trim() || site.name.replace(/[^A-Za-z0-9 ]/g, "").trim().slice(0, 11) || "chora";
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
