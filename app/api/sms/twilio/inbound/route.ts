import { EMPTY_TWIML, readTwilioForm, recordTwilioInbound, siteTwilioConfig, twilioSignedUrl } from "@/lib/sms/twilio-callback";
import { TWILIO_INBOUND_PATH, validTwilioSignature } from "@/lib/sms/twilio";
import { siteForHost } from "@/lib/sites/resolve";

const noStore = { "Cache-Control": "no-store" };
const reply = (status: number) => new Response(null, { status, headers: noStore });

/**
 * The SMS a site's Twilio number receives (an admin sets this URL as the number's "A message
 * comes in" webhook): STOP and START replies become SMS opt-outs, like SMPP replies. No session:
 * the X-Twilio-Signature header is Twilio's only authentication, so nothing is read or written
 * before it checks out. 404: the site does not send through Twilio; 400: not an inbound SMS form
 * (or another account's); 403: missing or wrong signature; otherwise 200 with empty TwiML, so
 * Twilio answers nothing beyond its own STOP confirmation.
 */
export async function POST(request: Request) {
  const site = await siteForHost(request.headers.get("host"));
  const twilio = siteTwilioConfig(site);
  if (!twilio) return reply(404);
  const params = await readTwilioForm(request);
  if (!params) return reply(400);
  const signed = twilioSignedUrl(site, TWILIO_INBOUND_PATH, request.url);
  if (!validTwilioSignature(twilio.authToken, request.headers.get("x-twilio-signature"), signed, params)) return reply(403);

  if ((await recordTwilioInbound(params, site, twilio)) === "malformed") return reply(400);
  return new Response(EMPTY_TWIML, { status: 200, headers: { ...noStore, "Content-Type": "text/xml" } });
}
