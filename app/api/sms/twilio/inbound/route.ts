import { EMPTY_TWIML, recordTwilioInbound, twilioReply, verifiedTwilioCall } from "@/lib/sms/twilio-callback";
import { TWILIO_INBOUND_PATH } from "@/lib/sms/twilio";

/**
 * The SMS a site's Twilio number receives (an admin sets this URL as the number's "A message
 * comes in" webhook): STOP and START replies become SMS opt-outs, like SMPP replies. No session:
 * the X-Twilio-Signature header is Twilio's only authentication (verifiedTwilioCall). 404: the
 * site does not send through Twilio; 400: not an inbound SMS form (or another account's); 403:
 * missing or wrong signature; otherwise 200 with empty TwiML, so Twilio answers nothing beyond
 * its own STOP confirmation.
 */
export async function POST(request: Request) {
  const call = await verifiedTwilioCall(request, TWILIO_INBOUND_PATH);
  if (!call.ok) return call.response;
  if ((await recordTwilioInbound(call.params, call.site, call.twilio)) === "malformed") return twilioReply(400);
  return twilioReply(200, EMPTY_TWIML, "text/xml");
}
