import { recordTwilioStatus, twilioReply, verifiedTwilioCall } from "@/lib/sms/twilio-callback";
import { TWILIO_STATUS_PATH } from "@/lib/sms/twilio";

/**
 * Twilio's status callback for the SMS a site sent (the transport gives Twilio this URL). No
 * session: the X-Twilio-Signature header is its only authentication (verifiedTwilioCall). 404:
 * the site does not send through Twilio; 400: not a status callback form; 403: missing or wrong
 * signature; 204 otherwise, including for an id this installation does not know (Twilio retries
 * anything else, and there is nothing it could do better).
 */
export async function POST(request: Request) {
  const call = await verifiedTwilioCall(request, TWILIO_STATUS_PATH);
  if (!call.ok) return call.response;
  const { params, site } = call;
  const outcome = await recordTwilioStatus(params, site.id);
  if (outcome === "malformed") return twilioReply(400);
  if (outcome === "early") {
    console.warn(`[sms] twilio ${params.MessageStatus || params.SmsStatus} for ${params.MessageSid || params.SmsSid} matches no sent SMS (unknown id, not recorded sent yet, or already final); kept`);
  }
  return twilioReply(204);
}
