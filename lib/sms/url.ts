import { parseSmppUrl } from "./smpp";
import { parseTwilioUrl } from "./twilio";

/** Whether an SMS transport URL (smpp://, smpps://, twilio://) is complete enough to use. */
export function validSmsUrl(url: string): boolean {
  try {
    if (/^smpps?:\/\//.test(url)) return Boolean(parseSmppUrl(url).host);
    if (url.startsWith("twilio://")) return Boolean(parseTwilioUrl(url).accountSid);
  } catch {
    return false;
  }
  return false;
}
