import { describe, expect, it } from "vitest";
import { sendOne, type Senders } from "@/lib/queue/deliver";
import type { OutboundMessage } from "@/db/schema";
import type { SendableRow } from "@/lib/queue/claim";
import type { SmsTransport } from "@/lib/sms/transport";

/**
 * Walking the SMS path in the built app: a test SMS the SMSC refused with ESME_RINVDSTADR (an
 * invalid destination, permanent) showed "It will be tried again automatically" and a next retry
 * time, and was retried up to the attempt limit. Next compiles the instrumentation (embedded
 * scheduler, listener) and the routes (queue buttons, site saves) into separate bundles, each with
 * its own copy of lib/sms/transport.ts, while the SMPP sessions live on globalThis
 * (lib/sms/resolve.ts): an error thrown by a session one bundle opened is no `instanceof` the
 * other bundle's SmsSendError, and was classified as an unknown failure: retried. A second copy
 * of the module (a query string makes Vite load it again) stands for the other bundle.
 */
describe("an SMS transport error thrown by another bundle's copy of the transport module", () => {
  it("keeps its permanent or transient class", async () => {
    const copy = "@/lib/sms/transport?other-bundle"; // a variable: TypeScript does not resolve the query string
    const other = (await import(/* @vite-ignore */ copy)) as typeof import("@/lib/sms/transport");
    const { SmsSendError } = await import("@/lib/sms/transport");
    expect(other.SmsSendError).not.toBe(SmsSendError); // really a second copy

    const outcome = async (error: Error) => {
      const transport: SmsTransport = { kind: "smpp", send: () => Promise.reject(error), close() {} } as unknown as SmsTransport;
      const senders = { sms: async () => transport, hours: { closedUntil: async () => null } } as unknown as Senders;
      const row = { id: 1, siteId: 1, channel: "sms", recipient: "+33612345678", recipientName: "", variables: {}, messageId: 1 } as unknown as SendableRow;
      const message = { id: 1, keepsSmsHours: false, text: "Hi", fromAddress: null } as unknown as OutboundMessage;
      return sendOne(row, message, senders);
    };
    expect(await outcome(new other.SmsSendError("SMPP submit_sm: ESME_RINVDSTADR (0x0B)", false, 0x0b))).toMatchObject({ ok: false, transient: false, error: "SMPP submit_sm: ESME_RINVDSTADR (0x0B)" });
    expect(await outcome(new other.SmsSendError("SMPP submit_sm: ESME_RSYSERR (0x08)", true, 0x08))).toMatchObject({ ok: false, transient: true });
  });
});
