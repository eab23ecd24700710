import { describe, expect, it } from "vitest";
import { ERROR_REASONS, errorReason, type ErrorReason } from "@/lib/queue/error-reason";
import { CANCELLED_NOTE, ERASED_NOTE, LEASE_EXPIRED_NOTE, MALFORMED_ADDRESS_PREFIX, NOT_DELIVERED_NOTE, NOT_E164_PREFIX, NUMBER_UNSUBSCRIBED_NOTE, OPTED_OUT_BY_ADMIN_NOTE, OPTED_OUT_BY_PROVIDER_NOTE, OPTED_OUT_BY_REPLY_NOTE, OPTED_OUT_NOTE, RELEASED_NOTE, UNSUBSCRIBED_NOTE } from "@/lib/queue/notes";
import { errorText } from "@/components/queue/error-text";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { failureTranslator } from "../helpers/failure-translator";

// The classifier on the texts as stored. The transports' own tests make them produce these
// texts for real (tests/sms/smpp-error-reasons.test.ts, tests/sms/twilio.test.ts,
// tests/queue/smtp-error-reasons.test.ts); here each wording is pinned, including old rows'.

const cases: [string, ErrorReason | null][] = [
  // The queue's own notes: nothing to quote besides the translation.
  [OPTED_OUT_NOTE, { key: "optedOut", own: true }],
  [OPTED_OUT_BY_REPLY_NOTE, { key: "optedOutByReply", own: true }],
  [OPTED_OUT_BY_PROVIDER_NOTE, { key: "optedOutByProvider", own: true }],
  [OPTED_OUT_BY_ADMIN_NOTE, { key: "optedOutByAdmin", own: true }],
  [UNSUBSCRIBED_NOTE, { key: "unsubscribed", own: true }],
  [NUMBER_UNSUBSCRIBED_NOTE, { key: "numberUnsubscribed", own: true }],
  [ERASED_NOTE, { key: "erased", own: true }],
  [CANCELLED_NOTE, { key: "cancelled", own: true }],
  [LEASE_EXPIRED_NOTE, { key: "leaseExpired", own: true }],
  [RELEASED_NOTE, { key: "releasedUnsent", own: true }],
  [NOT_DELIVERED_NOTE, { key: "notDelivered", own: true }],
  [`${NOT_E164_PREFIX}0612`, { key: "invalidNumber", own: true }],
  [`${MALFORMED_ADDRESS_PREFIX}bob@`, { key: "invalidAddress", own: true }],

  // SMPP submit_sm / bind_transceiver statuses (lib/sms/smpp-status.ts describeStatus).
  ["SMPP submit_sm: ESME_RINVDSTADR (0x0B)", { key: "invalidNumber", code: "ESME_RINVDSTADR" }],
  ["SMPP submit_sm: ESME_RINVDSTTON (0x50)", { key: "invalidNumber", code: "ESME_RINVDSTTON" }],
  ["SMPP submit_sm: ESME_RINVSRCADR (0x0A)", { key: "smsInvalidSender", code: "ESME_RINVSRCADR" }],
  ["SMPP submit_sm: ESME_RINVSRCTON (0x48)", { key: "smsInvalidSender", code: "ESME_RINVSRCTON" }],
  ["SMPP submit_sm: ESME_RTHROTTLED (0x58)", { key: "smsThrottled", code: "ESME_RTHROTTLED" }],
  ["SMPP submit_sm: ESME_RMSGQFUL (0x14)", { key: "smsQueueFull", code: "ESME_RMSGQFUL" }],
  ["SMPP submit_sm: ESME_RSYSERR (0x08)", { key: "smsProviderError", code: "ESME_RSYSERR" }],
  ["SMPP submit_sm: ESME_RSUBMITFAIL (0x45)", { key: "smsRefused", code: "ESME_RSUBMITFAIL" }],
  ["SMPP submit_sm: unknown status (0x401)", { key: "smsRefused", code: "unknown status" }],
  ["SMPP bind_transceiver to smsc.example.org:2775: ESME_RINVPASWD (0x0E)", { key: "smsLoginRefused", code: "ESME_RINVPASWD" }],
  ["SMPP bind_transceiver to smsc.example.org:2775: ESME_RINVSYSID (0x0F)", { key: "smsLoginRefused", code: "ESME_RINVSYSID" }],
  ["SMPP bind_transceiver to smsc.example.org:2775: ESME_RBINDFAIL (0x0D)", { key: "smsLoginRefused", code: "ESME_RBINDFAIL" }],
  ["SMPP bind_transceiver to smsc.example.org:2775: ESME_RALYBND (0x05)", { key: "smsBindFailed", code: "ESME_RALYBND" }],
  // The transport's other failures.
  ["SMPP submit_sm: no response within 30000 ms", { key: "smsNoResponse" }],
  ["SMPP connection to smsc.example.org:2775 lost before submit_sm_resp", { key: "smsConnectionLost" }],
  ["SMPP connection to smsc.example.org:2775 is not writable", { key: "smsConnectionLost" }],
  ["SMPP transport closed", { key: "smsStopping" }],
  ["SMPP smsc.example.org:2775 unavailable; next connection attempt in 4 s", { key: "smsUnavailable" }],
  ["SMPP connect/bind to smsc.example.org:2775 timed out after 10000 ms", { key: "smsUnavailable" }],
  ["SMPP connection to smsc.example.org:2775 failed: connect ECONNREFUSED 10.0.0.1:2775", { key: "smsUnavailable" }],
  ["SMPP connection to smsc.example.org:2775 closed before bind", { key: "smsUnavailable" }],
  ["SMPP: empty message", { key: "smsEmpty" }],
  ["site 12: its SMS URL cannot be decrypted (was AUTH_SECRET changed?); enter it again in Manage » Sites", { key: "smsUrlUnreadable" }],

  // SMPP delivery receipts (parseReceipt): the state, and the SMSC's err: code when it gave one.
  ["UNDELIV err:001", { key: "receiptUndelivered", code: "001" }],
  ["EXPIRED err:034", { key: "receiptExpired", code: "034" }],
  ["REJECTD err:00B", { key: "receiptRejected", code: "00B" }],
  ["DELETED", { key: "receiptDeleted" }],
  ["UNKNOWN err:000", { key: "receiptUnknown", code: "000" }],
  ["SKIPPED", { key: "receiptSkipped" }],
  // A long SMS's later part (lib/queue/receipts.ts), its own receipt quoted.
  ["part 2 of 3 not delivered: UNDELIV err:034", { key: "receiptPartUndelivered", part: 2, parts: 3, code: "UNDELIV err:034" }],
  ["part 4 of 4 not delivered", { key: "receiptPartUndelivered", part: 4, parts: 4 }],

  // Twilio refusals (twilioSendError) and status callbacks (twilioStatusReceipt).
  ["Twilio 21211: The 'To' number +3361234 is not a valid phone number.", { key: "invalidNumber", code: "21211" }],
  ["Twilio 21408: Permission to send an SMS has not been enabled for the region indicated by the 'To' number: +2250700000000.", { key: "smsRegionNotEnabled", code: "21408" }],
  ["Twilio 21610: Attempt to send to unsubscribed recipient", { key: "smsOptedOutAtProvider", code: "21610" }],
  ["Twilio 21614: 'To' number is not a valid mobile number", { key: "smsNotMobile", code: "21614" }],
  ["Twilio 20003: Authenticate", { key: "smsLoginRefused", code: "20003" }],
  ["Twilio 20429: Too Many Requests", { key: "smsThrottled", code: "20429" }],
  ["Twilio 21606: The From phone number is not a valid, SMS-capable inbound phone number", { key: "smsInvalidSender", code: "21606" }],
  ["Twilio 21617: The concatenated message body exceeds the 1600 character limit", { key: "smsRefused", code: "21617" }],
  ["Twilio HTTP 429: request refused", { key: "smsThrottled", code: "429" }],
  ["Twilio HTTP 502: request refused", { key: "smsProviderError", code: "502" }],
  ["Twilio HTTP 401: request refused", { key: "smsLoginRefused", code: "401" }],
  ["Twilio HTTP 400: request refused", { key: "smsRefused", code: "400" }],
  ["Twilio unreachable (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:4010", { key: "smsUnavailable" }],
  ["Twilio request failed: socket hang up", { key: "smsUnavailable" }],
  ["Twilio: no sender; set the site's SMS sender or ?from= in the Twilio URL", { key: "smsNoSender" }],
  ["Twilio accepted the request but answered without a message sid", { key: "smsUnconfirmed" }],
  ["undelivered (30003)", { key: "smsHandsetUnreachable", code: "30003" }],
  ["undelivered (30004)", { key: "smsBlocked", code: "30004" }],
  ["undelivered (30005)", { key: "smsUnknownNumber", code: "30005" }],
  ["undelivered (30006)", { key: "smsNotMobile", code: "30006" }],
  ["undelivered (30007)", { key: "smsSpamFiltered", code: "30007" }],
  ["failed (30008)", { key: "smsUnknownError", code: "30008" }],
  ["failed (21610)", { key: "smsOptedOutAtProvider", code: "21610" }],
  ["undelivered (30034)", { key: "receiptUndelivered", code: "30034" }],
  ["undelivered", { key: "receiptUndelivered" }],
  ["failed", { key: "receiptFailed" }],
  ["canceled", { key: "receiptCanceled" }],

  // SMTP replies (classifySendError keeps the server's reply): the enhanced code first.
  ["550 5.1.1 <x@y.example>: Recipient address rejected: User unknown", { key: "emailUnknownRecipient", code: "5.1.1" }],
  ["550-5.1.1 The email account that you tried to reach does not exist.\n550 5.1.1 https://support.google.com/mail/?p=NoSuchUser - gsmtp", { key: "emailUnknownRecipient", code: "5.1.1" }],
  ["550 no such user", { key: "emailUnknownRecipient", code: "550" }],
  ["550 Mailbox unavailable", { key: "emailUnknownRecipient", code: "550" }],
  ["550 Message rejected as spam", { key: "emailPolicy", code: "550" }],
  ["554 5.1.2 Host or domain name not found", { key: "emailUnknownDomain", code: "5.1.2" }],
  ["553 5.1.3 Bad recipient address syntax", { key: "invalidAddress", code: "5.1.3" }],
  ["553 5.1.8 <news@org.example>: Sender address rejected: Domain not found", { key: "emailSenderRejected", code: "5.1.8" }],
  ["550 5.2.1 The email account that you tried to reach is disabled.", { key: "emailMailboxDisabled", code: "5.2.1" }],
  ["552 5.2.2 Mailbox full", { key: "emailMailboxFull", code: "5.2.2" }],
  ["452 4.2.2 The email account that you tried to reach is over quota.", { key: "emailMailboxFull", code: "4.2.2" }],
  ["452 Insufficient system storage", { key: "emailMailboxFull", code: "452" }],
  ["552 5.3.4 Message size exceeds fixed limit", { key: "emailTooBig", code: "5.3.4" }],
  ["550 5.7.1 Service unavailable; client host [203.0.113.5] blocked using zen.spamhaus.org", { key: "emailPolicy", code: "5.7.1" }],
  ["550 5.7.26 Unauthenticated email from org.example is not accepted due to domain's DMARC policy", { key: "emailPolicy", code: "5.7.26" }],
  ["535 5.7.8 Error: authentication failed: authentication failure", { key: "emailAuthFailed", code: "535" }],
  ["530 5.7.0 Authentication required", { key: "emailAuthFailed", code: "530" }],
  ["Invalid login: 535 Authentication credentials invalid", { key: "emailAuthFailed" }],
  ['Missing credentials for "PLAIN"', { key: "emailAuthFailed" }],
  ["451 4.7.1 Greylisted, please try again in 300 seconds", { key: "emailTemporary", code: "4.7.1" }],
  ["452 4.5.3 Too many recipients", { key: "emailTemporary", code: "4.5.3" }],
  ["421 Service not available, closing transmission channel", { key: "emailTemporary", code: "421" }],
  ["451 Try again later", { key: "emailTemporary", code: "451" }],
  ["554 5.6.0 Message content rejected", { key: "emailRejected", code: "5.6.0" }],
  ["554 Transaction failed", { key: "emailRejected", code: "554" }],
  // Failures to reach or keep the server (nodemailer's and Node's messages).
  ["connect ECONNREFUSED 127.0.0.1:587", { key: "emailServerUnreachable" }],
  ["connect ETIMEDOUT 203.0.113.5:587", { key: "emailServerUnreachable" }],
  ["getaddrinfo ENOTFOUND smtp.example.org", { key: "emailServerUnreachable" }],
  ["Connection timeout", { key: "emailServerUnreachable" }],
  ["Greeting never received", { key: "emailServerUnreachable" }],
  ["Connection closed unexpectedly", { key: "emailConnectionLost" }],
  ["read ECONNRESET", { key: "emailConnectionLost" }],
  ["Timeout", { key: "emailConnectionLost" }],
  ["SMTP worker stopped", { key: "emailWorkerStopped" }],
  ["SMTP worker failed: out of memory", { key: "emailWorkerStopped" }],
  ["Message size larger than allowed 10485760", { key: "emailTooBig" }],

  // Anything else is shown as it came.
  ["Something broke", null],
  ["ENOENT: no such file or directory, open '/data/outbox/1/2.eml'", null],
  ["", null],
];

