import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { queue } from "@/db/schema";
import { enqueue } from "@/lib/queue/enqueue";
import { runQueue } from "@/lib/queue/run";
import { outboxTransport } from "@/lib/mail/transport";
import { twilioTransport } from "@/lib/sms/twilio";
import { makeSite } from "../helpers/factories";
import { smsFailure } from "../helpers/sms-failure";

/**
 * Review finding: Twilio answers HTTP 400 with error 21611 ("This 'From' number has exceeded the
 * maximum number of queued messages") when more than its queue's worth of messages (10 hours at
 * the sender's rate) is sent on one number: a big group SMS does exactly that. It is Twilio's
 * throttling ("slow down your sending rate", https://www.twilio.com/docs/errors/21611), and the
 * same message goes out once the queue drains; the specification asks throttling to be retried
 * with backoff. lib/sms/twilio.ts (twilioSendError) treats every 4xx but 429, 401, 403 and its
 * configuration codes as permanent, so the rest of the send fails for good.
 */

const SID = "AC0123456789abcdef0123456789abcdef";
const TOKEN = "s3cr3t-auth-token";
let api: Server;
let url: string;

beforeAll(async () => {
  // Twilio's answer to a create when the sender's queue is full (legacy error body, HTTP 400).
  api = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(400, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ code: 21611, message: "This 'From' number has exceeded the maximum number of queued messages", more_info: "https://www.twilio.com/docs/errors/21611", status: 400 }));
    });
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  url = `twilio://${SID}:${TOKEN}@127.0.0.1:${(api.address() as AddressInfo).port}?from=%2B33700000001`;
});
afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())));

describe("Twilio's full sender queue (21611) is throttling, retried later", () => {
  it("the transport reports it transient", async () => {
    const err = await smsFailure(twilioTransport(url).send({ to: "+33612345678", from: "", text: "Hello", siteId: 1, queueId: 1 }));
    expect(err.code).toBe(21611);
    expect(err.transient).toBe(true);
  });

  it("a queued SMS refused so stays due for another attempt instead of failing for good", async () => {
    const site = await makeSite();
    const { messageId } = await enqueue({
      siteId: site.id,
      channel: "sms",
      message: { kind: "newsletter", subject: "", text: "Hello", fromName: "", fromAddress: "" },
      recipients: [{ address: "+33612345678" }],
    });
    const transport = twilioTransport(url);
    await runQueue({ kind: "send", siteId: site.id, runner: "test", transport: outboxTransport(), sms: async () => transport });
    const [row] = await db.select().from(queue).where(eq(queue.messageId, messageId));
    expect(row.status).toBe("error");
    expect(row.lastError).toContain("21611");
    expect(row.retryable).toBe(true);
  });
});
