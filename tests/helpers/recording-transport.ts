import type { EmailTransport } from "@/lib/mail/transport";

/** An email transport that accepts everything at once and records who it was asked to send to, in order. */
export function recordingTransport(): { transport: EmailTransport; sent: string[] } {
  const sent: string[] = [];
  const transport: EmailTransport = {
    kind: "outbox",
    async send(mail, meta) {
      sent.push(String(mail.to));
      return { providerMessageId: `fake-${meta.queueId}` };
    },
    close() {},
  };
  return { transport, sent };
}
