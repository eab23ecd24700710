import { readTwilioForm, recordTwilioStatus, siteTwilioConfig, twilioSignedUrl } from "@/lib/sms/twilio-callback";
import { TWILIO_STATUS_PATH, validTwilioSignature } from "@/lib/sms/twilio";
import { siteForHost } from "@/lib/sites/resolve";

const noStore = { "Cache-Control": "no-store" };
const reply = (status: number) => new Response(null, { status, headers: noStore });

/**
 * Twilio's status callback for the SMS a site sent (the transport gives Twilio this URL). No
 * session: Twilio calls it, and the X-Twilio-Signature header (an HMAC of the URL and the form
 * under the site's auth token) is its only authentication, so nothing is read or written before
 * it checks out. 404: the site does not send through Twilio; 400: not a status callback form;
 * 403: missing or wrong signature; 204 otherwise, including for an id this installation does not
 * know (Twilio retries anything else, and there is nothing it could do better).
 */
export async function POST(request: Request) {
  const site = await siteForHost(request.headers.get("host"));
  const twilio = siteTwilioConfig(site);
  if (!twilio) return reply(404);
  const params = await readTwilioForm(request);
  if (!params) return reply(400);
  const signed = twilioSignedUrl(site, TWILIO_STATUS_PATH, request.url);
  if (!validTwilioSignature(twilio.authToken, request.headers.get("x-twilio-signature"), signed, params)) return reply(403);

  const outcome = await recordTwilioStatus(params, site.id);
  if (outcome === "malformed") return reply(400);
  if (outcome === "early") {
    console.warn(`[sms] twilio ${params.MessageStatus || params.SmsStatus} for ${params.MessageSid || params.SmsSid} matches no sent SMS (unknown id, not recorded sent yet, or already final); kept`);
  }
  return reply(204);
}