describe("errorReason", () => {
  it.each(cases)("%j", (text, expected) => {
    expect(errorReason(text)).toEqual(expected);
  });

  it("names only known reasons, and every one of them has a sentence in both languages", () => {
    for (const [, found] of cases) if (found) expect(ERROR_REASONS).toContain(found.key);
    const reasons = (messages: typeof en) => messages.queue.failure.reasons as Record<string, string>;
    expect(Object.keys(reasons(en)).sort()).toEqual([...ERROR_REASONS].sort());
    expect(Object.keys(reasons(fr as typeof en)).sort()).toEqual([...ERROR_REASONS].sort());
  });

  it("reads every key at least once in the cases above", () => {
    const seen = new Set(cases.map(([, found]) => found?.key));
    expect(ERROR_REASONS.filter((key) => !seen.has(key))).toEqual([]);
  });
});

describe("errorText", () => {
  const tfr = failureTranslator("fr");
  const ten = failureTranslator("en");

  it("says what happened in the interface language, and keeps the provider's words beside it", () => {
    const raw = "Twilio 21211: The 'To' number +3361234 is not a valid phone number.";
    expect(errorText(tfr, raw, false)).toEqual({
      reason: fr.queue.failure.reasons.invalidNumber,
      detail: raw,
      retry: null, // an invalid number fails the same way every time: nothing to resend
      detailLabel: "Détail technique\u202f:",
    });
    expect(errorText(ten, raw).reason).toBe(en.queue.failure.reasons.invalidNumber);
  });

  it("quotes the provider's code where the sentence has a place for it", () => {
    expect(errorText(tfr, "554 5.6.0 Message content rejected").reason).toBe("Le serveur du destinataire a refusé le message définitivement (5.6.0).");
    expect(errorText(ten, "SMPP submit_sm: ESME_RSUBMITFAIL (0x45)").reason).toBe("The SMS provider refused the message (ESME_RSUBMITFAIL).");
  });

  it("names the part of a long SMS that was not delivered, with the SMSC's words", () => {
    const raw = "part 2 of 3 not delivered: EXPIRED err:000";
    expect(errorText(tfr, raw, false)).toEqual({
      reason: "La partie 2 sur 3 de ce SMS long n’a pas été remise (EXPIRED err:000)\u202f: le téléphone affiche le message tronqué, ou pas du tout.",
      detail: raw,
      retry: fr.queue.failure.retryManual, // the phone took the first part: a resend may arrive whole
      detailLabel: "Détail technique\u202f:",
    });
    expect(errorText(ten, raw).reason).toBe("Part 2 of 3 of this long SMS was not delivered (EXPIRED err:000): the phone shows the message cut short, or not at all.");
  });

  it("says whether the queue tries again, when the row's state is known", () => {
    const throttled = "SMPP submit_sm: ESME_RTHROTTLED (0x58)";
    expect(errorText(tfr, throttled, true).retry).toBe("Un nouvel essai aura lieu automatiquement.");
    // Out of attempts (or refused for good) while the cause may pass: a person can resend it.
    expect(errorText(tfr, throttled, false).retry).toBe(fr.queue.failure.retryManual);
    expect(errorText(tfr, "something unknown", false).retry).toBe(fr.queue.failure.retryManual);
    // A history event: what came next is in the following events.
    expect(errorText(tfr, throttled).retry).toBeNull();
  });

  it("shows the queue's own notes translated only, and an unknown text as it came", () => {
    expect(errorText(tfr, OPTED_OUT_NOTE, false)).toMatchObject({ reason: fr.queue.failure.reasons.optedOut, detail: null, retry: null });
    expect(errorText(tfr, CANCELLED_NOTE, false)).toMatchObject({ reason: fr.queue.failure.reasons.cancelled, detail: null });
  });

  it("says how a number came to be opted out: only a reply mentions STOP", () => {
    for (const t of [tfr, ten]) {
      expect(errorText(t, OPTED_OUT_BY_REPLY_NOTE, false).reason).toContain("STOP");
      // The note every way wrote before they were told apart: it cannot say which.
      expect(errorText(t, OPTED_OUT_NOTE, false).reason).not.toContain("STOP");
      expect(errorText(t, OPTED_OUT_BY_ADMIN_NOTE, false).reason).not.toContain("STOP");
      expect(errorText(t, OPTED_OUT_BY_PROVIDER_NOTE, false).reason).not.toContain("STOP");
    }
    expect(errorText(tfr, OPTED_OUT_BY_ADMIN_NOTE, false)).toMatchObject({ reason: expect.stringContaining("un administrateur"), detail: null, retry: null });
    expect(errorText(ten, OPTED_OUT_BY_PROVIDER_NOTE, false)).toMatchObject({ reason: expect.stringContaining("SMS provider refused"), detail: null, retry: null });
    expect(errorText(tfr, "Something broke")).toMatchObject({ reason: null, detail: "Something broke" });
  });
});
